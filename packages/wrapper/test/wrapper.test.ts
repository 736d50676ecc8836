import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { BridgeServer, isAlive } from '@contextforge/bridge';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const echoPath = fileURLToPath(new URL('../../../servers/echo-stdio/server.mjs', import.meta.url));
const everythingPath = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function waitGone(pids: number[]) {
  for (let i = 0; i < 100 && pids.some(isAlive); i++) await new Promise((r) => setTimeout(r, 50));
  expect(pids.filter(isAlive)).toEqual([]);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A wrapper process driven by the official SDK client over stdio. */
async function wrapperClient(env: Record<string, string>) {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [cli],
    env: { ...process.env, ...env } as Record<string, string>,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const client = new Client({ name: 'wrapper-test', version: '1.0.0' });
  await client.connect(transport);
  const pid = transport.pid!;
  cleanups.push(async () => {
    await client.close();
    await waitGone([pid]);
  });
  return { client, stderr: () => stderr };
}

/** Our echo server behind a bridge at /servers/abc/mcp that requires a bearer token. */
async function gatewayLikeServer(sharedChild = false) {
  const server = new BridgeServer({
    child: { command: process.execPath, args: [echoPath] },
    sharedChild,
    port: 0,
    streamableHttp: { path: '/servers/abc/mcp' },
    bearerToken: 'tok',
  });
  const { url } = await server.listen();
  cleanups.push(async () => {
    const pids = server.childPids;
    await server.close();
    await waitGone(pids);
  });
  return url;
}

describe('mcp-wrapper as a stdio server for the SDK client', () => {
  it('forwards tools, progress, resources and prompts to a real streamable HTTP server', async () => {
    const port = await freePort();
    const remote = spawn(process.execPath, [everythingPath, 'streamableHttp'], {
      env: { ...process.env, PORT: String(port) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    cleanups.push(async () => {
      remote.kill('SIGTERM');
      await waitGone([remote.pid!]);
    });
    await new Promise<void>((resolve) => {
      let err = '';
      remote.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
        if (/listening on port/i.test(err)) resolve();
      });
    });
    const { client } = await wrapperClient({
      MCP_SERVER_URL: `http://127.0.0.1:${port}/mcp`,
      MCP_WRAPPER_LOG_LEVEL: 'warn',
    });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain('echo');
    expect((await client.callTool({ name: 'echo', arguments: { message: 'hi' } })).content).toEqual([
      { type: 'text', text: 'Echo: hi' },
    ]);
    const progress: number[] = [];
    await client.callTool(
      { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
      undefined,
      {
        onprogress: (p) => progress.push(p.progress),
      },
    );
    expect(progress.slice(0, 2)).toEqual([1, 2]);
    const { resources } = await client.listResources();
    expect((await client.readResource({ uri: resources[0]!.uri })).contents.length).toBeGreaterThan(0);
    expect((await client.getPrompt({ name: 'simple-prompt' })).messages.length).toBeGreaterThan(0);
  });

  it('accepts a /servers/<id> URL and sends MCP_AUTH', async () => {
    const base = await gatewayLikeServer();
    const { client, stderr } = await wrapperClient({
      MCP_SERVER_URL: `${base}/servers/abc`,
      MCP_AUTH: 'Bearer tok',
      MCP_WRAPPER_LOG_LEVEL: 'debug',
    });
    const r = await client.callTool({ name: 'echo', arguments: { text: 'authorised' } });
    expect(r.content).toEqual([{ type: 'text', text: 'authorised' }]);
    expect(stderr()).toContain(`forwarding stdio to ${base}/servers/abc/mcp`);
    expect(stderr()).not.toContain('Bearer tok');
  });

  it('reports a rejected token as a JSON-RPC error naming the HTTP status', async () => {
    const base = await gatewayLikeServer();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cli, '--url', `${base}/servers/abc`, '--auth', 'Bearer wrong'],
      stderr: 'pipe',
    });
    const client = new Client({ name: 't', version: '1' });
    await expect(client.connect(transport)).rejects.toThrow(/missing or wrong bearer token/);
    await client.close();
    await waitGone([transport.pid ?? 0].filter(Boolean));
  });

  it('answers a call that outlives MCP_TOOL_CALL_TIMEOUT with -32001', async () => {
    const base = await gatewayLikeServer(true);
    // Warm the shared child so that the wrapper's own initialize is answered from cache: the
    // timeout applies to every request, and spawning a child can take long on a loaded machine.
    const warm = await fetch(`${base}/servers/abc/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: 'Bearer tok',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'w', version: '1' } },
      }),
    });
    expect(warm.status).toBe(200);
    const { client } = await wrapperClient({
      MCP_SERVER_URL: `${base}/servers/abc/mcp`,
      MCP_AUTH: 'Bearer tok',
      MCP_TOOL_CALL_TIMEOUT: '1',
    });
    await expect(
      client.callTool({ name: 'slow', arguments: { ms: 10_000 } }, undefined, { timeout: 20_000 }),
    ).rejects.toThrow(/timed out after 1000 ms/);
    // the wrapper keeps serving afterwards
    expect((await client.callTool({ name: 'echo', arguments: { text: 'ok' } })).content).toEqual([
      { type: 'text', text: 'ok' },
    ]);
  });

  it('exits 2 naming MCP_SERVER_URL when no URL is configured, with nothing on stdout', () => {
    const env = { ...process.env };
    delete env.MCP_SERVER_URL;
    const r = spawnSync(process.execPath, [cli], { encoding: 'utf8', env, input: '' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('set MCP_SERVER_URL or pass --url');
    expect(r.stdout).toBe('');
  });
});
