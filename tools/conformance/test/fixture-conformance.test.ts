import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConformanceReport,
  EngineUnavailableError,
  type FixtureProcess,
  runConformance,
  startFixtureProcess,
} from '../src/index.mjs';

const fixtureBaseline = fileURLToPath(new URL('../baselines/fixture.yaml', import.meta.url));

/** Scenarios the requirement sets run without scoring that the fixture must pass anyway. */
const UNSCORED_BUT_EXPECTED_TO_PASS = [
  'json-schema-2020-12',
  'server-session-lifecycle',
  'server-sse-polling',
  'http-header-validation',
  'http-custom-header-server-validation',
];

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the official conformance suite against the conformance fixture (HTTP, both eras)', () => {
  const started: FixtureProcess[] = [];
  let fixture: FixtureProcess;
  let report: ConformanceReport;

  beforeAll(async () => {
    fixture = await startFixtureProcess();
    started.push(fixture);
    report = await runConformance({
      url: fixture.url,
      requirements: 'both',
      expectedFailures: fixtureBaseline,
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    for (const p of started) expect(isAlive(p.pid), `fixture pid ${p.pid} still running`).toBe(false);
  });

  it('passes every scored scenario of 2025-11-25 and 2026-07-28 with an empty baseline', () => {
    expect(report.legs.map((leg) => leg.revision)).toEqual(['2025-11-25', '2026-07-28']);
    for (const leg of report.legs) {
      const scored = leg.scenarios.filter((s) => s.scored);
      expect(scored.length, `${leg.revision} scored scenarios`).toBeGreaterThan(25);
      expect(
        scored
          .filter((s) => s.verdict !== 'pass')
          .map((s) => `${s.name}: ${JSON.stringify(s.outcome.failures)}`),
      ).toEqual([]);
      expect(leg.unexpected).toEqual([]);
      expect(leg.stale).toEqual([]);
      expect(leg.engine.version).toBe('0.2.0-alpha.12');
    }
    expect(report.ok).toBe(true);
  });

  it('covers the stateless-era scenarios (server/discover, listen, MRTR, caching, SEP-2164)', () => {
    const modern = report.legs.find((leg) => leg.revision === '2026-07-28');
    const passed = new Set(modern?.scenarios.filter((s) => s.verdict === 'pass').map((s) => s.name));
    for (const name of [
      'server-stateless',
      'caching',
      'sep-2164-resource-not-found',
      'input-required-result-multi-round',
      'input-required-result-tampered-state',
    ]) {
      expect(passed.has(name), name).toBe(true);
    }
  });

  it('also passes the pending and post-release scenarios the sets run without scoring', () => {
    const unscored = report.legs.flatMap((leg) => leg.scenarios.filter((s) => !s.scored));
    for (const name of UNSCORED_BUT_EXPECTED_TO_PASS) {
      const runs = unscored.filter((s) => s.name === name);
      expect(runs.length, `${name} was run`).toBeGreaterThan(0);
      for (const run of runs)
        expect(run.verdict, `${name}: ${JSON.stringify(run.outcome.failures)}`).toBe('unscored-pass');
    }
  });

  it('fails on an unbaselined failure, accepts it with a justified entry, and flags the entry once it passes', async () => {
    // A fixture without DNS-rebinding protection fails dns-rebinding-protection for real.
    const unprotected = await startFixtureProcess({ args: ['--any-host'] });
    started.push(unprotected);
    const only = { requirements: '2025-11-25', scenarios: ['dns-rebinding-protection'] } as const;
    const baseline = {
      '2025-11-25': [
        { scenario: 'dns-rebinding-protection', reason: 'fixture started with --any-host for this test' },
      ],
    };

    const failing = await runConformance({ url: unprotected.url, ...only });
    expect(failing.ok).toBe(false);
    expect(failing.legs[0]?.unexpected).toEqual(['dns-rebinding-protection']);

    const accepted = await runConformance({ url: unprotected.url, ...only, expectedFailures: baseline });
    expect(accepted.ok).toBe(true);
    expect(accepted.legs[0]?.expected).toEqual(['dns-rebinding-protection']);

    const stale = await runConformance({ url: fixture.url, ...only, expectedFailures: baseline });
    expect(stale.ok).toBe(false);
    expect(stale.legs[0]?.stale).toEqual(['dns-rebinding-protection (now passes)']);
  });

  it('runs the 2025-11-25 scenarios with the stable 0.1.13 suite on this Node', async () => {
    const stable = await runConformance({
      url: fixture.url,
      requirements: '2025-11-25',
      engine: 'stable',
      scenarios: ['ping', 'tools-call-with-progress'],
    });
    expect(stable.legs[0]?.engine).toMatchObject({
      name: 'stable',
      version: '0.1.13',
      node: process.execPath,
    });
    expect(stable.legs[0]?.scenarios.map((s) => [s.name, s.verdict])).toEqual([
      ['ping', 'pass'],
      ['tools-call-with-progress', 'pass'],
    ]);
    expect(stable.ok).toBe(true);
    await expect(
      runConformance({ url: fixture.url, requirements: '2026-07-28', engine: 'stable' }),
    ).rejects.toThrow(EngineUnavailableError);
  });

  it('rejects bad options before starting anything', async () => {
    await expect(runConformance({ url: 'not a url' })).rejects.toThrow(/url must be an http\(s\) URL/);
    await expect(
      runConformance({ url: fixture.url, requirements: '2024-01-01' as unknown as 'both' }),
    ).rejects.toThrow(/requirements must be 2025-11-25, 2026-07-28 or both/);
    await expect(
      runConformance({
        url: fixture.url,
        expectedFailures: { '2026-07-28': [{ scenario: 'caching' }] } as never,
      }),
    ).rejects.toThrow(/"reason" must justify the entry/);
  });

  it('reports every scored scenario as failed when the endpoint is unreachable', async () => {
    const dead = await startFixtureProcess();
    const url = dead.url;
    await dead.stop();
    const result = await runConformance({
      url,
      requirements: '2025-11-25',
      scenarios: ['ping', 'tools-list'],
    });
    expect(result.ok).toBe(false);
    expect(result.legs[0]?.unexpected.sort()).toEqual(['ping', 'tools-list']);
  });
});
