// Federation (issue 5, part 5): another ContextForge gateway registers like any upstream, its tools keep
// namespaced names, and loops are detected — a request that came through a gateway is not sent back to it,
// and two gateways registering each other neither re-import their own tools nor refresh each other forever.
import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modernPost } from '../mcp/support/start-engine.js';
import { type ListeningGateway, listeningGateway } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON shapes.
type Json = any;

const VIA = 'io.contextforge/via';

describe('federation: ContextForge gateways registered in each other', () => {
  let echoA: EchoServer;
  let echoB: EchoServer;
  let a: ListeningGateway;
  let b: ListeningGateway;
  /** Gateway A's record in B, and B's in A. */
  let aInB: string;
  let bInA: string;

  const names = async (gw: ListeningGateway) =>
    ((await gw.call('GET', '/v1/tools')).body as Json[]).map((t) => t.name as string).sort();

  /** Registers `peer`'s /mcp in `gw`, authenticated with a bearer token of `peer`. */
  const register = async (gw: ListeningGateway, name: string, peer: ListeningGateway): Promise<string> => {
    const reg = await gw.call('POST', '/v1/gateways', {
      name,
      url: `${peer.url}/mcp`,
      transport: 'STREAMABLEHTTP',
      auth_type: 'bearer',
      auth_token: peer.adminToken,
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    expect(reg.body.reachable, JSON.stringify(reg.body)).toBe(true);
    return reg.body.id;
  };

  beforeAll(async () => {
    [echoA, echoB] = await Promise.all([startEchoServer(), startEchoServer()]);
    [a, b] = await Promise.all([listeningGateway(), listeningGateway()]);
    for (const [gw, echo, name] of [
      [a, echoA, 'Echo A'],
      [b, echoB, 'Echo B'],
    ] as const) {
      const reg = await gw.call('POST', '/v1/gateways', { name, url: echo.url, transport: 'STREAMABLEHTTP' });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    }
    aInB = await register(b, 'Gateway A', a);
  });
  afterAll(async () => {
    await Promise.allSettled([a?.close(), b?.close()]);
    await Promise.allSettled([echoA?.close(), echoB?.close()]);
  });

  it("lists A's tools in B under B's namespace for A, and calls them through B", async () => {
    expect(await names(b)).toEqual(['echo-b-echo', 'gateway-a-echo-a-echo']);
    const client = await b.client('/mcp');
    const r = await client.callTool({
      name: 'gateway-a-echo-a-echo',
      arguments: { text: 'through two gateways' },
    });
    expect(r.content).toEqual([{ type: 'text', text: 'through two gateways' }]);
  });

  it('takes nothing of its own back when A registers B too, and both registries settle', async () => {
    bInA = await register(a, 'Gateway B', b);
    // A got B's own tool, not its own tool back through B.
    expect(await names(a)).toEqual(['echo-a-echo', 'gateway-b-echo-b-echo']);
    // Refreshing either side changes nothing: the pair has settled.
    for (const [gw, id] of [
      [b, aInB],
      [a, bInA],
    ] as const) {
      const r = await gw.call('POST', `/v1/gateways/${id}/tools/refresh`);
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.tools).toEqual({ created: 0, updated: 0, removed: 0 });
    }
    expect(await names(b)).toEqual(['echo-b-echo', 'gateway-a-echo-a-echo']);
    expect(await names(a)).toEqual(['echo-a-echo', 'gateway-b-echo-b-echo']);
    // …and stays quiet: no list change is announced any more (each would make the peer refresh, and so on).
    // A refresh still under way may record the gateway's health (`gateway:id:…`): that announces no list.
    const announced: string[] = [];
    const offs = [a, b].map((gw) =>
      gw.gw.cache.onInvalidate((inv) => announced.push(...inv.keys, ...(inv.prefix ? [inv.prefix] : []))),
    );
    await new Promise((r) => setTimeout(r, 1000));
    for (const off of offs) off();
    expect(announced.filter((k) => !k.startsWith('gateway:'))).toEqual([]);
    // Both directions still work.
    const viaA = await (await a.client('/mcp')).callTool({
      name: 'gateway-b-echo-b-echo',
      arguments: { text: 'b' },
    });
    expect(viaA.content).toEqual([{ type: 'text', text: 'b' }]);
  });

  it('refuses a call that would come back to a gateway it already passed through, at once', async () => {
    const auth = (gw: ListeningGateway) => ({ authorization: `Bearer ${gw.adminToken}` });
    // A peer's listing names the deployments each entry passes through, the answering one first.
    const listed = await modernPost(
      `${a.url}/mcp`,
      'tools/list',
      {},
      { headers: auth(a), meta: { [VIA]: ['probe'] } },
    );
    expect(listed.status, listed.text).toBe(200);
    const own = listed.body.result.tools.find((t: Json) => t.name === 'echo-a-echo');
    const fromB = listed.body.result.tools.find((t: Json) => t.name === 'gateway-b-echo-b-echo');
    const idA = own._meta[VIA][0] as string;
    expect(own._meta[VIA]).toEqual([idA]);
    expect(fromB._meta[VIA]).toEqual([idA, expect.any(String)]);
    const idB = fromB._meta[VIA][1] as string;
    expect(idB).not.toBe(idA);
    // A client request that already came through A: B forwards it to A with the via list intact, A refuses.
    const bounced = await modernPost(
      `${b.url}/mcp`,
      'tools/call',
      { name: 'gateway-a-echo-a-echo', arguments: { text: 'loop' } },
      { headers: auth(b), meta: { [VIA]: [idA] } },
    );
    expect(bounced.body.error, bounced.text).toMatchObject({
      code: -32600,
      message: expect.stringMatching(
        /^federation loop: this request already passed through this gateway \(via 2 gateways\)/,
      ),
    });
    // B refuses what already passed through B before calling anything.
    const calls = echoB.counts.get('tools/call') ?? 0;
    const direct = await modernPost(
      `${b.url}/mcp`,
      'tools/call',
      { name: 'echo-b-echo', arguments: { text: 'loop' } },
      { headers: auth(b), meta: { [VIA]: [idB] } },
    );
    expect(direct.body.error.message).toMatch(/federation loop/);
    expect(echoB.counts.get('tools/call') ?? 0).toBe(calls);
  });
});

describe('federation: three gateways in a ring (A → B → C → A)', () => {
  const gws: ListeningGateway[] = [];
  const echos: EchoServer[] = [];
  afterAll(async () => {
    await Promise.allSettled(gws.map((g) => g.close()));
    await Promise.allSettled(echos.map((e) => e.close()));
  });

  it('settles with every path that does not lead back, found through list_changed alone', async () => {
    for (const name of ['A', 'B', 'C']) {
      const echo = await startEchoServer();
      const gw = await listeningGateway();
      echos.push(echo);
      gws.push(gw);
      const reg = await gw.call('POST', '/v1/gateways', {
        name: `Echo ${name}`,
        url: echo.url,
        transport: 'STREAMABLEHTTP',
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    }
    const [a, b, c] = gws as [ListeningGateway, ListeningGateway, ListeningGateway];
    for (const [gw, peer, name] of [
      [a, b, 'Gateway B'],
      [b, c, 'Gateway C'],
      [c, a, 'Gateway A'],
    ] as const) {
      const reg = await gw.call('POST', '/v1/gateways', {
        name,
        url: `${peer.url}/mcp`,
        transport: 'STREAMABLEHTTP',
        auth_type: 'bearer',
        auth_token: peer.adminToken,
      });
      expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    }
    const names = async (gw: ListeningGateway) =>
      ((await gw.call('GET', '/v1/tools')).body as Json[]).map((t) => t.name as string).sort();
    // Each sees its own tool and the two others' along the ring, never its own tool coming back.
    await expect
      .poll(() => names(a), { timeout: 15_000 })
      .toEqual(['echo-a-echo', 'gateway-b-echo-b-echo', 'gateway-b-gateway-c-echo-c-echo']);
    await expect
      .poll(() => names(b), { timeout: 15_000 })
      .toEqual(['echo-b-echo', 'gateway-c-echo-c-echo', 'gateway-c-gateway-a-echo-a-echo']);
    await expect
      .poll(() => names(c), { timeout: 15_000 })
      .toEqual(['echo-c-echo', 'gateway-a-echo-a-echo', 'gateway-a-gateway-b-echo-b-echo']);
    // Two hops: A → B → C → C's upstream.
    const r = await (await a.client('/mcp')).callTool({
      name: 'gateway-b-gateway-c-echo-c-echo',
      arguments: { text: 'around' },
    });
    expect(r.content).toEqual([{ type: 'text', text: 'around' }]);
  });
});
