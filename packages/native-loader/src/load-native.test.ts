import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadNativeBinding, NativeBindingLoadError } from './load-native.js';

const dirs: string[] = [];
function tempPackage(): string {
  const dir = mkdtempSync(join(tmpdir(), 'native-loader-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"owner"}');
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('loadNativeBinding', () => {
  it('lists every place it tried when nothing loads', () => {
    const directory = tempPackage();
    let caught: unknown;
    try {
      loadNativeBinding({
        binaryName: 'demo',
        packagePrefix: '@example/demo',
        directory,
        triple: 'linux-x64-gnu',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NativeBindingLoadError);
    const message = (caught as Error).message;
    expect(message).toContain('demo.linux-x64-gnu.node: file not found');
    expect(message).toContain('@example/demo-linux-x64-gnu');
  });

  it('reports a corrupt local binary instead of silently skipping it', () => {
    const directory = tempPackage();
    writeFileSync(join(directory, 'demo.linux-x64-gnu.node'), 'not a shared object');
    expect(() =>
      loadNativeBinding({
        binaryName: 'demo',
        packagePrefix: '@example/demo',
        directory,
        triple: 'linux-x64-gnu',
      }),
    ).toThrow(/demo\.linux-x64-gnu\.node: (?!file not found)/);
  });

  it('falls back to the per-platform package when no local file exists', () => {
    const directory = tempPackage();
    const pkgDir = join(directory, 'node_modules', '@example', 'demo-linux-x64-gnu');

    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), '{"name":"@example/demo-linux-x64-gnu","main":"index.js"}');
    writeFileSync(join(pkgDir, 'index.js'), 'module.exports = { answer: 42 };');
    const binding = loadNativeBinding<{ answer: number }>({
      binaryName: 'demo',
      packagePrefix: '@example/demo',
      directory,
      triple: 'linux-x64-gnu',
    });
    expect(binding.answer).toBe(42);
  });
});
