#!/usr/bin/env node
// `pnpm release [--dry-run]`
//
// --dry-run: packs every publishable workspace package with `pnpm pack` (workspace: and catalog:
//   ranges become real versions, exactly as `pnpm publish` would upload them) into
//   .release/tarballs/ and writes .release/manifest.json. Nothing leaves the machine.
// otherwise: for packages with a `napi` field, generates the per-platform npm packages from the
//   artifacts the native workflow produced (`napi create-npm-dirs`, `napi artifacts`), then runs
//   `changeset publish`, which publishes every package whose version is not on npm yet (with
//   provenance when run from GitHub Actions with id-token: write).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages, root } from './workspace-packages.mjs';

const dryRun = process.argv.includes('--dry-run');
const run = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const packages = publishablePackages();
if (dryRun) {
  const out = join(root, '.release', 'tarballs');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest = [];
  for (const { dir, rel, pkg } of packages) {
    if (pkg.files?.includes('dist') && !existsSync(join(dir, 'dist'))) {
      throw new Error(`release: ${pkg.name} (${rel}) has no dist/ folder; run "pnpm build" first`);
    }
    run('pnpm', ['pack', '--pack-destination', out], dir);
    const expected = `${pkg.name.replace('@', '').replace('/', '-')}-${pkg.version}.tgz`;
    const tarball = readdirSync(out).find((f) => f === expected);
    if (!tarball) throw new Error(`release: pnpm pack produced no ${expected} for ${pkg.name} (${rel})`);
    manifest.push({
      name: pkg.name,
      version: pkg.version,
      dir: rel,
      tarball: join(out, tarball),
      bin: typeof pkg.bin === 'string' ? { [pkg.name.split('/').pop()]: pkg.bin } : (pkg.bin ?? {}),
      library: Boolean(pkg.exports?.['.']),
      native: Boolean(pkg.napi),
    });
    console.log(`packed ${pkg.name}@${pkg.version} → ${tarball}`);
  }
  writeFileSync(join(root, '.release', 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`release --dry-run: ${manifest.length} packages packed into ${out}`);
} else {
  for (const { dir, pkg } of packages.filter(({ pkg }) => pkg.napi)) {
    console.log(`native: generating per-platform packages for ${pkg.name}`);
    run('pnpm', ['exec', 'napi', 'create-npm-dirs'], dir);
    run('pnpm', ['exec', 'napi', 'artifacts', '--output-dir', join(root, 'artifacts')], dir);
    run('pnpm', ['exec', 'napi', 'pre-publish', '-t', 'npm', '--skip-optional-publish'], dir);
  }
  execFileSync('pnpm', ['exec', 'changeset', 'publish'], { cwd: root, stdio: 'inherit' });
}
