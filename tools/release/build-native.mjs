#!/usr/bin/env node
// Builds (and with --test, tests) every workspace package that owns a native addon (has a `napi`
// field), optionally for an explicit Rust target: `node tools/release/build-native.mjs --target
// aarch64-apple-darwin --test`. Used by the native workflow; locally `pnpm build` does the same
// through Nx for the host platform.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { workspacePackages } from './workspace-packages.mjs';

const { values } = parseArgs({
  options: { target: { type: 'string' }, test: { type: 'boolean', default: false } },
});
const shell = process.platform === 'win32';
for (const { dir, pkg } of workspacePackages().filter(({ pkg }) => pkg.napi)) {
  const args = ['run', 'build:native', ...(values.target ? ['--target', values.target] : [])];
  console.log(`build-native: ${pkg.name}: pnpm ${args.join(' ')}`);
  execFileSync('pnpm', args, { cwd: dir, stdio: 'inherit', shell });
  if (values.test) execFileSync('pnpm', ['exec', 'vitest', 'run'], { cwd: dir, stdio: 'inherit', shell });
}
