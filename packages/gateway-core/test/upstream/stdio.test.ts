import { createRequire } from 'node:module';
import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createUpstreamPool,
  type McpUpstreamPool,
  type UpstreamPoolOptions,
  type UpstreamSpec,
} from '../../src/index.js';
import { alive, groupAlive, rejection, waitFor } from './helpers/processes.js';

const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);

/** Process events recorded through the pool's onProcess hook. */
interface Proc {
  spawned: number[];
  exited: number[];
}

let pools: McpUpstreamPool[] = [];
const allPids = new Set<number>();

function makePool(
  extra: UpstreamPoolOptions = {},
  proc: Proc = { spawned: [], exited: [] },
): { pool: McpUpstreamPool; proc: Proc } {
  const pool = createUpstreamPool({
    timeoutMs: 5000,
    health: { intervalMs: 0 },
    ...extra,
    stdio: {
      enabled: true,
      killGraceMs: 400,
      restartInitialDelayMs: 50,
      restartMaxDelayMs: 400,
      ...extra.stdio,
      onProcess: (_id, event, pid) => {
        (event === 'spawn' ? proc.spawned : proc.exited).push(pid);
        allPids.add(pid);
      },
    },
  });
  pools.push(pool);
  return { pool, proc };
}

function faulty(id: string, ...flags: string[]): UpstreamSpec {
  return { id, name: id, transport: 'stdio', command: process.execPath, args: [faultyStdioPath, ...flags] };
}

afterEach(async () => {
  await Promise.all(pools.map((p) => p.close()));
  pools = [];
  // Nothing we spawned may outlive its pool: every process group is gone. A killed member stays in its group
  // as a zombie until its parent (or, for reparented grandchildren, PID 1) reaps it, which a loaded machine
  // may delay: wait for the groups to empty rather than sampling once.
  for (const pid of allPids)
    await waitFor(() => !groupAlive(pid), `process group ${pid} to be gone (leaked?)`);
  allPids.clear();
});

describe('stdio upstreams: spawning and protocol', () => {
  it('is refused with a config error while spawning is disabled', async () => {
    const pool = createUpstreamPool({ health: { intervalMs: 0 } });
    pools.push(pool);
    const err = await rejection(pool.get(faulty('off')));
    expect(err).toMatchObject({ code: 'config' });
    expect(err.message).toContain('disabled');
  });

  it('reports a command that cannot be started as unreachable', async () => {
    const { pool } = makePool();
    const err = await rejection(
      pool.get({ id: 'nope', name: 'nope', transport: 'stdio', command: '/definitely/not/here' }),
    );
    expect(err).toMatchObject({ code: 'unreachable' });
    expect(err.message).toContain('ENOENT');
  });

  it('talks to @modelcontextprotocol/server-everything: discovery, tools, progress, sampling', async () => {
    const { pool } = makePool();
    const client = await pool.get({
      id: 'everything',
      name: 'everything',
      transport: 'stdio',
      command: process.execPath,
      args: [everything, 'stdio'],
    });
    expect(client.era).toBe('legacy');
    const d = await client.discover();
    expect(d.serverInfo).toMatchObject({ name: 'mcp-servers/everything' });
    expect(d.tools.map((t) => t.name)).toEqual(
      expect.arrayContaining(['echo', 'get-sum', 'trigger-long-running-operation']),
    );
    expect(d.resources.length).toBeGreaterThan(0);
    expect(d.prompts.length).toBeGreaterThan(0);
    expect(await client.callTool('get-sum', { a: 2, b: 40 })).toMatchObject({
      content: [{ text: expect.stringContaining('42') }],
    });
    const progress: number[] = [];
    await client.callTool(
      'trigger-long-running-operation',
      { duration: 0.2, steps: 3 },
      { onProgress: (p) => progress.push(p.progress) },
    );
    expect(progress).toEqual([1, 2, 3]);
    const sampled = await client.callTool(
      'trigger-sampling-request',
      { prompt: 'hi', maxTokens: 5 },
      {
        onServerRequest: async (method) => {
          expect(method).toBe('sampling/createMessage');
          return { role: 'assistant', content: { type: 'text', text: 'from the downstream' }, model: 'm' };
        },
      },
    );
    expect(JSON.stringify(sampled)).toContain('from the downstream');
  });

  it('gives the child a safe environment plus the spec env, never the gateway secrets', async () => {
    process.env.GATEWAY_TEST_SECRET = 'must-not-leak';
    try {
      const { pool } = makePool();
      const client = await pool.get({
        id: 'env',
        name: 'env',
        transport: 'stdio',
        command: process.execPath,
        args: [everything, 'stdio'],
        env: { SPEC_VAR: 'visible' },
      });
      const text = JSON.stringify(await client.callTool('get-env', {}));
      expect(text).toContain('SPEC_VAR');
      expect(text).toContain('PATH');
      expect(text).not.toContain('GATEWAY_TEST_SECRET');
    } finally {
      delete process.env.GATEWAY_TEST_SECRET;
    }
  });

  it('probes a 2026-07-28 stdio server into the stateless era', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('modern', '--modern'));
    expect(client.era).toBe('modern');
    expect(await client.callTool('echo', { text: 'm' })).toMatchObject({ content: [{ text: 'm' }] });
  });

  it('falls back to initialize when a 2025-era server ignores the probe', async () => {
    const { pool } = makePool({ probeTimeoutMs: 200 });
    const client = await pool.get(faulty('silent', '--ignore-discover'));
    expect(client.era).toBe('legacy');
    expect(await client.callTool('echo', { text: 'ok' })).toMatchObject({ content: [{ text: 'ok' }] });
  });

  it('skips non-JSON stdout lines and still answers', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('banner', '--garbage-on-start'));
    expect(await client.callTool('echo', { text: 'fine' })).toMatchObject({ content: [{ text: 'fine' }] });
  });

  it('times out a call answered with garbage, naming the unparseable output', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('garbage'));
    const err = await rejection(client.callTool('garbage', {}, { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toContain('unparseable stdout lines');
  });

  it('routes sampling, elicitation and roots requests over stdio', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('callbacks'));
    const onServerRequest = async (method: string) =>
      method === 'sampling/createMessage'
        ? { role: 'assistant', content: { type: 'text', text: 'S' }, model: 'm' }
        : method === 'elicitation/create'
          ? { action: 'decline' }
          : { roots: [{ uri: 'file:///r' }] };
    expect(JSON.stringify(await client.callTool('sample', {}, { onServerRequest }))).toContain(
      '\\"text\\":\\"S\\"',
    );
    expect(JSON.stringify(await client.callTool('elicit', {}, { onServerRequest }))).toContain('decline');
    expect(JSON.stringify(await client.callTool('roots', {}, { onServerRequest }))).toContain('file:///r');
  });

  it('pauses the call budget while the client answers, bounded by serverRequestTimeoutMs', async () => {
    const { pool } = makePool({ serverRequestTimeoutMs: 1500 });
    const client = await pool.get(faulty('pause'));
    const slowAnswer = async () => {
      await new Promise((r) => setTimeout(r, 600));
      return { role: 'assistant', content: { type: 'text', text: 'late but fine' }, model: 'm' };
    };
    // The 300 ms budget does not run while the (600 ms) answer is being produced.
    expect(
      JSON.stringify(await client.callTool('sample', {}, { timeoutMs: 300, onServerRequest: slowAnswer })),
    ).toContain('late but fine');
    const never = () => new Promise<never>(() => {});
    const err = await rejection(client.callTool('sample', {}, { timeoutMs: 300, onServerRequest: never }));
    expect(err).toMatchObject({ code: 'timeout' });
    expect(err.message).toContain('did not answer sampling/createMessage within 1500 ms');
  });

  it('answers server→client requests no caller can handle with an error instead of hanging', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('nohandler'));
    const r = await client.callTool('sample', {});
    expect(JSON.stringify(r)).toContain('cannot handle sampling/createMessage');
  });

  it('sends notifications/cancelled on abort', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('cancel'));
    const ac = new AbortController();
    const call = client.callTool('wait_cancel', {}, { signal: ac.signal });
    await new Promise((r) => setTimeout(r, 100));
    ac.abort();
    expect(await rejection(call)).toMatchObject({ code: 'cancelled' });
    await waitFor(
      async () =>
        JSON.stringify(await client.callTool('cancelled_ids', {})) !==
        '{"content":[{"type":"text","text":"[]"}]}',
      'the cancellation to arrive',
    );
  });

  it('delivers list_changed notifications written on stdout', async () => {
    const { pool } = makePool();
    const client = await pool.get(faulty('lc'));
    const kinds: string[] = [];
    client.on('list_changed', (k) => kinds.push(k));
    await client.callTool('notify_list_changed', {});
    await waitFor(() => kinds.includes('tools'), 'list_changed');
  });
});

describe('stdio upstreams: supervision', () => {
  it('fails the call of a crashing process with crashed (exit code and stderr) and restarts it', async () => {
    const { pool, proc } = makePool();
    const client = await pool.get(faulty('crashy'));
    const first = proc.spawned[0] as number;
    const err = await rejection(client.callTool('crash', { code: 7 }));
    expect(err).toMatchObject({ code: 'crashed', upstreamId: 'crashy' });
    expect(err.message).toContain('exited with code 7');
    expect(err.message).toContain('crashing in a tool call');
    // Supervision restarts it (eagerly, after the backoff); the next call works on a new process.
    await waitFor(() => proc.spawned.length >= 2, 'a restart');
    expect(await client.callTool('echo', { text: 'back' })).toMatchObject({ content: [{ text: 'back' }] });
    expect(alive(first)).toBe(false);
  });

  it('backs off between restarts of a process that keeps dying', async () => {
    const { pool, proc } = makePool({ stdio: { restartInitialDelayMs: 100, restartMaxDelayMs: 800 } });
    const err = await rejection(pool.get(faulty('doomed', '--crash-on-start')));
    expect(['crashed', 'closed', 'timeout', 'unreachable']).toContain(err.code);
    await new Promise((r) => setTimeout(r, 1500));
    const times = proc.spawned.length;
    // Exponential backoff from 100 ms capped at 800 ms allows only a handful of restarts in 1.5 s.
    expect(times).toBeGreaterThanOrEqual(2);
    expect(times).toBeLessThanOrEqual(8);
    await pool.remove('doomed');
  });

  it('kills the whole process group, grandchildren included, when closing', async () => {
    const stderr: string[] = [];
    const { pool, proc } = makePool({ stdio: { onStderr: (_id, line) => stderr.push(line) } });
    const client = await pool.get(faulty('family', '--grandchild'));
    await client.callTool('echo', { text: 'x' });
    await waitFor(() => stderr.some((l) => l.startsWith('grandchild-pid=')), 'the grandchild pid');
    const grandchild = Number(stderr.find((l) => l.startsWith('grandchild-pid='))?.split('=')[1]);
    expect(alive(grandchild)).toBe(true);
    await pool.close();
    expect(alive(grandchild)).toBe(false);
    expect(groupAlive(proc.spawned[0] as number)).toBe(false);
  });

  it('escalates to SIGKILL when the server ignores stdin EOF and SIGTERM', async () => {
    const { pool, proc } = makePool();
    const client = await pool.get(faulty('stubborn', '--ignore-eof', '--ignore-sigterm', '--grandchild'));
    await client.callTool('echo', { text: 'x' });
    const pid = proc.spawned[0] as number;
    const t0 = Date.now();
    await pool.remove('stubborn');
    // stdin EOF, then SIGTERM after half the 400 ms grace, then SIGKILL after the other half.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(350);
    expect(groupAlive(pid)).toBe(false);
  });

  it('stops an idle process after the idle TTL and starts it again on the next call', async () => {
    const { pool, proc } = makePool({ stdio: { idleTtlMs: 200 } });
    const client = await pool.get(faulty('idle'));
    await client.callTool('echo', { text: 'x' });
    await waitFor(() => proc.exited.length === 1, 'the idle stop', 3000);
    expect(pool.stats().stdioProcesses).toBe(0);
    expect(await client.callTool('echo', { text: 'again' })).toMatchObject({ content: [{ text: 'again' }] });
    expect(proc.spawned.length).toBe(2);
  });

  it('keeps a bounded stderr tail and rate-limits the stderr log', async () => {
    const lines: string[] = [];
    const { pool } = makePool({ stdio: { onStderr: (_id, l) => lines.push(l), stderrBytes: 1024 } });
    const client = await pool.get(faulty('noisy', '--stderr-lines', '500'));
    await client.callTool('echo', { text: 'x' });
    await waitFor(() => lines.length >= 50, 'stderr lines');
    // 500 lines arrive at once; at most 50 per second reach the log.
    expect(lines.length).toBeLessThan(200);
  });

  it('gives each isolated session its own process, within the per-server cap', async () => {
    const { pool, proc } = makePool({ stdio: { maxProcessesPerServer: 3 } });
    const client = await pool.get(faulty('iso'));
    const pidOf = async (sessionKey?: string) =>
      (
        (await client.callTool('pid', {}, sessionKey === undefined ? {} : { sessionKey })).content as {
          text: string;
        }[]
      )[0]?.text;
    const shared = await pidOf();
    const a = await pidOf('A');
    const b = await pidOf('B');
    expect(new Set([shared, a, b]).size).toBe(3);
    expect(await pidOf('A')).toBe(a);
    const err = await rejection(pidOf('C'));
    expect(err).toMatchObject({ code: 'capacity' });
    expect(proc.spawned.length).toBe(3);
  });

  it('enforces the pool-wide process cap across upstreams', async () => {
    const { pool } = makePool({ stdio: { maxProcesses: 1 } });
    await pool.get(faulty('one'));
    expect(await rejection(pool.get(faulty('two')))).toMatchObject({ code: 'capacity' });
  });
});
