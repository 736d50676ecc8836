import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureProcess, startFixtureProcess } from '../src/index.mjs';

const runner = fileURLToPath(new URL('../run.mjs', import.meta.url));
const run = (...args: string[]) => spawnSync(process.execPath, [runner, ...args], { encoding: 'utf8' });

describe('run.mjs', () => {
  let fixture: FixtureProcess;
  let dir: string;
  beforeAll(async () => {
    fixture = await startFixtureProcess();
    dir = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
  });
  afterAll(async () => {
    await fixture.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints usage, examples and exit codes with --help', () => {
    const result = run('--help');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('--expected-failures <file>');
    expect(result.stdout).toContain('Exit codes:');
  });

  it('exits 2 on a usage error and names it', () => {
    const missing = run('--requirements', '2026-07-28');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("required option '--url <url>' not specified");
    const bad = run('--url', fixture.url, '--requirements', '2024-01-01');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('2024-01-01');
    const notHttp = run('--url', 'ftp://example.org/mcp');
    expect(notHttp.status).toBe(2);
    expect(notHttp.stderr).toContain('url must use http or https');
    const header = run('--url', fixture.url, '--header', 'no-colon');
    expect(header.status).toBe(2);
    expect(header.stderr).toContain('--header expects "Name: value", received "no-colon"');
  });

  it('exits 1 naming the entry when the baseline is malformed', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, '2025-11-25:\n  - scenario: ping\n');
    const result = run('--url', fixture.url, '--expected-failures', file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`${file}: 2025-11-25[0]: "reason" must justify the entry`);
  });

  it('exits 0, prints the summary and writes a JSON report when the scenarios pass', () => {
    const json = join(dir, 'report.json');
    const result = run(
      '--url',
      fixture.url,
      '--requirements',
      '2026-07-28',
      '--scenario',
      'server-stateless',
      '--label',
      'fixture',
      '--json',
      json,
    );
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Conformance: fixture');
    expect(result.stdout).toContain('✓ server-stateless');
    expect(result.stdout).toMatch(/PASS in \d/);
    const report = JSON.parse(readFileSync(json, 'utf8'));
    expect(report).toMatchObject({
      ok: true,
      label: 'fixture',
      legs: [{ revision: '2026-07-28', unexpected: [] }],
    });
  });
});
