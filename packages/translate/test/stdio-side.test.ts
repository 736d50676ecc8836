import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { cliPath, echoPath, expectAllGone, startTranslate, stopAll } from './helpers.js';

afterEach(stopAll);

/** Runs `mcp-translate <args>`, writes lines to its stdin, and collects stdout lines until `count` arrived. */
async function exchange(args: string[], lines: string[], count: number) {
  const proc = spawn(process.execPath, [cliPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const received = new Promise<string[]>((resolve) => {
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const got = out.split('\n').filter(Boolean);
      if (got.length >= count) resolve(got);
    });
  });
  for (const line of lines) proc.stdin.write(`${line}\n`);
  const got = await received;
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  proc.stdin.end();
  const code = await exited;
  await expectAllGone([proc.pid!]);
  return { got: got.map((l) => JSON.parse(l) as Record<string, unknown>), code, err };
}

describe('*-to-stdio keeps stdout a clean MCP stream', () => {
  it('answers non-JSON and invalid lines on stdin with JSON-RPC errors, logs only on stderr, exits 0 at EOF', async () => {
    const t = await startTranslate([
      'stdio-to-streamable-http',
      '--port',
      '0',
      '--',
      process.execPath,
      echoPath,
    ]);
    const { got, code, err } = await exchange(
      ['streamable-http-to-stdio', '--url', `${t.url}/mcp`, '--log-level', 'debug'],
      [
        'this is not json',
        JSON.stringify({ jsonrpc: '2.0', id: 5 }),
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'x', version: '1' },
          },
        }),
      ],
      3,
    );
    expect(got[0]).toMatchObject({ id: null, error: { code: -32700 } });
    expect(got[1]).toMatchObject({ id: 5, error: { code: -32600 } });
    expect(got[2]).toMatchObject({ id: 1, result: { serverInfo: { name: 'echo-stdio' } } });
    expect(code).toBe(0);
    expect(err).toContain('connected to');
    expect(await t.stop()).toBe(0);
  });

  it('answers a request with -32000 naming the URL when the remote is unreachable', async () => {
    const { got } = await exchange(
      ['streamable-http-to-stdio', '--url', 'http://127.0.0.1:9/mcp', '--retries', '0'],
      [JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' })],
      1,
    );
    expect(got[0]).toMatchObject({
      id: 1,
      error: { code: -32000, message: expect.stringContaining('cannot reach http://127.0.0.1:9/mcp') },
    });
  });

  it('exits 1 with a clear message when an SSE remote cannot be reached', async () => {
    const proc = spawn(process.execPath, [cliPath, 'sse-to-stdio', '--url', 'http://127.0.0.1:9/sse'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    let out = '';
    proc.stderr.on('data', (c: Buffer) => {
      err += c.toString();
    });
    proc.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise((r) => proc.once('exit', r));
    expect(code).toBe(1);
    expect(err).toContain('cannot connect to http://127.0.0.1:9/sse');
    expect(out).toBe('');
  });
});
