import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('mcp-translate (unscoped alias)', () => {
  it('runs the same CLI as @contextforge/translate', () => {
    const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.stdout).toContain('stdio-to-streamable-http');
  });

  it('exposes the library as ESM and CJS', async () => {
    const esm = await import('../index.mjs');
    const cjs = createRequire(import.meta.url)('../index.cjs');
    expect(esm.VERSION).toBe(pkg.version);
    expect(cjs.VERSION).toBe(pkg.version);
    expect(typeof esm.runCli).toBe('function');
  });
});
