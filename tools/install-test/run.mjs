#!/usr/bin/env node
// Install test: what a user gets from `npm install @contextforge/<pkg>`.
//
// 1. `pnpm release --dry-run` packs every publishable package (as `pnpm publish` would upload it);
// 2. an empty temporary project runs plain `npm install <all tarballs>` — no workspace, no pnpm;
// 3. every bin runs `--version` (must print the package version) and `--help` (exit 0);
// 4. every library is imported as ESM and required as CJS, and must expose at least VERSION.
// Exits non-zero with a list of every failure.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from '../release/workspace-packages.mjs';

const keep = process.argv.includes('--keep');
execFileSync(process.execPath, [join(root, 'tools/release/release.mjs'), '--dry-run'], { stdio: 'inherit' });
const manifest = JSON.parse(readFileSync(join(root, '.release', 'manifest.json'), 'utf8'));

const project = mkdtempSync(join(tmpdir(), 'contextforge-install-test-'));
writeFileSync(
  join(project, 'package.json'),
  JSON.stringify({ name: 'install-test', private: true, version: '1.0.0' }),
);
console.log(`install-test: npm install of ${manifest.length} tarballs into ${project}`);
const install = spawnSync(
  'npm',
  ['install', '--no-audit', '--no-fund', '--loglevel=error', ...manifest.map((m) => m.tarball)],
  {
    cwd: project,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit'],
  },
);
if (install.status !== 0) {
  console.error(`install-test: npm install failed with exit code ${install.status}`);
  process.exit(1);
}

const failures = [];
const check = (label, fn) => {
  try {
    fn();
    console.log(`  ok   ${label}`);
  } catch (error) {
    failures.push(`${label}: ${error.message}`);
    console.log(`  FAIL ${label}: ${error.message}`);
  }
};
const node = (args) => {
  const result = spawnSync(process.execPath, args, { cwd: project, encoding: 'utf8' });
  if (result.status !== 0)
    throw new Error(
      `exit ${result.status}: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' | ')}`,
    );
  return result.stdout.trim();
};

for (const m of manifest) {
  for (const bin of Object.keys(m.bin)) {
    // Run through node_modules/.bin exactly as `npx <bin>` would resolve it.
    const binPath = join(project, 'node_modules', '.bin', bin);
    check(`${bin} --version (${m.name})`, () => {
      const result = spawnSync(binPath, ['--version'], { cwd: project, encoding: 'utf8' });
      if (result.status !== 0) throw new Error(`exit ${result.status}: ${result.stderr.trim()}`);
      if (result.stdout.trim() !== m.version)
        throw new Error(`printed "${result.stdout.trim()}", expected "${m.version}"`);
    });
    check(`${bin} --help (${m.name})`, () => {
      const result = spawnSync(binPath, ['--help'], { cwd: project, encoding: 'utf8' });
      if (result.status !== 0 || !result.stdout.includes(`Usage: ${bin}`))
        throw new Error(`exit ${result.status}, no usage line`);
    });
  }
  if (m.library) {
    check(`import ${m.name} (ESM)`, () => {
      const out = node([
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(m.name)}); console.log(m.VERSION);`,
      ]);
      if (out !== m.version) throw new Error(`VERSION is "${out}", expected "${m.version}"`);
    });
    check(`require ${m.name} (CJS)`, () => {
      const out = node(['-e', `const m = require(${JSON.stringify(m.name)}); console.log(m.VERSION);`]);
      if (out !== m.version) throw new Error(`VERSION is "${out}", expected "${m.version}"`);
    });
  }
}

if (!keep) rmSync(project, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(
    `install-test: ${failures.length} failure(s):\n${failures.map((f) => `  - ${f}`).join('\n')}`,
  );
  process.exit(1);
}
console.log(
  `install-test: ${manifest.length} packages installed from tarballs; every bin and library entry works`,
);
