#!/usr/bin/env node
// `pnpm bench [suite …] [--flag …]`: runs every benchmark suite (a folder here with an index.mjs), or the
// named ones, one after another (never concurrently: they share the machine's two cores).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const here = import.meta.dirname;
const all = readdirSync(here, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(here, e.name, 'index.mjs')))
  .map((e) => e.name)
  .sort();
// Flags (`--profile`, …) go to every suite run; the other arguments name suites.
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length > 0) {
  console.error(`bench: unknown suite(s) ${unknown.join(', ')}; available: ${all.join(', ') || '(none)'}`);
  process.exit(2);
}
let failed = 0;
for (const suite of wanted.length > 0 ? wanted : all) {
  console.log(`\n=== bench: ${suite} ===`);
  const result = spawnSync(process.execPath, [join(here, suite, 'index.mjs'), ...flags], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed += 1;
}
process.exit(failed > 0 ? 1 : 0);
