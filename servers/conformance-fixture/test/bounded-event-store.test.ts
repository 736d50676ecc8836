import type { JSONRPCMessage } from '@modelcontextprotocol/server';
import { describe, expect, it } from 'vitest';
import { BoundedEventStore } from '../src/http/bounded-event-store.js';

const message = (id: number): JSONRPCMessage => ({
  jsonrpc: '2.0',
  method: 'notifications/message',
  params: { id },
});

async function replay(store: BoundedEventStore, after: string) {
  const sent: Array<[string, JSONRPCMessage]> = [];
  const stream = await store.replayEventsAfter(after, {
    send: async (id, m) => {
      sent.push([id, m]);
    },
  });
  return { stream, sent };
}

describe('BoundedEventStore', () => {
  it('replays only the events of the same stream issued after Last-Event-ID, in order', async () => {
    const store = new BoundedEventStore();
    const a1 = await store.storeEvent('a', message(1));
    await store.storeEvent('b', message(2));
    const a3 = await store.storeEvent('a', message(3));
    const a4 = await store.storeEvent('a', message(4));
    const { stream, sent } = await replay(store, a1);
    expect(stream).toBe('a');
    expect(sent.map(([id]) => id)).toEqual([a3, a4]);
  });

  it('keeps only the newest events of a stream', async () => {
    const store = new BoundedEventStore(2);
    const first = await store.storeEvent('s', message(1));
    await store.storeEvent('s', message(2));
    await store.storeEvent('s', message(3));
    const { sent } = await replay(store, first);
    expect(sent.map(([, m]) => (m as unknown as { params: { id: number } }).params.id)).toEqual([2, 3]);
  });

  it('rejects an event id it never issued and a non-positive bound', async () => {
    await expect(replay(new BoundedEventStore(), 'other::000000000001')).rejects.toThrow(
      'Unknown Last-Event-ID',
    );
    expect(await new BoundedEventStore().getStreamIdForEventId('garbage')).toBeUndefined();
    expect(() => new BoundedEventStore(0)).toThrow(RangeError);
  });
});
