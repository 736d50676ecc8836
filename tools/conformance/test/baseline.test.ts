import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BaselineError, loadBaseline, validateBaseline } from '../src/index.mjs';

const reason = 'fails because of a reason long enough to explain it';

describe('expected-failures baselines', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const file = (text: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'baseline-test-'));
    dirs.push(dir);
    const path = join(dir, 'b.yaml');
    writeFileSync(path, text);
    return path;
  };

  it('accepts empty lists, a null list and an empty document', () => {
    expect(loadBaseline(file('2025-11-25: []\n2026-07-28:\n'))).toEqual({
      '2025-11-25': [],
      '2026-07-28': [],
    });
    expect(loadBaseline(file('# nothing expected to fail\n'))).toEqual({});
  });

  it('keeps scenario, optional check and reason of each entry', () => {
    const baseline = validateBaseline(
      {
        '2026-07-28': [
          { scenario: 'caching', check: 'caching-ttl', reason },
          { scenario: 'tools-list', reason },
        ],
      },
      'inline',
    );
    expect(baseline['2026-07-28']).toEqual([
      { scenario: 'caching', check: 'caching-ttl', reason },
      { scenario: 'tools-list', reason },
    ]);
  });

  it.each([
    [{ '2024-01-01': [] }, /unknown requirement set "2024-01-01"/],
    [{ '2025-11-25': 'ping' }, /"2025-11-25" must be a list/],
    [{ '2025-11-25': ['ping'] }, /2025-11-25\[0\]: expected \{ scenario, check\?, reason \}/],
    [{ '2025-11-25': [{ scenario: 'ping' }] }, /"reason" must justify the entry/],
    [{ '2025-11-25': [{ scenario: 'ping', reason: 'because' }] }, /"reason" must justify the entry/],
    [{ '2025-11-25': [{ reason }] }, /"scenario" is required/],
    [{ '2025-11-25': [{ scenario: 'ping', reason, why: 'x' }] }, /unknown field\(s\) why/],
    [{ '2025-11-25': [{ scenario: 'ping', check: '', reason }] }, /"check" must be a non-empty string/],
    [
      {
        '2025-11-25': [
          { scenario: 'ping', reason },
          { scenario: 'ping', check: 'a', reason },
        ],
      },
      /ping is listed more than once/,
    ],
    [
      {
        '2025-11-25': [
          { scenario: 'ping', check: 'a', reason },
          { scenario: 'ping', reason },
        ],
      },
      /ping is listed more than once/,
    ],
  ])('rejects %j naming the problem', (doc, message) => {
    expect(() => validateBaseline(doc, 'inline')).toThrow(BaselineError);
    expect(() => validateBaseline(doc, 'inline')).toThrow(message);
  });

  it('names the file when it cannot be read or parsed', () => {
    expect(() => loadBaseline('/nonexistent/baseline.yaml')).toThrow(
      /cannot read expected-failures file \/nonexistent/,
    );
    const broken = file('2025-11-25: [\n');
    expect(() => loadBaseline(broken)).toThrow(new RegExp(`${broken}: invalid YAML`));
  });
});
