// End to end: the real `mcp-reverse-proxy` CLI (packages/reverse-proxy/dist/cli.js, built) publishes the
// echo-stdio server through a real listening gateway's WS /reverse-proxy/ws; MCP clients reach it through
// /mcp and a virtual server; the tunnel's death, return, forced disconnect and refusals are observed from
// the outside (REST, MCP, the proxy's exit code and stderr).
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type ListeningGateway, listeningGateway } from '../invoke/support.js';

const require = createRequire(import.meta.url);
const cli = join(dirname(require.resolve('@contextforge/reverse-proxy/package.json')), 'dist/cli.js');
const echo = join(dirname(require.resolve('@contextforge-internal/echo-stdio/package.json')), 'server.mjs');

// Every process started here (and its children) carries this marker, so leftovers are found in /proc
// (Linux; elsewhere the check has nothing to read).
const MARK = `RPGW_TEST_${randomUUID().replaceAll('-', '')}`;
function marked(): number[] {
  if (!existsSync('/proc/self/environ')) return [];
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        return readFileSync(`/proc/${e}/environ`, 'utf8').includes(`${MARK}=1`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

interface Proxy {
  proc: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
}
const proxies: Proxy[] = [];

function startProxy(gatewayUrl: string, token: string, name = 'Echo Tunnel'): Proxy {
  const proc = spawn(
    process.execPath,
    [
      cli,
      '--local-stdio',
      `${process.execPath} ${echo}`,
      '--gateway',
      gatewayUrl,
      '--token',
      token,
      '--name',
      name,
      '--description',
      'echo-stdio behind NAT',
      '--reconnect-delay',
      '0.2',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, [MARK]: '1' } },
  );
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const p = { proc, exited, stderr: () => err };
  proxies.push(p);
  return p;
}

/** Status of a raw upgrade to the tunnel endpoint (101 when it was accepted). */
function upgradeStatus(gatewayUrl: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${gatewayUrl.replace('http', 'ws')}/reverse-proxy/ws`, { headers });
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(res.statusCode ?? 0);
    });
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('error', (e) => reject(e));
  });
}

describe('reverse proxy, gateway side: the mcp-reverse-proxy CLI publishing echo-stdio', () => {
  let gw: ListeningGateway;
  let mcp: Client;
  let gatewayId: string;
  const sessions = async () =>
    (await gw.call('GET', '/v1/reverse-proxy/sessions')).body as Array<Record<string, unknown>>;
  const gateway = async () => (await gw.call('GET', `/v1/gateways/${gatewayId}`)).body;

  beforeAll(async () => {
    gw = await listeningGateway({ MCPGATEWAY_REVERSE_PROXY_ENABLED: 'true' });
    mcp = await gw.client('/mcp');
  });
  afterEach(async () => {
    for (const p of proxies.splice(0)) {
      if (p.proc.exitCode === null && p.proc.signalCode === null) p.proc.kill('SIGTERM');
      await p.exited;
    }
    await waitFor(() => marked().length === 0 || undefined, `no leftover processes (${marked().join(', ')})`);
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('refuses tunnels without a bearer token (401) or with one lacking gateways.create (403); the proxy exits 1 naming the token', async () => {
    expect(await upgradeStatus(gw.url, {})).toBe(401);
    // An API token limited to reading gateways is authenticated, but may not publish one.
    const created = await gw.call('POST', '/v1/tokens', {
      name: 'read-only',
      scope: { permissions: ['gateways.read'] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(await upgradeStatus(gw.url, { authorization: `Bearer ${created.body.access_token}` })).toBe(403);

    const p = startProxy(gw.url, 'not-a-valid-token');
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('gateway refused the token (HTTP 401)');
    expect(await sessions()).toEqual([]);
  });

  it('publishes the local server as a gateway whose tools work through /mcp and a virtual server', async () => {
    startProxy(gw.url, gw.adminToken);
    const tools = await waitFor(async () => {
      const r = await gw.call('GET', '/v1/tools');
      const found = (r.body as Array<{ name: string; gateway_id: string; id: string }>).filter((t) =>
        t.name.startsWith('echo-tunnel-'),
      );
      return found.length > 0 ? found : undefined;
    }, 'the tunnel’s tools to be discovered');
    gatewayId = tools[0]!.gateway_id;
    expect(await gateway()).toMatchObject({
      name: 'Echo Tunnel',
      transport: 'REVERSEPROXY',
      url: null,
      reachable: true,
      description: 'echo-stdio behind NAT',
    });
    const [session] = await sessions();
    expect(session).toMatchObject({
      name: 'Echo Tunnel',
      gateway_id: gatewayId,
      principal: gw.gw.config.PLATFORM_ADMIN_EMAIL,
      remote_address: '127.0.0.1',
      server_info: { name: 'echo-stdio' },
    });

    const r1 = await mcp.callTool({ name: 'echo-tunnel-echo', arguments: { text: 'through the tunnel' } });
    expect(r1.content).toEqual([{ type: 'text', text: 'through the tunnel' }]);
    // Progress notifications find their way back (tokens are renumbered tunnel-wide and mapped back).
    const progress: number[] = [];
    await mcp.callTool({ name: 'echo-tunnel-progress', arguments: { steps: 3 } }, undefined, {
      onprogress: (p) => progress.push(p.progress),
    });
    expect(progress).toEqual([1, 2, 3]);
    // A server→client request (sampling) travels gateway-ward through the tunnel and its answer back.
    const sampler = new Client({ name: 'sampler', version: '1.0.0' }, { capabilities: { sampling: {} } });
    sampler.setRequestHandler(CreateMessageRequestSchema, async () => ({
      role: 'assistant',
      content: { type: 'text', text: 'sampled downstream' },
      model: 'test-model',
    }));
    await sampler.connect(
      new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${gw.adminToken}` } },
      }),
    );
    const sampled = await sampler.callTool({ name: 'echo-tunnel-sample', arguments: {} });
    expect(sampled.content).toEqual([{ type: 'text', text: 'sampled downstream' }]);
    await sampler.close();

    const echoTool = tools.find((t) => t.name === 'echo-tunnel-echo')!;
    const srv = await gw.call('POST', '/v1/servers', {
      name: 'tunnel-server',
      associated_tools: [{ id: echoTool.id, alias: 'echo' }],
    });
    expect(srv.status, JSON.stringify(srv.body)).toBe(201);
    const scoped = await gw.client(`/servers/${srv.body.id}/mcp`);
    const r2 = await scoped.callTool({ name: 'echo', arguments: { text: 'virtual' } });
    expect(r2.content).toEqual([{ type: 'text', text: 'virtual' }]);
  });

  it('fails a call in flight at once when the proxy dies, keeps the gateway (unreachable), and brings it back on reconnect', async () => {
    const first = startProxy(gw.url, gw.adminToken);
    await waitFor(
      async () => (await gateway()).reachable === true || undefined,
      'the gateway to be reachable',
    );
    const slow = mcp.callTool({ name: 'echo-tunnel-slow', arguments: { ms: 600_000 } }, undefined, {
      timeout: 600_000,
    });
    const outcome = slow.then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await waitFor(
      async () => ((await sessions())[0]?.in_flight as number) > 0 || undefined,
      'the call to be in flight',
    );
    first.proc.kill('SIGKILL');
    // No timing threshold: only the tunnel's death produces this message (a timeout would say so, and
    // this test's own timeout is far below the call's).
    expect(await outcome).toMatch(/reverse proxy disconnected/);

    await waitFor(async () => ((await sessions()).length === 0 ? true : undefined), 'the session to go');
    const down = await waitFor(async () => {
      const g = await gateway();
      return g.reachable === false ? g : undefined;
    }, 'the gateway to be marked unreachable');
    expect(down.last_error).toMatch(/reverse proxy disconnected/);
    const listed = (await mcp.listTools()).tools.map((t) => t.name);
    expect(listed).toContain('echo-tunnel-echo');
    await expect(mcp.callTool({ name: 'echo-tunnel-echo', arguments: { text: 'x' } })).rejects.toThrow(
      /reverse proxy is not connected \(it disconnected at/,
    );

    startProxy(gw.url, gw.adminToken);
    await waitFor(
      async () => ((await sessions())[0]?.gateway_id === gatewayId ? true : undefined),
      'the reconnect',
    );
    await waitFor(
      async () => (await gateway()).reachable === true || undefined,
      'the gateway to be reachable again',
    );
    const again = await mcp.callTool({ name: 'echo-tunnel-echo', arguments: { text: 'back' } });
    expect(again.content).toEqual([{ type: 'text', text: 'back' }]);
  });

  it('disconnects a session on DELETE /v1/reverse-proxy/sessions/{id}: the proxy exits 1 with the reason', async () => {
    const p = startProxy(gw.url, gw.adminToken);
    const [session] = await waitFor(async () => {
      const list = await sessions();
      return list.length > 0 ? list : undefined;
    }, 'the session');
    const r = await gw.call('DELETE', `/v1/reverse-proxy/sessions/${session!.id}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/gateway refused the registration: disconnected by/);
    expect((await gateway()).reachable).toBe(false);
    expect((await gw.call('DELETE', `/v1/reverse-proxy/sessions/${session!.id}`)).status).toBe(404);
  });

  it('deleting the gateway stops its connected proxy and removes its tools', async () => {
    const p = startProxy(gw.url, gw.adminToken);
    await waitFor(
      async () => (await gateway()).reachable === true || undefined,
      'the gateway to be reachable',
    );
    expect((await gw.call('DELETE', `/v1/gateways/${gatewayId}`)).status).toBe(200);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toMatch(/gateway refused the registration: gateway \w+ was deleted/);
    await waitFor(async () => ((await sessions()).length === 0 ? true : undefined), 'the session to go');
    const left = (await gw.call('GET', '/v1/tools')).body as Array<{ name: string }>;
    expect(left.filter((t) => t.name.startsWith('echo-tunnel-'))).toEqual([]);
  });

  it('refuses REVERSEPROXY gateways registered by hand with 400 naming the transport field', async () => {
    const r = await gw.call('POST', '/v1/gateways', { name: 'by-hand', transport: 'REVERSEPROXY' });
    expect(r.status).toBe(400);
    expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'transport' });
    expect(r.body.error.message).toMatch(/created by mcp-reverse-proxy/);
  });
});
