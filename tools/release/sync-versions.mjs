#!/usr/bin/env node
// Runs after `changeset version`: copies the fixed-group version of the npm packages into the Rust
// workspace (Cargo.toml [workspace.package].version) and the Helm chart's appVersion/version, so
// every artifact of a release carries one version number.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishablePackages, root } from './workspace-packages.mjs';

const versions = new Set(
  publishablePackages()
    .filter(({ pkg }) => pkg.name.startsWith('@contextforge/'))
    .map(({ pkg }) => pkg.version),
);
if (versions.size !== 1) {
  console.error(
    `sync-versions: the @contextforge/* packages disagree on their version: ${[...versions].join(', ')}`,
  );
  process.exit(1);
}
const [version] = versions;

function rewrite(file, pattern, replacement) {
  const before = readFileSync(file, 'utf8');
  if (!pattern.test(before)) {
    console.error(`sync-versions: ${file} has no line matching ${pattern}`);
    process.exit(1);
  }
  const after = before.replace(pattern, replacement);
  if (after !== before) {
    writeFileSync(file, after);
    console.log(`sync-versions: ${file} → ${version}`);
  }
}

// [workspace.package] version = "x.y.z" — the first `version =` after that header.
rewrite(join(root, 'Cargo.toml'), /(\[workspace\.package\][^[]*?\nversion = ")[^"]*(")/, `$1${version}$2`);

const chartsDir = join(root, 'charts');
if (existsSync(chartsDir)) {
  for (const chart of readdirSync(chartsDir)) {
    const file = join(chartsDir, chart, 'Chart.yaml');
    if (!existsSync(file)) continue;
    rewrite(file, /^appVersion: .*$/m, `appVersion: "${version}"`);
    rewrite(file, /^version: .*$/m, `version: ${version}`);
  }
}
// Cargo.lock records the workspace crates' versions too; refresh just those entries.
execFileSync('cargo', ['update', '--workspace'], { cwd: root, stdio: 'inherit' });
console.log(`sync-versions: everything at ${version}`);
