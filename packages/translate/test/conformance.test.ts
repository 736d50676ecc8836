import { fixtureStdioCommand, formatReport, runConformance } from '@contextforge-internal/conformance';
import { afterEach, describe, expect, it } from 'vitest';
import { startTranslate, stopAll } from './helpers.js';

afterEach(stopAll);

// The official MCP conformance suite (server scenarios) against mcp-translate in front of the
// conformance fixture's stdio mode, with an empty expected-failures baseline: every scored
// scenario must pass. 2026-07-28 requests are served statelessly on a child of their own; the
// 2025-11-25 set runs sessions, either one child per session (default) or one shared child.
describe('conformance through mcp-translate stdio-to-streamable-http', () => {
  const { command, args } = fixtureStdioCommand();

  it('passes every 2025-11-25 and 2026-07-28 scenario with one shared child', {
    timeout: 240_000,
  }, async () => {
    const t = await startTranslate([
      'stdio-to-streamable-http',
      '--port',
      '0',
      '--shared-child',
      '--',
      command,
      ...args,
    ]);
    const report = await runConformance({
      url: `${t.url}/mcp`,
      requirements: 'both',
      label: 'mcp-translate --shared-child',
    });
    expect(report.ok, formatReport(report, { verbose: true })).toBe(true);
    expect(report.legs.map((l) => l.revision)).toEqual(['2025-11-25', '2026-07-28']);
    expect(await t.stop()).toBe(0);
  });

  it('passes every 2025-11-25 scenario with one child per session', { timeout: 240_000 }, async () => {
    const t = await startTranslate(['stdio-to-streamable-http', '--port', '0', '--', command, ...args]);
    const report = await runConformance({
      url: `${t.url}/mcp`,
      requirements: '2025-11-25',
      label: 'mcp-translate',
    });
    expect(report.ok, formatReport(report, { verbose: true })).toBe(true);
    expect(await t.stop()).toBe(0);
  });
});
