import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import {
  type FaultyHttpServer,
  faultyStdioPath,
  startFaultyHttpServer,
} from '@contextforge-internal/faulty-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alive } from '../upstream/helpers/processes.js';
import { type ListeningGateway, listeningGateway } from './support.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON-RPC shapes.
type Json = any;

/** Generous bound for health transitions (checks run every second); not a performance threshold. */
const HEALTH_WAIT = { timeout: 15_000, interval: 100 };

describe('faulty upstreams: clear errors within TOOL_TIMEOUT, health recorded, fail-open, recovery', () => {
  let gw: ListeningGateway;
  let faulty: FaultyHttpServer;
  let steady: EchoServer;
  let faultyId: string;
  let stdioId: string;

  const call = async (name: string, args: Record<string, unknown> = {}): Promise<Json> =>
    gw.rpc({ jsonrpc: '2.0', id: name, method: 'tools/call', params: { name, arguments: args } });
  const gateway = async (id: string): Promise<Json> => (await gw.call('GET', `/v1/gateways/${id}`)).body;
  const steadyWorks = async () =>
    expect((await call('steady-echo', { text: 'still here' })).result?.content).toEqual([
      { type: 'text', text: 'still here' },
    ]);
  /** The faulty HTTP upstream answers again, is recorded reachable, and its tool works. */
  const recovered = async () => {
    faulty.setMode('ok');
    await expect.poll(async () => (await gateway(faultyId)).reachable, HEALTH_WAIT).toBe(true);
    await expect
      .poll(async () => (await call('faulty-echo', { text: 'back' })).result?.content, HEALTH_WAIT)
      .toEqual([{ type: 'text', text: 'back' }]);
  };

  beforeAll(async () => {
    [faulty, steady, gw] = await Promise.all([
      startFaultyHttpServer(),
      startEchoServer({ era: 'legacy' }),
      listeningGateway({
        TOOL_TIMEOUT: '2',
        MAX_TOOL_RETRIES: '0',
        HEALTH_CHECK_INTERVAL: '1',
        HEALTH_CHECK_TIMEOUT: '1',
        UNHEALTHY_THRESHOLD: '1',
        MCPGATEWAY_STDIO_ENABLED: 'true',
      }),
    ]);
    faultyId = (await gw.register({ name: 'Faulty', url: faulty.url, transport: 'STREAMABLEHTTP' })).id;
    await gw.register({ name: 'Steady', url: steady.url, transport: 'STREAMABLEHTTP' });
    stdioId = (
      await gw.register({
        name: 'Faulty Stdio',
        transport: 'STDIO',
        command: process.execPath,
        args: [faultyStdioPath],
      })
    ).id;
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([faulty?.close(), steady?.close()]);
  });

  it('times a hanging upstream out with -32001 naming it, while other upstreams answer', async () => {
    faulty.setMode('hang');
    const hanging = call('faulty-echo', { text: 'anyone?' });
    await steadyWorks();
    const r = await hanging;
    expect(r.error, JSON.stringify(r)).toMatchObject({
      code: -32001,
      message: expect.stringMatching(/upstream 'Faulty' did not answer in time/),
    });
    await recovered();
  });

  it('fails garbage answers with a protocol error, marks the gateway unreachable, and recovers', async () => {
    faulty.setMode('garbage');
    const r = await call('faulty-echo', { text: 'x' });
    expect(r.error, JSON.stringify(r)).toMatchObject({
      code: -32603,
      message: expect.stringMatching(/upstream 'Faulty' failed \(protocol\)/),
      data: { upstream: 'Faulty', reason: 'protocol' },
    });
    await expect.poll(async () => (await gateway(faultyId)).reachable, HEALTH_WAIT).toBe(false);
    expect((await gateway(faultyId)).last_error).toMatch(/JSON|pars/i);
    await steadyWorks();
    await recovered();
    expect((await gateway(faultyId)).last_error ?? null).toBeNull();
  });

  it('records an upstream that went away as unreachable, fails its calls fast, and recovers when it is back', async () => {
    await faulty.stop();
    await expect.poll(async () => (await gateway(faultyId)).reachable, HEALTH_WAIT).toBe(false);
    expect((await gateway(faultyId)).last_error).toMatch(/ECONNREFUSED|connect|unreachable/i);
    const r = await call('faulty-echo', { text: 'x' });
    expect(r.error, JSON.stringify(r)).toMatchObject({
      code: -32603,
      message: expect.stringMatching(/upstream 'Faulty' failed \(unreachable\)/),
    });
    await steadyWorks();
    await faulty.start();
    await recovered();
  });

  it('answers HTTP 500 and non-MCP content with errors naming the status or content type', async () => {
    faulty.setMode('error500');
    const r500 = await call('faulty-echo', { text: 'x' });
    expect(r500.error, JSON.stringify(r500)).toMatchObject({ code: -32603, data: { status: 500 } });
    await recovered();
    faulty.setMode('html');
    const html = await call('faulty-echo', { text: 'x' });
    expect(html.error?.message, JSON.stringify(html)).toMatch(/text\/html/);
    await recovered();
  });

  it('restarts a stdio upstream that crashed mid-call and answers the call with a clear error', async () => {
    const before = Number((await call('faulty-stdio-pid')).result?.content?.[0]?.text);
    const crashed = await call('faulty-stdio-crash', { code: 7 });
    expect(crashed.error, JSON.stringify(crashed)).toMatchObject({
      code: -32603,
      message: expect.stringMatching(/upstream 'Faulty Stdio' failed \(crashed\)/),
    });
    expect(alive(before)).toBe(false);
    await expect
      .poll(async () => (await call('faulty-stdio-echo', { text: 'reborn' })).result?.content, HEALTH_WAIT)
      .toEqual([{ type: 'text', text: 'reborn' }]);
    const after = Number((await call('faulty-stdio-pid')).result?.content?.[0]?.text);
    expect(after).not.toBe(before);
    await expect.poll(async () => (await gateway(stdioId)).reachable, HEALTH_WAIT).toBe(true);
  });

  it('times out a hanging stdio tool and survives garbage on its stdout', async () => {
    // Both wait for TOOL_TIMEOUT: run them side by side.
    const [hang, garbage] = await Promise.all([call('faulty-stdio-hang'), call('faulty-stdio-garbage')]);
    expect(hang.error, JSON.stringify(hang)).toMatchObject({
      code: -32001,
      message: expect.stringMatching(/upstream 'Faulty Stdio' did not answer in time/),
    });
    // The non-JSON line is not an answer: the call times out, and the error says what the process wrote.
    expect(garbage.error, JSON.stringify(garbage)).toMatchObject({
      code: -32001,
      message: expect.stringMatching(/did not answer in time.*unparseable stdout line/),
    });
    await expect
      .poll(async () => (await call('faulty-stdio-echo', { text: 'fine' })).result?.content, HEALTH_WAIT)
      .toEqual([{ type: 'text', text: 'fine' }]);
  });
});
