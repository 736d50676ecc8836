#!/usr/bin/env node
// Builds Node single-executable binaries (SEA) of the CLIs for the current platform:
//   node tools/release/build-binaries.mjs --out dist-bin [--only mcp-translate]
// Each CLI's built ESM entry (dist/cli.js, after `pnpm build`) is bundled with its dependencies
// into one CommonJS file (esbuild), turned into a SEA blob, and injected into a copy of this node
// binary with postject. Native `.node` dependencies cannot live inside the blob; a CLI that needs
// one lists it in `nativeBeside` and the file is copied next to the binary.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { publishablePackages, root } from './workspace-packages.mjs';

const { values } = parseArgs({
  options: { out: { type: 'string', default: 'dist-bin' }, only: { type: 'string', multiple: true } },
});
const outDir = join(root, values.out);
const work = join(outDir, '.work');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const exe = process.platform === 'win32' ? '.exe' : '';
const triple = `${process.platform}-${process.arch}`;
const bins = publishablePackages().flatMap(({ dir, pkg }) =>
  Object.entries(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {})).map(
    ([name, file]) => ({ name, entry: join(dir, file) }),
  ),
);
const selected = values.only ? bins.filter((b) => values.only.includes(b.name)) : bins;
if (selected.length === 0)
  throw new Error(`build-binaries: nothing to build (bins: ${bins.map((b) => b.name).join(', ')})`);

for (const { name, entry } of selected) {
  const bundle = join(work, `${name}.cjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: bundle,
    logLevel: 'warning',
  });
  const blob = join(work, `${name}.blob`);
  const seaConfig = join(work, `${name}.sea.json`);
  writeFileSync(
    seaConfig,
    JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true }),
  );
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  const target = join(outDir, `${name}-${triple}${exe}`);
  copyFileSync(process.execPath, target);
  chmodSync(target, 0o755);
  if (process.platform === 'darwin') execFileSync('codesign', ['--remove-signature', target]);
  const postject = join(
    root,
    'node_modules',
    '.bin',
    process.platform === 'win32' ? 'postject.cmd' : 'postject',
  );
  const args = [
    target,
    'NODE_SEA_BLOB',
    blob,
    '--sentinel-fuse',
    'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2',
  ];
  if (process.platform === 'darwin') args.push('--macho-segment-name', 'NODE_SEA');
  execFileSync(postject, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (process.platform === 'darwin') execFileSync('codesign', ['--sign', '-', target]);
  const version = execFileSync(target, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`build-binaries: ${target} (--version ${version})`);
}
rmSync(work, { recursive: true, force: true });
