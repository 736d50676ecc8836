import { describe, expect, it } from 'vitest';
import type { JsonRpcMessage } from '../upstream/json-rpc.js';
import { TunnelSession } from './tunnel-session.js';

function harness() {
  const wire: Array<{ type: string; payload: JsonRpcMessage }> = [];
  const session = new TunnelSession(
    {
      id: 's1',
      name: 'echo',
      gatewayId: 'g1',
      principal: 'ada@example.com',
      connectedAt: new Date(),
      remoteAddress: undefined,
      serverInfo: undefined,
    },
    async (type, payload) => {
      wire.push({ type, payload });
    },
    () => undefined,
  );
  const channel = () => {
    const got: JsonRpcMessage[] = [];
    const closed: string[] = [];
    const c = session.openChannel({ onMessage: (m) => got.push(m), onClose: (r) => closed.push(r) });
    return { c, got, closed };
  };
  return { session, wire, channel };
}

describe('TunnelSession: several upstream connections over one tunnel', () => {
  it('renumbers colliding request ids and progress tokens, and routes answers back to their connection', async () => {
    const { session, wire, channel } = harness();
    const a = channel();
    const b = channel();
    await a.c.send({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { _meta: { progressToken: 1 } } });
    await b.c.send({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const [ta, tb] = wire.map((w) => (w.payload as { id: number }).id);
    expect(ta).not.toBe(tb);
    expect(wire[0]!.payload).toMatchObject({ params: { _meta: { progressToken: ta } } });

    session.deliver({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: { progressToken: ta, progress: 1 },
    });
    session.deliver({ jsonrpc: '2.0', id: tb as number, result: { tools: [] } });
    session.deliver({ jsonrpc: '2.0', id: ta as number, result: { content: [] } });
    expect(a.got).toEqual([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 1, progress: 1 } },
      { jsonrpc: '2.0', id: 1, result: { content: [] } },
    ]);
    expect(b.got).toEqual([{ jsonrpc: '2.0', id: 1, result: { tools: [] } }]);
  });

  it('maps cancellations to the tunnel id, sends server requests to the busy connection, and fails all on end', async () => {
    const { session, wire, channel } = harness();
    const a = channel();
    const b = channel();
    await b.c.send({ jsonrpc: '2.0', id: 7, method: 'tools/call' });
    const tunnelId = (wire[0]!.payload as { id: number }).id;
    session.deliver({ jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: {} });
    expect(b.got).toEqual([{ jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: {} }]);
    expect(a.got).toEqual([]);
    await b.c.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 7 } });
    expect(wire.at(-1)).toEqual({
      type: 'notification',
      payload: { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: tunnelId } },
    });
    session.deliver({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    expect(a.got.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    expect(b.got.at(-1)).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });

    session.end('connection lost');
    expect([a.closed, b.closed]).toEqual([['connection lost'], ['connection lost']]);
    await expect(a.c.send({ jsonrpc: '2.0', id: 2, method: 'ping' })).rejects.toThrow(
      /reverse proxy 'echo' is not connected \(connection lost\)/,
    );
    expect(() => session.openChannel({ onMessage: () => {}, onClose: () => {} })).toThrow(/disconnected/);
  });
});
