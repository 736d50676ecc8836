import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('mcp-conformance-fixture (built CLI)', () => {
  // Children still running when a test ends (it failed midway) are killed, so none outlives the suite.
  const children: ChildProcess[] = [];
  const track = <T extends ChildProcess>(child: T): T => {
    children.push(child);
    return child;
  };
  afterEach(async () => {
    for (const child of children.splice(0)) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    }
  });

  it('prints the version and a help text with examples and exit codes', () => {
    expect(run('--version').stdout.trim()).toBe(pkg.version);
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('Exit codes:');
    expect(help.stdout).toContain(
      '{"url":"http://127.0.0.1:41234/mcp","sseUrl":"http://127.0.0.1:41234/sse","port":41234,"pid":4242}',
    );
  });

  it.each([
    [[], 'choose a transport: --stdio or --http'],
    [['--stdio', '--http'], "option '--stdio' cannot be used with option '--http'"],
    [['--http', '--port', '70000'], '--port must be an integer from 0 to 65535, received "70000"'],
    [['--http', '--log-level', 'loud'], "argument 'loud' is invalid"],
  ])('exits 2 on %j and names the problem on stderr', (args, message) => {
    const result = run(...args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });

  it('prints one JSON line with the bound URL, serves it, and exits 0 on SIGTERM', async () => {
    const child = track(
      spawn(process.execPath, [cli, '--http', '--port', '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const started = JSON.parse(line) as { url: string; port: number; pid: number };
    expect(started).toEqual({
      url: `http://127.0.0.1:${started.port}/mcp`,
      sseUrl: `http://127.0.0.1:${started.port}/sse`,
      port: started.port,
      pid: child.pid,
    });
    const health = await fetch(new URL('/healthz', started.url));
    expect(await health.json()).toEqual({ status: 'ok', sessions: 0 });
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('exits 1 with the listen error when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const result = run('--http', '--port', String(port));
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('EADDRINUSE');
      expect(result.stdout).toBe('');
    } finally {
      blocker.close();
    }
  });

  it('keeps stdout for the protocol in --stdio mode and exits 0 when stdin closes', async () => {
    const child = track(
      spawn(process.execPath, [cli, '--stdio', '--log-level', 'debug'], {
        stdio: ['pipe', 'pipe', 'pipe'],
      }),
    );
    const lines = createInterface({ input: child.stdout });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } })}\n`,
    );
    const [line] = (await once(lines, 'line')) as [string];
    expect(JSON.parse(line)).toMatchObject({
      id: 1,
      result: { serverInfo: { name: 'contextforge-conformance-fixture' } },
    });
    // Progress notifications precede the result on the wire.
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'test_tool_with_progress', arguments: {}, _meta: { progressToken: 'p1' } } })}\n`,
    );
    const received: Array<{ id?: number; method?: string; params?: { progress?: number } }> = [];
    for await (const next of lines) {
      received.push(JSON.parse(next));
      if (received.at(-1)?.id === 2) break;
    }
    expect(received.map((m) => m.method ?? `result ${m.id}`)).toEqual([
      'notifications/progress',
      'notifications/progress',
      'notifications/progress',
      'result 2',
    ]);
    expect(received.slice(0, 3).map((m) => m.params?.progress)).toEqual([0, 50, 100]);
    child.stdin.end();
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
