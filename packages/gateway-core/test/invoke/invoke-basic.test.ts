import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningGateway, listeningGateway } from './support.js';

describe('invoke pipeline: a registered upstream behind /mcp and a virtual server', () => {
  let gw: ListeningGateway;
  let echo: EchoServer;
  let gatewayId: string;
  let serverId: string;

  beforeAll(async () => {
    echo = await startEchoServer();
    gw = await listeningGateway();
    const reg = await gw.call('POST', '/v1/gateways', {
      name: 'Echo Upstream',
      url: echo.url,
      transport: 'STREAMABLEHTTP',
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    gatewayId = reg.body.id;
    expect(reg.body.reachable).toBe(true);
    const tools = await gw.call('GET', `/v1/tools?gateway_id=${gatewayId}`);
    const echoTool = tools.body.find((t: { original_name: string }) => t.original_name === 'echo');
    const srv = await gw.call('POST', '/v1/servers', {
      name: 'echo-server',
      associated_tools: [{ id: echoTool.id, alias: 'echo' }],
    });
    expect(srv.status, JSON.stringify(srv.body)).toBe(201);
    serverId = srv.body.id;
  });
  afterAll(async () => {
    await gw?.close();
    await echo?.close();
  });

  it('discovers the upstream’s tools at registration under namespaced names', async () => {
    const tools = await gw.call('GET', `/v1/tools?gateway_id=${gatewayId}`);
    expect(tools.body.map((t: { name: string }) => t.name)).toContain('echo-upstream-echo');
  });

  it('lists and calls the tool through /mcp (namespaced) and through the virtual server (alias)', async () => {
    const all = await gw.client('/mcp');
    expect((await all.listTools()).tools.map((t) => t.name)).toContain('echo-upstream-echo');
    const r1 = await all.callTool({ name: 'echo-upstream-echo', arguments: { text: 'hi' } });
    expect(JSON.stringify(r1.content)).toContain('hi');

    const scoped = await gw.client(`/servers/${serverId}/mcp`);
    expect((await scoped.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    const r2 = await scoped.callTool({ name: 'echo', arguments: { text: 'there' } });
    expect(JSON.stringify(r2.content)).toContain('there');
    expect(scoped.getServerVersion()?.name).toBe('contextforge');
  });

  it('answers an unknown tool with -32602 naming it', async () => {
    const scoped = await gw.client(`/servers/${serverId}/mcp`);
    await expect(scoped.callTool({ name: 'nope', arguments: {} })).rejects.toThrow(/Unknown tool: nope/);
  });

  it('refreshes on demand and reports what changed', async () => {
    const r = await gw.call('POST', `/v1/gateways/${gatewayId}/tools/refresh`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.tools).toEqual({ created: 0, updated: expect.any(Number), removed: 0 });
  });

  it('keeps the registry and records the failure when the upstream goes away', async () => {
    await echo.close();
    const r = await gw.call('POST', `/v1/gateways/${gatewayId}/tools/refresh`);
    expect(r.status).toBe(502);
    expect(r.body.gateway.reachable).toBe(false);
    expect(r.body.error).toMatch(/ECONNREFUSED|connect|unreachable/i);
    const scoped = await gw.client(`/servers/${serverId}/mcp`);
    expect((await scoped.listTools()).tools.map((t) => t.name)).toEqual(['echo']);
    await expect(scoped.callTool({ name: 'echo', arguments: { text: 'x' } })).rejects.toThrow(
      /echo-upstream|upstream/i,
    );
  });
});
