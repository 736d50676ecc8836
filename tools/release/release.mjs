#!/usr/bin/env node
// `pnpm release [--dry-run]`
//
// --dry-run: packs every publishable workspace package with `pnpm pack` (workspace: and catalog:
//   ranges become real versions, exactly as `pnpm publish` would upload them) into
//   .release/tarballs/ and writes .release/manifest.json. Nothing leaves the machine.
//   Packages with a `napi` field are packed as they are published: their package.json gets
//   `optionalDependencies` on every per-platform package (restored afterwards), and the host
//   platform's package is generated (`napi create-npm-dirs` + the locally built .node file) and
//   packed too, so the install test can prove the native binding loads after `npm install`.
// otherwise: for packages with a `napi` field, generates the per-platform npm packages from the
//   artifacts the native workflow produced (`napi create-npm-dirs`, `napi artifacts`), then runs
//   `changeset publish`, which publishes every package whose version is not on npm yet (with
//   provenance when run from GitHub Actions with id-token: write).
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { publishablePackages, root } from './workspace-packages.mjs';

const dryRun = process.argv.includes('--dry-run');
const run = (cmd, args, cwd = root) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

const packages = publishablePackages();

/**
 * Generates the per-platform packages of a native package (`napi create-npm-dirs` writes
 * `<dir>/npm/<triple>/package.json` for every `napi.targets` entry) and copies in each locally built
 * `<binaryName>.<triple>.node` file. Returns every platform package; `built` marks the ones with a
 * binary (the host's, in a local dry run).
 */
function preparePlatformPackages(dir, rel, pkg) {
  const npmDir = join(dir, 'npm');
  rmSync(npmDir, { recursive: true, force: true });
  run('pnpm', ['exec', 'napi', 'create-npm-dirs'], dir);
  const platforms = readdirSync(npmDir).map((triple) => {
    const platformDir = join(npmDir, triple);
    const { name } = JSON.parse(readFileSync(join(platformDir, 'package.json'), 'utf8'));
    const binary = `${pkg.napi.binaryName}.${triple}.node`;
    const built = existsSync(join(dir, binary));
    if (built) copyFileSync(join(dir, binary), join(platformDir, binary));
    return { triple, name, dir: platformDir, built };
  });
  if (!platforms.some((p) => p.built)) {
    throw new Error(
      `release: ${pkg.name} (${rel}) has no ${pkg.napi.binaryName}.<platform>.node file; run "pnpm build" (build:native) first`,
    );
  }
  return platforms;
}
if (dryRun) {
  const out = join(root, '.release', 'tarballs');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const manifest = [];
  const pack = (dir, name, version) => {
    run('pnpm', ['pack', '--pack-destination', out], dir);
    const expected = `${name.replace('@', '').replace('/', '-')}-${version}.tgz`;
    if (!readdirSync(out).includes(expected))
      throw new Error(`release: pnpm pack produced no ${expected} for ${name} (${dir})`);
    console.log(`packed ${name}@${version} → ${expected}`);
    return join(out, expected);
  };
  for (const { dir, rel, pkg } of packages) {
    if (pkg.files?.includes('dist') && !existsSync(join(dir, 'dist'))) {
      throw new Error(`release: ${pkg.name} (${rel}) has no dist/ folder; run "pnpm build" first`);
    }
    const platforms = pkg.napi ? preparePlatformPackages(dir, rel, pkg) : [];
    const manifestPath = join(dir, 'package.json');
    const original = readFileSync(manifestPath, 'utf8');
    let tarball;
    try {
      if (platforms.length > 0) {
        const optionalDependencies = Object.fromEntries(platforms.map((p) => [p.name, pkg.version]));
        writeFileSync(manifestPath, `${JSON.stringify({ ...pkg, optionalDependencies }, null, 2)}\n`);
      }
      tarball = pack(dir, pkg.name, pkg.version);
    } finally {
      writeFileSync(manifestPath, original);
    }
    manifest.push({
      name: pkg.name,
      version: pkg.version,
      dir: rel,
      tarball,
      bin: typeof pkg.bin === 'string' ? { [pkg.name.split('/').pop()]: pkg.bin } : (pkg.bin ?? {}),
      library: Boolean(pkg.exports?.['.']),
      native: Boolean(pkg.napi),
      ...(pkg.contextforge?.plugin ? { plugin: true } : {}),
    });
    for (const platform of platforms.filter((p) => p.built)) {
      manifest.push({
        name: platform.name,
        version: pkg.version,
        dir: relative(root, platform.dir),
        tarball: pack(platform.dir, platform.name, pkg.version),
        bin: {},
        library: false,
        native: false,
        platformOf: pkg.name,
        triple: platform.triple,
      });
    }
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
