import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAlive, type JsonRpcMessage, openClientTransport, pipe, SupervisedChild } from '../src/index.js';

const echoPath = fileURLToPath(new URL('../../../servers/echo-stdio/server.mjs', import.meta.url));

function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      try {
        const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function waitGone(pids: number[]) {
  for (let i = 0; i < 100 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 20));
  expect(pids.filter(isAlive)).toEqual([]);
}

function collect(transport: { onmessage?: (m: JsonRpcMessage) => void }) {
  const got: JsonRpcMessage[] = [];
  transport.onmessage = (m) => got.push(m);
  return async (count: number) => {
    for (let i = 0; i < 200 && got.length < count; i++) await new Promise((r) => setTimeout(r, 10));
    return got;
  };
}

describe('stdio child lifecycle', () => {
  it('ends the whole process group on close, grandchildren included', async () => {
    // "; true" stops the shell from exec-ing node, so node is a grandchild of our child.
    const child = new SupervisedChild({
      command: 'sh',
      args: ['-c', `${process.execPath} ${echoPath}; true`],
    });
    const wait = collect(child);
    await child.start();
    await child.send({ jsonrpc: '2.0', id: 1, method: 'ping' });
    expect(await wait(1)).toEqual([{ jsonrpc: '2.0', id: 1, result: {} }]);
    const shell = child.pid!;
    const grandchildren = childrenOf(shell);
    expect(grandchildren).toHaveLength(1);
    await child.close();
    await waitGone([shell, ...grandchildren]);
  });

  it('answers pending requests when the child dies and gives up when restarts are off', async () => {
    const child = new SupervisedChild({ command: process.execPath, args: [echoPath], restart: false });
    const wait = collect(child);
    let closed: string | undefined;
    child.onclose = (info) => {
      closed = info?.reason;
    };
    await child.start();
    await child.send({
      jsonrpc: '2.0',
      id: 'a',
      method: 'tools/call',
      params: { name: 'slow', arguments: { ms: 5000 } },
    });
    await child.send({ jsonrpc: '2.0', id: 'b', method: 'tools/call', params: { name: 'crash' } });
    const got = await wait(2);
    expect(got.map((m) => (m as { id: string }).id).sort()).toEqual(['a', 'b']);
    expect(got[0]).toMatchObject({
      error: { code: -32000, message: expect.stringContaining('exited with code 3') },
    });
    for (let i = 0; i < 50 && !closed; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closed).toContain('exited with code 3');
    await expect(child.send({ jsonrpc: '2.0', id: 'c', method: 'ping' })).rejects.toThrow('has been closed');
  });

  it('pipes two transports preserving ids, server-initiated requests and their answers', async () => {
    // a: a stdio child that asks its client for sampling; b: a second child acting as "client" would be odd,
    // so the client side is played by the test through a ChildProcessTransport-compatible object.
    const server = openClientTransport({ command: [process.execPath, echoPath] });
    const sent: JsonRpcMessage[] = [];
    const client = {
      onmessage: undefined as ((m: JsonRpcMessage) => void) | undefined,
      onclose: undefined as (() => void) | undefined,
      onerror: undefined,
      start: async () => undefined,
      close: async () => client.onclose?.(),
      send: async (m: JsonRpcMessage) => {
        sent.push(m);
        // answer the server's sampling request like a host would
        if ('method' in m && m.method === 'sampling/createMessage' && 'id' in m) {
          client.onmessage?.({
            jsonrpc: '2.0',
            id: m.id,
            result: { content: { type: 'text', text: 'sampled!' } },
          });
        }
      },
    };
    await server.start();
    const unpipe = pipe(client, server);
    client.onmessage!({ jsonrpc: '2.0', id: 'req-7', method: 'tools/call', params: { name: 'sample' } });
    for (let i = 0; i < 200 && !sent.some((m) => 'id' in m && m.id === 'req-7'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(sent[0]).toMatchObject({ method: 'sampling/createMessage' });
    expect(sent[1]).toEqual({
      jsonrpc: '2.0',
      id: 'req-7',
      result: { content: [{ type: 'text', text: 'sampled!' }] },
    });
    const pid = (server as SupervisedChild).pid!;
    await unpipe();
    await waitGone([pid]);
  });
});
