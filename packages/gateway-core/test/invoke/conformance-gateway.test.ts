import { fileURLToPath } from 'node:url';
import {
  type FixtureProcess,
  formatReport,
  runConformance,
  startFixtureProcess,
} from '@contextforge-internal/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningGateway, listeningGateway } from './support.js';

const baselines = (name: string) =>
  fileURLToPath(new URL(`../../../../tools/conformance/baselines/${name}`, import.meta.url));

interface Member {
  id: string;
  original_name?: string;
}

/**
 * The official MCP conformance suite (both requirement sets) through a real listening gateway, with
 * authentication on: the conformance fixture is registered as a streamable-HTTP gateway whose tools and
 * prompts keep their upstream names (`prefix_names: false`), then served by a virtual server holding all of
 * them (tools under an alias equal to their upstream name) and by the aggregated `/mcp` endpoint. The
 * suite reaches the gateway through the runner's header proxy, which adds the administrator's bearer
 * token. Recipe: tools/conformance/README.md, "Through the gateway".
 */
describe('official MCP conformance suite through the gateway (fixture behind it)', () => {
  let fixture: FixtureProcess;
  let gw: ListeningGateway;
  let serverId: string;

  beforeAll(async () => {
    fixture = await startFixtureProcess();
    gw = await listeningGateway();
    const reg = await gw.call('POST', '/v1/gateways', {
      name: 'Conformance fixture',
      url: fixture.url,
      transport: 'STREAMABLEHTTP',
      prefix_names: false,
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body.reachable).toBe(true);
    const members = async (kind: string): Promise<Member[]> => {
      const r = await gw.call('GET', `/v1/${kind}?gateway_id=${reg.body.id}&limit=500`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      return r.body;
    };
    const [tools, resources, prompts] = await Promise.all([
      members('tools'),
      members('resources'),
      members('prompts'),
    ]);
    expect(tools.map((t) => t.original_name)).toContain('test_simple_text');
    const srv = await gw.call('POST', '/v1/servers', {
      name: 'conformance',
      associated_tools: tools.map((t) => ({ id: t.id, alias: t.original_name })),
      associated_resources: resources.map((r) => r.id),
      associated_prompts: prompts.map((p) => p.id),
    });
    expect(srv.status, JSON.stringify(srv.body)).toBe(201);
    serverId = srv.body.id;
  });
  afterAll(async () => {
    await gw?.close();
    await fixture?.stop();
  });

  it('answers arguments that break the input schema with a tool error the model can read (SEP-1303)', async () => {
    const client = await gw.client(`/servers/${serverId}/mcp`);
    const result = await client.callTool({ name: 'test_sampling', arguments: {} });
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain("tool 'test_sampling': arguments.prompt");
  });

  for (const [label, path, baseline] of [
    ['a virtual server', () => `/servers/${serverId}/mcp`, 'gateway-virtual-server.yaml'],
    ['the aggregated /mcp endpoint', () => '/mcp', 'gateway-aggregated.yaml'],
  ] as const) {
    it(`passes both requirement sets on ${label}`, { timeout: 300_000 }, async () => {
      const report = await runConformance({
        url: `${gw.url}${path()}`,
        requirements: 'both',
        expectedFailures: baselines(baseline),
        headers: { authorization: `Bearer ${gw.adminToken}` },
        label: `gateway ${label}`,
      });
      if (process.env.CONFORMANCE_VERBOSE) console.log(formatReport(report, { verbose: true }));
      expect(report.ok, formatReport(report, { verbose: true })).toBe(true);
      // Every scored scenario of both sets ran (a run that reached nothing cannot pass).
      for (const leg of report.legs)
        expect(leg.scenarios.filter((s) => s.scored).length, leg.revision).toBeGreaterThanOrEqual(30);
    });
  }
});
