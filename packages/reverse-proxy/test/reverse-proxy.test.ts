import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAlive } from '@contextforge/bridge';
import { afterEach, describe, expect, it } from 'vitest';
import { TunnelGateway } from './tunnel-gateway.js';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const echoPath = fileURLToPath(new URL('../../../servers/echo-stdio/server.mjs', import.meta.url));
const cleanups: Array<() => Promise<void>> = [];
// Every process a test starts carries this marker in its environment (children inherit it), so
// leaks are found by scanning /proc, whatever pid they had.
const MARK = `RP_TEST_${randomUUID().replaceAll('-', '')}`;
function marked(): number[] {
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
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await waitFor(() => marked().length === 0, `no leftover processes (found ${marked().join(', ')})`, 5000);
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts mcp-reverse-proxy; stopping it checks the proxy and its local server are gone. */
function startProxy(args: string[]) {
  const proc: ChildProcess = spawn(process.execPath, [cli, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, [MARK]: '1' },
  });
  let err = '';
  let out = '';
  proc.stderr!.on('data', (c: Buffer) => {
    err += c.toString();
  });
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
  const stop = async () => {
    proc.kill('SIGTERM');
    return exited;
  };
  cleanups.push(async () => {
    await stop();
  });
  return { proc, stderr: () => err, stdout: () => out, exited, stop };
}

async function gateway(token = 'tunnel-token', port = 0) {
  const g = new TunnelGateway(token);
  const url = await g.start(port);
  cleanups.push(() => g.stop());
  return { g, url };
}

describe('mcp-reverse-proxy against a tunnel gateway', () => {
  it('registers with the local server’s info, relays requests, heartbeats, and unregisters on SIGTERM', async () => {
    const { g, url } = await gateway();
    const p = startProxy([
      '--local-stdio',
      `${process.execPath} ${echoPath}`,
      '--gateway',
      url,
      '--token',
      'tunnel-token',
      '--keepalive',
      '0.1',
      '--name',
      'echo',
    ]);
    await g.registered(1);
    expect(g.registrations[0]).toMatchObject({
      type: 'register',
      payload: {
        server: { name: 'echo', protocol: 'stdio' },
        serverInfo: { name: 'echo-stdio' },
        capabilities: { tools: {} },
      },
    });
    const init = await g.request('initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'gw', version: '1' },
    });
    expect(init).toMatchObject({ result: { serverInfo: { name: 'echo-stdio' } } });
    const tools = await g.request('tools/list');
    expect((tools.result as { tools: unknown[] }).tools.length).toBeGreaterThan(3);
    const echo = await g.request('tools/call', { name: 'echo', arguments: { text: 'via tunnel' } });
    expect(echo).toMatchObject({ result: { content: [{ type: 'text', text: 'via tunnel' }] } });
    const pid = Number(
      ((await g.request('tools/call', { name: 'pid' })).result as { content: [{ text: string }] }).content[0]
        .text,
    );
    await waitFor(() => g.heartbeats.length >= 2, 'heartbeats');
    g.sendRaw('{"type":"bogus"}');
    await waitFor(() => g.received.some((m) => m.type === 'error'), 'an error envelope for a bad frame');
    expect(await p.stop()).toBe(0);
    expect(g.received.some((m) => m.type === 'unregister')).toBe(true);
    await waitFor(() => !isAlive(pid), 'the local server to end');
    expect(p.stdout()).toBe('');
    expect(p.stderr()).not.toContain('tunnel-token');
  });

  it('reconnects with backoff and re-registers after the gateway restarts', async () => {
    const first = await gateway();
    const port = Number(new URL(first.url).port);
    const p = startProxy([
      '--local-stdio',
      `${process.execPath} ${echoPath}`,
      '--gateway',
      first.url,
      '--token',
      'tunnel-token',
      '--reconnect-delay',
      '0.1',
    ]);
    await first.g.registered(1);
    const pidBefore = (
      (await first.g.request('tools/call', { name: 'pid' })).result as { content: [{ text: string }] }
    ).content[0].text;
    await first.g.stop();
    await waitFor(() => p.stderr().includes('reconnecting in'), 'a reconnect attempt');
    const second = await gateway('tunnel-token', port);
    await second.g.registered(1);
    expect(second.g.registrations[0]!.sessionId).toBe(first.g.registrations[0]!.sessionId);
    const echo = await second.g.request('tools/call', { name: 'echo', arguments: { text: 'after restart' } });
    expect(echo).toMatchObject({ result: { content: [{ text: 'after restart' }] } });
    // the local server survived the tunnel outage
    const pidAfter = (
      (await second.g.request('tools/call', { name: 'pid' })).result as { content: [{ text: string }] }
    ).content[0].text;
    expect(pidAfter).toBe(pidBefore);
    expect(await p.stop()).toBe(0);
    await waitFor(() => !isAlive(Number(pidAfter)), 'the local server to end');
  });

  it('exits 1 naming the token when the gateway refuses it, leaving no local server', async () => {
    const { url } = await gateway('right');
    const p = startProxy([
      '--local-stdio',
      `${process.execPath} ${echoPath}`,
      '--gateway',
      url,
      '--token',
      'wrong',
    ]);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('gateway refused the token (HTTP 401)');
    expect(marked()).toEqual([]);
  });

  it('exits 1 after --max-retries failed reconnects', async () => {
    const p = startProxy([
      '--local-stdio',
      `${process.execPath} ${echoPath}`,
      '--gateway',
      'http://127.0.0.1:9',
      '--reconnect-delay',
      '0.05',
      '--max-retries',
      '2',
    ]);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain('gave up after 2 reconnect attempts');
  });

  it('reads its settings from a YAML --config file', async () => {
    const { g, url } = await gateway();
    const dir = mkdtempSync(join(tmpdir(), 'rp-'));
    const file = join(dir, 'proxy.yaml');
    writeFileSync(
      file,
      `local_stdio: ${process.execPath} ${echoPath}\ngateway: ${url}\ntoken: tunnel-token\nname: from-yaml\nkeepalive: 5\n`,
    );
    const p = startProxy(['--config', file]);
    await g.registered(1);
    expect(g.registrations[0]).toMatchObject({ payload: { server: { name: 'from-yaml' } } });
    expect(await p.stop()).toBe(0);
  });

  it('exits 2 naming the bad key of a config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rp-'));
    const file = join(dir, 'proxy.json');
    writeFileSync(file, JSON.stringify({ local_stdio: 'x', gateway: 'http://g', max_retries: -1 }));
    const p = startProxy(['--config', file]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toContain('"max_retries"');
  });
});
