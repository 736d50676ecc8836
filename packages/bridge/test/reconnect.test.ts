import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BridgeServer, isAlive, type JsonRpcMessage, openClientTransport } from '../src/index.js';

const echoPath = fileURLToPath(new URL('../../../servers/echo-stdio/server.mjs', import.meta.url));

function wsServer(port: number) {
  return new BridgeServer({
    child: { command: process.execPath, args: [echoPath] },
    port,
    websocket: { path: '/ws' },
    keepAliveMs: 0,
  });
}

async function until<T>(get: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const value = get();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('client transports reconnect with backoff', () => {
  it('answers pending requests when the WebSocket peer goes away, reconnects, replays initialize and goes on', async () => {
    let server = wsServer(0);
    const { port } = await server.listen();
    const client = openClientTransport(
      { url: `ws://127.0.0.1:${port}/ws` },
      { reconnect: { initialDelayMs: 50, maxDelayMs: 200 } },
    );
    const got = new Map<unknown, JsonRpcMessage>();
    client.onmessage = (m) => {
      if ('id' in m) got.set(m.id, m);
    };
    await client.start();
    await client.send({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    });
    await until(() => got.get('init'), 'initialize');
    await client.send({
      jsonrpc: '2.0',
      id: 'slow',
      method: 'tools/call',
      params: { name: 'slow', arguments: { ms: 10_000 } },
    });
    const firstChildren = await until(
      () => (server.childPids.length > 0 ? server.childPids : undefined),
      'a child',
    );

    await server.close(); // the peer restarts
    expect(await until(() => got.get('slow'), 'the pending answer')).toMatchObject({
      error: { code: -32000, message: expect.stringContaining('before answering "tools/call"') },
    });
    expect(firstChildren.filter(isAlive)).toEqual([]);
    server = wsServer(port);
    await server.listen();

    // after the reconnect the session was re-initialized behind our back; calls work again
    let answer: JsonRpcMessage | undefined;
    for (let i = 0; i < 100 && !(answer && 'result' in answer); i++) {
      got.delete('echo');
      await client.send({
        jsonrpc: '2.0',
        id: 'echo',
        method: 'tools/call',
        params: { name: 'echo', arguments: { text: 'back' } },
      });
      answer = await until(() => got.get('echo'), 'an echo answer');
      if (!('result' in answer)) await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer).toEqual({
      jsonrpc: '2.0',
      id: 'echo',
      result: { content: [{ type: 'text', text: 'back' }] },
    });
    expect([...got.keys()].filter((k) => String(k).startsWith('__bridge_replay'))).toEqual([]);
    await client.close();
    const pids = server.childPids;
    await server.close();
    await until(() => (pids.some(isAlive) ? undefined : true), 'children to end');
  });
});
