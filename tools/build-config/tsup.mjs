import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the tsup configuration every published package uses: the library entry as ESM + CJS
 * with declarations, and each CLI entry as a single ESM file with its shebang kept.
 *
 * The package version is injected at build time as `__PKG_VERSION__` so `--version` needs no
 * file lookup at run time (the bundle may be relocated, e.g. into a single-executable binary).
 *
 * @param {object} [options]
 * @param {string} [options.cwd] package folder (defaults to process.cwd(), where nx runs tsup)
 * @param {Record<string,string>} [options.bins] CLI entries: output name → source file
 * @param {string[]} [options.external] extra modules never bundled
 * @returns {import('tsup').Options[]}
 */
export function packageConfig(options = {}) {
  const cwd = options.cwd ?? process.cwd();
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  const define = { __PKG_VERSION__: JSON.stringify(pkg.version), __PKG_NAME__: JSON.stringify(pkg.name) };
  const common = {
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    splitting: false,
    treeshake: true,
    define,
    external: options.external ?? [],
  };
  // Clean once here rather than with tsup's `clean`: the library and CLI builds run concurrently
  // and one's clean could delete the other's output.
  rmSync(join(cwd, 'dist'), { recursive: true, force: true });
  const configs = [
    {
      ...common,
      entry: { index: 'src/index.ts' },
      format: ['esm', 'cjs'],
      dts: true,
      clean: false,
      shims: true,
    },
  ];
  const bins = options.bins ?? {};
  if (Object.keys(bins).length > 0) {
    configs.push({
      ...common,
      entry: bins,
      format: ['esm'],
      dts: false,
      clean: false,
    });
  }
  return configs;
}
