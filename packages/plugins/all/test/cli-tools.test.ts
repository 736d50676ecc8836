/** `mcpplugins validate` and `list` against the real plugin packages. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@contextforge/plugin-framework/package.json')), 'dist', 'cli.js');
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const run = (args: string[]) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: packageDir });

describe('mcpplugins with the built-in plugins installed', () => {
  it('validates plugin config blocks against each package schema', () => {
    const ok = run(['validate', 'test/fixtures/config.yaml']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toContain('valid (8 plugin(s))');
    const dir = mkdtempSync(join(packageDir, 'test', 'fixtures', 'tmp-'));
    writeFileSync(
      join(dir, 'bad.yaml'),
      'plugins:\n  - { name: pii, kind: "@contextforge/plugin-pii-filter", config: { detect_ssn: "yes", mask: x } }\n',
    );
    const bad = run(['validate', join(dir, 'bad.yaml')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain(
      'plugins[0] "pii": config.detect_ssn: Invalid input: expected boolean, received string',
    );
    expect(bad.stderr).toContain('plugins[0] "pii": config: Unrecognized key: "mask"');
  });

  it('lists the installed plugin packages with their hooks', () => {
    const result = run(['list', '--json']);
    const names = (JSON.parse(result.stdout) as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['@contextforge/plugin-pii-filter', '@contextforge/plugin-rate-limiter']),
    );
    expect(names.filter((n) => n.startsWith('@contextforge/plugin-'))).toHaveLength(8);
  });
});
