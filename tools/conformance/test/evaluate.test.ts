import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate.mjs';
import { readResults } from '../src/read-results.mjs';

const reason = 'a justification that is long enough';

function outcome(name: string, failing: string[] = []) {
  return {
    name,
    status: failing.length ? ('failed' as const) : ('passed' as const),
    passed: 1,
    failed: failing.length,
    warnings: 0,
    failures: failing.map((id) => ({ id, status: 'FAILURE' })),
  };
}

const set = { scored: ['a', 'b', 'c'], unscored: new Map([['x', 'extension: tasks']]) };

describe('evaluate', () => {
  it('passes when every scored scenario passes and reports unscored ones separately', () => {
    const outcomes = new Map([
      ['a', outcome('a')],
      ['b', outcome('b')],
      ['c', outcome('c')],
      ['x', outcome('x', ['t1'])],
    ]);
    const result = evaluate(set, outcomes, [], 'missing');
    expect(result.unexpected).toEqual([]);
    expect(result.stale).toEqual([]);
    expect(result.scenarios.find((s) => s.name === 'x')).toMatchObject({
      scored: false,
      verdict: 'unscored-failure',
      unscoredReason: 'extension: tasks',
    });
  });

  it('treats a scored scenario without a result as an unexpected failure', () => {
    const outcomes = new Map([
      ['a', outcome('a')],
      ['b', outcome('b')],
    ]);
    const result = evaluate(set, outcomes, [], 'the suite crashed');
    expect(result.unexpected).toEqual(['c']);
    expect(result.scenarios.find((s) => s.name === 'c')?.outcome.failures).toEqual([
      { id: 'no-result', status: 'FAILURE', message: 'the suite crashed' },
    ]);
  });

  it('accepts check-level entries only for the checks they name', () => {
    const outcomes = new Map([
      ['a', outcome('a', ['k1', 'k2'])],
      ['b', outcome('b', ['k1'])],
      ['c', outcome('c')],
    ]);
    const result = evaluate(
      set,
      outcomes,
      [
        { scenario: 'a', check: 'k1', reason },
        { scenario: 'b', check: 'k1', reason },
      ],
      'missing',
    );
    expect(result.unexpected).toEqual(['a:k2']);
    expect(result.expected).toEqual(['b:k1']);
    expect(result.stale).toEqual([]);
  });

  it('flags entries whose scenario or check passes, or that name no scored scenario', () => {
    const outcomes = new Map([
      ['a', outcome('a')],
      ['b', outcome('b', ['k1'])],
      ['c', outcome('c')],
    ]);
    const result = evaluate(
      set,
      outcomes,
      [
        { scenario: 'a', reason },
        { scenario: 'b', check: 'k1', reason },
        { scenario: 'b', check: 'k9', reason },
        { scenario: 'x', reason },
      ],
      'missing',
    );
    expect(result.stale.sort()).toEqual(
      ['a (now passes)', 'b:k9 (now passes)', 'x (not a scored scenario of this set)'].sort(),
    );
    expect(result.unexpected).toEqual([]);
  });
});

describe('readResults', () => {
  it('reads per-scenario checks.json folders and ignores anything else', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-test-'));
    try {
      const write = (folder: string, checks: unknown) => {
        mkdirSync(join(dir, folder));
        writeFileSync(join(dir, folder, 'checks.json'), JSON.stringify(checks));
      };
      write('server-tools-call-with-progress-2026-11-21T23-45-48-911Z', [
        { id: 'ok', status: 'SUCCESS' },
        { id: 'warn', status: 'WARNING' },
        { id: 'bad', status: 'FAILURE', errorMessage: 'no progress' },
      ]);
      write('server-ping-2026-11-21T23-45-48-912Z', [{ id: 'ok', status: 'SUCCESS' }]);
      mkdirSync(join(dir, 'server-crashed-2026-11-21T23-45-48-913Z'));
      mkdirSync(join(dir, 'unrelated'));
      const results = readResults(dir);
      expect([...results.keys()].sort()).toEqual(['ping', 'tools-call-with-progress']);
      expect(results.get('tools-call-with-progress')).toEqual({
        name: 'tools-call-with-progress',
        status: 'failed',
        passed: 1,
        failed: 1,
        warnings: 1,
        failures: [{ id: 'bad', status: 'FAILURE', message: 'no progress' }],
      });
      expect(results.get('ping')?.status).toBe('passed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
