/**
 * Without its native binary the package fails loudly (no JavaScript fallback): a copy of the built
 * package without the .node file and without the platform package cannot create the plugin.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('pii-filter without its native binary', () => {
  it('throws NativeBindingLoadError naming every place it looked', () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'cf-pii-nobin-')), 'plugin-pii-filter');
    cpSync(join(packageDir, 'dist'), join(copy, 'dist'), { recursive: true });
    cpSync(join(packageDir, 'package.json'), join(copy, 'package.json'));
    // Same dependencies (framework, loader, zod), but no .node file next to the package.
    symlinkSync(join(packageDir, 'node_modules'), join(copy, 'node_modules'), 'dir');
    const script = `
      const { createPlugin } = require(${JSON.stringify(join(copy, 'dist', 'index.cjs'))});
      const { silentLogger } = require('@contextforge/plugin-framework');
      try {
        createPlugin({ name: 'pii', config: {}, entry: {}, logger: silentLogger, configDir: '.' });
        console.log('LOADED');
      } catch (error) {
        console.log(error.name + ': ' + error.message);
      }`;
    const result = spawnSync(process.execPath, ['-e', script], { cwd: copy, encoding: 'utf8' });
    expect(result.stdout).not.toContain('LOADED');
    expect(result.stdout).toContain(
      'NativeBindingLoadError: could not load native binding "pii-filter" for this platform',
    );
    expect(result.stdout).toMatch(/pii-filter\.[a-z0-9-]+\.node: file not found/);
    expect(result.stdout).toMatch(/@contextforge\/plugin-pii-filter-[a-z0-9-]+: Cannot find module/);
  });
});
