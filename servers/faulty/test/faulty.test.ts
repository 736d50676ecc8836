import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { type FaultyHttpServer, parseFlags, startFaultyHttpServer } from '../src/index.js';

const call = (url: string) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'echo', arguments: { text: 'hi' } },
    }),
  });

describe('faulty HTTP server', () => {
  let server: FaultyHttpServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('switches between behaving and misbehaving', async () => {
    server = await startFaultyHttpServer();
    expect(await (await call(server.url)).json()).toMatchObject({ result: { content: [{ text: 'hi' }] } });
    server.setMode('error500');
    expect((await call(server.url)).status).toBe(500);
    server.setMode('garbage');
    const garbage = await (await call(server.url)).text();
    expect(() => JSON.parse(garbage)).toThrow();
    server.setMode('html');
    expect((await call(server.url)).headers.get('content-type')).toBe('text/html');
    server.setMode('reset');
    await expect(call(server.url)).rejects.toThrow();
    expect(server.counts.get('tools/call')).toBe(5);
  });

  it('stops listening and starts again on the same port', async () => {
    server = await startFaultyHttpServer();
    await server.stop();
    await expect(call(server.url)).rejects.toThrow();
    await server.start();
    expect((await call(server.url)).status).toBe(200);
  });
});

describe('faulty stdio server', () => {
  it('parses its flags', () => {
    expect(parseFlags(['--grandchild', '--exit-after', '50', '--stderr-lines', '3'])).toMatchObject({
      grandchild: true,
      exitAfterMs: 50,
      stderrLines: 3,
      crashOnStart: false,
    });
  });

  it('answers initialize and a tool call over stdio, and exits when stdin closes', async () => {
    // The built script (the test target builds first), as the gateway runs it.
    const script = fileURLToPath(new URL('../dist/stdio.js', import.meta.url));
    const child = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    const lines: string[] = [];
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => lines.push(...d.split('\n').filter(Boolean)));
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} })}\n`);
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'echo', arguments: { text: 'e' } } })}\n`,
    );
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    while (lines.length < 2) await new Promise((r) => setTimeout(r, 20));
    child.stdin.end();
    expect(await exited).toBe(0);
    expect(JSON.parse(lines[1] as string)).toMatchObject({ id: 2, result: { content: [{ text: 'e' }] } });
  });
});
