import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { WebSocketClientTransport } from '@modelcontextprotocol/sdk/client/websocket.js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { exercise, freePort } from './exercise.js';
import { cliPath, everythingPath, expectAllGone, startTranslate, stopAll } from './helpers.js';

const newClient = () => new Client({ name: 'translate-test', version: '1.0.0' });
/** `mcp-translate <direction> --port 0` in front of server-everything over stdio. */
const translateEverything = (direction: string) =>
  startTranslate([direction, '--port', '0', '--', process.execPath, everythingPath, 'stdio']);

beforeAll(() => {
  // The SDK's WebSocket client uses the global WebSocket, which Node 20 lacks.
  (globalThis as { WebSocket?: unknown }).WebSocket ??= WebSocket;
});
afterEach(stopAll);

describe('stdio → network directions (SDK client → mcp-translate → server-everything over stdio)', () => {
  it('stdio-to-streamable-http carries tools, progress, resources and prompts', async () => {
    const t = await translateEverything('stdio-to-streamable-http');
    const client = newClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`)));
    await exercise(client);
    expect(t.descendants().length).toBeGreaterThan(0);
    await client.close();
    expect(await t.stop()).toBe(0);
    expect(t.stdout()).toBe('');
  });

  it('stdio-to-streamable-http --shared-child --json-response serves two clients from one child', async () => {
    const t = await startTranslate([
      'stdio-to-streamable-http',
      '--port',
      '0',
      '--shared-child',
      '--json-response',
      '--cmd',
      `${process.execPath} ${everythingPath} stdio`,
    ]);
    const a = newClient();
    const b = newClient();
    await a.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`)));
    await b.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`)));
    await Promise.all([exercise(a), exercise(b)]);
    // one server child (npx-free: node itself), however many sessions
    expect(t.descendants().length).toBe(1);
    await Promise.all([a.close(), b.close()]);
    expect(await t.stop()).toBe(0);
  });

  it.each([
    ['stdio-to-sse', (url: string) => new SSEClientTransport(new URL(`${url}/sse`))],
    [
      'stdio-to-ws',
      (url: string) => new WebSocketClientTransport(new URL(`${url.replace('http', 'ws')}/message`)),
    ],
  ] as const)('%s carries tools, progress, resources and prompts', async (direction, transportTo) => {
    const t = await translateEverything(direction);
    const client = newClient();
    await client.connect(transportTo(t.url));
    await exercise(client);
    await client.close();
    expect(await t.stop()).toBe(0);
  });

  it('serve exposes one server on streamable HTTP, SSE and WebSocket at once', async () => {
    const t = await translateEverything('serve');
    const clients = [newClient(), newClient(), newClient()];
    await clients[0]!.connect(new StreamableHTTPClientTransport(new URL(`${t.url}/mcp`)));
    await clients[1]!.connect(new SSEClientTransport(new URL(`${t.url}/sse`)));
    await clients[2]!.connect(new WebSocketClientTransport(new URL(`${t.url.replace('http', 'ws')}/ws`)));
    for (const client of clients) {
      const echo = await client.callTool({ name: 'echo', arguments: { message: 'multi' } });
      expect(echo.content).toEqual([{ type: 'text', text: 'Echo: multi' }]);
    }
    await Promise.all(clients.map((c) => c.close()));
    expect(await t.stop()).toBe(0);
  });
});

/** Runs server-everything's own HTTP transport on a free port; resolves once it listens. */
async function startEverything(mode: 'sse' | 'streamableHttp') {
  const port = await freePort();
  const proc = spawn(process.execPath, [everythingPath, mode], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    proc.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (/running on port|listening on port/i.test(err)) resolve();
    });
    proc.once('exit', (code) => reject(new Error(`server-everything exited ${code}: ${err}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      proc.kill('SIGTERM');
      await expectAllGone([proc.pid!]);
    },
  };
}

async function viaStdio(args: string[]) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cliPath, ...args],
    stderr: 'pipe',
  });
  const client = newClient();
  await client.connect(transport);
  return { client, pid: transport.pid! };
}

describe('network → stdio directions (SDK client over stdio → mcp-translate → remote server)', () => {
  it.each([
    ['streamable-http-to-stdio', 'streamableHttp', '/mcp'],
    ['sse-to-stdio', 'sse', '/sse'],
  ] as const)('%s carries tools, progress, resources and prompts', async (direction, mode, path) => {
    const remote = await startEverything(mode);
    try {
      const { client, pid } = await viaStdio([direction, '--url', `${remote.url}${path}`]);
      await exercise(client);
      await client.close();
      await expectAllGone([pid]);
    } finally {
      await remote.stop();
    }
  });

  it('ws-to-stdio carries tools, progress, resources and prompts (through stdio-to-ws)', async () => {
    const t = await translateEverything('stdio-to-ws');
    const { client, pid } = await viaStdio([
      'ws-to-stdio',
      '--url',
      `${t.url.replace('http', 'ws')}/message`,
    ]);
    await exercise(client);
    await client.close();
    await expectAllGone([pid]);
    expect(await t.stop()).toBe(0);
  });
});
