import { fileURLToPath } from 'node:url';
import { formatReport, runConformance, startFixtureProcess } from '@contextforge-internal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningEngine, startEngine } from '../support/start-engine.js';
import { createForwardingBackend } from './forwarding-backend.js';

const baseline = fileURLToPath(new URL('./engine-baseline.yaml', import.meta.url));

describe('official MCP conformance suite against the engine (forwarding to the conformance fixture)', () => {
  let fixture: Awaited<ReturnType<typeof startFixtureProcess>>;
  let forwarder: ReturnType<typeof createForwardingBackend>;
  let run: RunningEngine;

  beforeAll(async () => {
    fixture = await startFixtureProcess();
    forwarder = createForwardingBackend(fixture.url);
    run = await startEngine({ backend: forwarder.backend });
  });
  afterAll(async () => {
    await run?.close();
    await forwarder?.close();
    await fixture?.stop();
  });

  for (const [label, path] of [
    ['a virtual server', '/servers/fixture/mcp'],
    ['the aggregated endpoint', '/mcp'],
  ] as const) {
    it(`passes both requirement sets on ${label}`, { timeout: 240_000 }, async () => {
      const report = await runConformance({
        url: `${run.url}${path}`,
        requirements: 'both',
        expectedFailures: baseline,
        label: `engine ${path}`,
      });
      if (process.env.CONFORMANCE_VERBOSE) console.log(formatReport(report, { verbose: true }));
      expect(report.ok, formatReport(report, { verbose: true })).toBe(true);
    });
  }
});
