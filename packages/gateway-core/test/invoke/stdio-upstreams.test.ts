import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive, waitFor } from '../upstream/helpers/processes.js';
import { type ListeningGateway, listeningGateway } from './support.js';

const stdioUpstream = (name: string, flags: string[] = []) => ({
  name,
  transport: 'STDIO',
  command: process.execPath,
  args: [faultyStdioPath, ...flags],
});

/** The pid a faulty-stdio upstream reports through the gateway (its `pid` tool). */
async function pidThrough(gw: ListeningGateway, tool: string): Promise<number> {
  const r = await gw.rpc({
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: tool, arguments: {} },
  });
  const pid = Number(r.result?.content?.[0]?.text);
  expect(pid, JSON.stringify(r)).toBeGreaterThan(0);
  return pid;
}

describe('stdio upstreams spawned by the gateway (MCPGATEWAY_STDIO_ENABLED=true)', () => {
  let gw: ListeningGateway;

  beforeAll(async () => {
    gw = await listeningGateway({ MCPGATEWAY_STDIO_ENABLED: 'true' });
  });
  afterAll(() => gw?.close());

  it('spawns 2025-era and 2026-07-28 stdio servers, discovers them and calls their tools', async () => {
    const legacy = await gw.register(stdioUpstream('Stdio Legacy'));
    const modern = await gw.register(stdioUpstream('Stdio Modern', ['--modern']));
    expect([legacy.reachable, modern.reachable], JSON.stringify([legacy, modern])).toEqual([true, true]);
    expect((await gw.gw.invoke?.upstreams.client(legacy.id))?.era).toBe('legacy');
    expect((await gw.gw.invoke?.upstreams.client(modern.id))?.era).toBe('modern');
    for (const kind of ['streamable-2025', 'streamable-2026'] as const) {
      const client = await gw.connect(kind);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toEqual(expect.arrayContaining(['stdio-legacy-echo', 'stdio-modern-echo']));
      for (const tool of ['stdio-legacy-echo', 'stdio-modern-echo']) {
        const r = await client.callTool({ name: tool, arguments: { text: `${kind} → ${tool}` } });
        expect(r.content).toEqual([{ type: 'text', text: `${kind} → ${tool}` }]);
      }
      await client.close();
    }
  });

  it('kills the process when its gateway is deleted', async () => {
    const g = await gw.register(stdioUpstream('Stdio Doomed'));
    const pid = await pidThrough(gw, 'stdio-doomed-pid');
    expect(alive(pid)).toBe(true);
    expect((await gw.call('DELETE', `/v1/gateways/${g.id}`)).status).toBe(200);
    await waitFor(() => !alive(pid), `stdio upstream ${pid} to exit after its gateway was deleted`);
    const r = await gw.rpc({
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'stdio-doomed-pid', arguments: {} },
    });
    expect(r.error).toMatchObject({ code: -32602, message: 'Unknown tool: stdio-doomed-pid' });
  });

  it('kills the process when the gateway is disabled, and spawns a new one when it is enabled again', async () => {
    const g = await gw.register(stdioUpstream('Stdio Paused'));
    const pid = await pidThrough(gw, 'stdio-paused-pid');
    const off = await gw.call('POST', `/v1/gateways/${g.id}/state?activate=false`);
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    await waitFor(() => !alive(pid), `stdio upstream ${pid} to exit after its gateway was disabled`);
    const on = await gw.call('POST', `/v1/gateways/${g.id}/state?activate=true`);
    expect(on.status, JSON.stringify(on.body)).toBe(200);
    const again = await pidThrough(gw, 'stdio-paused-pid');
    expect(again).not.toBe(pid);
    expect(alive(again)).toBe(true);
  });

  it('leaves no process behind when the gateway closes', async () => {
    const own = await listeningGateway({ MCPGATEWAY_STDIO_ENABLED: 'true' });
    await own.register(stdioUpstream('Stdio Orphan'));
    const pid = await pidThrough(own, 'stdio-orphan-pid');
    await own.close();
    await waitFor(() => !alive(pid), `stdio upstream ${pid} to exit when the gateway closed`);
  });
});

describe('stdio upstreams with MCPGATEWAY_STDIO_ENABLED off (the default)', () => {
  let gw: ListeningGateway;

  beforeAll(async () => {
    gw = await listeningGateway();
  });
  afterAll(() => gw?.close());

  it('records the gateway as unreachable with a message naming the setting, and spawns nothing', async () => {
    const r = await gw.call('POST', '/v1/gateways', stdioUpstream('Stdio Refused'));
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    expect(r.body.reachable).toBe(false);
    expect(r.body.last_error).toMatch(/stdio.*disabled/i);
    expect((await gw.call('GET', `/v1/tools?gateway_id=${r.body.id}`)).body).toEqual([]);
    const refresh = await gw.call('POST', `/v1/gateways/${r.body.id}/tools/refresh`);
    expect(refresh.status).toBe(502);
    expect(refresh.body.error).toMatch(/stdio.*disabled/i);
  });
});
