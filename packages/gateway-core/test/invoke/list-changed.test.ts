import { faultyStdioPath } from '@contextforge-internal/faulty-servers';
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLegacyHttpServer, type TestUpstream } from '../upstream/helpers/legacy-servers.js';
import { type ModernUpstream, startModernServer } from '../upstream/helpers/modern-server.js';
import { type Downstream, type ListeningGateway, listeningGateway } from './support.js';

const WAIT = { timeout: 10_000, interval: 50 };

describe('list_changed: an upstream’s tool list changes → registry refreshed → downstream clients told', () => {
  let gw: ListeningGateway;
  let legacy: TestUpstream;
  let modern: ModernUpstream;
  let stdioId: string;
  /** `notifications/tools/list_changed` received, per downstream transport. */
  const told = new Map<Downstream, number>();
  const clients = new Map<Downstream, Client>();

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
    for (const kind of ['streamable-2025', 'streamable-2026', 'sse', 'websocket'] as const) {
      told.set(kind, 0);
      const client = await gw.connect(kind, {
        setup: (c) =>
          c.setNotificationHandler('notifications/tools/list_changed', () => {
            told.set(kind, (told.get(kind) ?? 0) + 1);
          }),
      });
      clients.set(kind, client);
    }
    // A 2026-07-28 client has no session: it asks for change notifications on a subscriptions/listen stream.
    const sub = await clients.get('streamable-2026')?.listen({ toolsListChanged: true });
    expect(sub?.honoredFilter).toMatchObject({ toolsListChanged: true });
  });
  afterAll(async () => {
    await gw?.close();
    await Promise.allSettled([legacy?.close(), modern?.close()]);
  });

  it('a 2025-era upstream adds a tool: every downstream transport is notified and the tool is callable', async () => {
    const client = clients.get('streamable-2025') as Client;
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('legacy-up-fresh');
    const before = new Map(told);
    const r = await client.callTool({ name: 'legacy-up-add_tool', arguments: { name: 'fresh' } });
    expect(r.content).toEqual([{ type: 'text', text: 'added fresh' }]);
    for (const kind of told.keys())
      await expect
        .poll(() => (told.get(kind) ?? 0) - (before.get(kind) ?? 0), { ...WAIT, message: `${kind} notified` })
        .toBeGreaterThan(0);
    for (const [kind, c] of clients) {
      expect(
        (await c.listTools()).tools.map((t) => t.name),
        kind,
      ).toContain('legacy-up-fresh');
      expect((await c.callTool({ name: 'legacy-up-fresh', arguments: {} })).content, kind).toEqual([
        { type: 'text', text: 'fresh' },
      ]);
    }
  });

  it('a 2026-07-28 upstream announces a change on its listen stream: the gateway lists its tools again, and an unchanged list tells nobody', async () => {
    const lists = () => modern.methods.get('tools/list') ?? 0;
    const before = lists();
    const notified = new Map(told);
    modern.notify.toolsChanged();
    await expect.poll(lists, WAIT).toBeGreaterThan(before);
    // Nothing changed: a notification per no-op refresh would make peers that register each other
    // refresh each other forever. Give a wrongly sent one time to arrive (the feed debounces 50 ms).
    await new Promise((r) => setTimeout(r, 500));
    expect(told).toEqual(notified);
  });

  it('a stdio upstream announces a change: the gateway rediscovers it', async () => {
    const client = clients.get('websocket') as Client;
    const seen = async () => (await gw.call('GET', `/v1/gateways/${stdioId}`)).body.last_seen as string;
    const before = await seen();
    await new Promise((r) => setTimeout(r, 20)); // last_seen has millisecond resolution
    // The notification precedes the answer on the pipe; the refresh it causes records the upstream as seen.
    expect((await client.callTool({ name: 'stdio-notify_list_changed', arguments: {} })).content).toEqual([
      { type: 'text', text: 'notified' },
    ]);
    await expect.poll(seen, WAIT).not.toBe(before);
  });
});
