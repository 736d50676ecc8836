import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegacyHttpServer, type TestUpstream } from '../upstream/helpers/legacy-servers.js';
import { type ModernUpstream, startModernServer } from '../upstream/helpers/modern-server.js';
import { type ListeningGateway, listeningGateway } from './support.js';

const WAIT = { timeout: 10_000, interval: 50 };

describe('progress notifications and cancellation pass through the gateway', () => {
  let gw: ListeningGateway;
  let legacy: TestUpstream;
  let modern: ModernUpstream;
  let stdioId: string;

  beforeAll(async () => {
    [legacy, modern, gw] = await Promise.all([
      startLegacyHttpServer({ resourceUri: 'test://legacy-readme' }),
      startModernServer(),
      listeningGateway({ MCPGATEWAY_STDIO_ENABLED: 'true' }),
    ]);
    await gw.register({ name: 'Legacy Up', url: legacy.url, transport: 'STREAMABLEHTTP' });
    await gw.register({ name: 'Modern Up', url: modern.url, transport: 'STREAMABLEHTTP' });
    stdioId = (
      await gw.register({
        name: 'Stdio',
        transport: 'STDIO',
        command: process.execPath,
        args: [faultyStdioPath],
      })
    ).id;
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([legacy?.close(), modern?.close()]);
  });

  it('relays upstream progress to 2025-era and 2026-07-28 clients under their own tokens', async () => {
    for (const [kind, tool] of [
      ['streamable-2025', 'legacy-up-progress'],
      ['streamable-2025', 'stdio-progress'],
      ['streamable-2026', 'modern-up-progress'],
      ['websocket', 'stdio-progress'],
    ] as const) {
      const client = await gw.connect(kind);
      const seen: number[] = [];
      const r = await client.callTool(
        { name: tool, arguments: { steps: 3 } },
        { onprogress: (p) => seen.push(p.progress) },
      );
      expect(JSON.stringify(r.content), `${kind} → ${tool}`).toMatch(/done 3/);
      // The SDK v2 client may drop a notification that shares a read with the response (see
      // servers/conformance-fixture/README.md): every step but possibly the last must arrive, in order.
      expect(
        [
          [1, 2],
          [1, 2, 3],
        ],
        `${kind} → ${tool}`,
      ).toContainEqual(seen);
      await client.close();
    }
  });

  it('cancels the upstream call when a 2025-era client cancels (notifications/cancelled)', async () => {
    const client = await gw.connect('streamable-2025');
    const abort = new AbortController();
    const call = client.callTool(
      { name: 'legacy-up-slow', arguments: { ms: 30_000 } },
      { signal: abort.signal },
    );
    await expect.poll(() => legacy.observed.calls.get('slow') ?? 0, WAIT).toBe(1);
    abort.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow(/user gave up|abort/i);
    await expect.poll(() => legacy.observed.cancelled.length, WAIT).toBe(1);
  });

  it('cancels the upstream call when a 2026-07-28 client closes its request stream', async () => {
    const client = await gw.connect('streamable-2026');
    const abort = new AbortController();
    const before = modern.methods.get('tools/call') ?? 0;
    const call = client.callTool(
      { name: 'modern-up-slow', arguments: { ms: 30_000 } },
      { signal: abort.signal },
    );
    await expect.poll(() => modern.methods.get('tools/call') ?? 0, WAIT).toBe(before + 1);
    abort.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow(/user gave up|abort/i);
    await expect.poll(() => modern.cancelled, WAIT).toEqual(['slow']);
  });

  it('tells a stdio upstream about a WebSocket client’s cancellation', async () => {
    const client = await gw.connect('websocket');
    const abort = new AbortController();
    const call = client.callTool({ name: 'stdio-wait_cancel', arguments: {} }, { signal: abort.signal });
    // Once the upstream connection holds the call, its line is on the pipe ahead of any cancellation.
    const upstream = await gw.gw.invoke?.upstreams.client(stdioId);
    await expect.poll(() => upstream?.inFlight, WAIT).toBe(1);
    abort.abort(new Error('user gave up'));
    await expect(call).rejects.toThrow(/user gave up|abort/i);
    await expect
      .poll(async () => {
        const r = await client.callTool({ name: 'stdio-cancelled_ids', arguments: {} });
        return JSON.parse((r.content as Array<{ text: string }>)[0]?.text ?? '[]').length;
      }, WAIT)
      .toBe(1);
  });
});
