import type { EventId, EventStore, JSONRPCMessage, StreamId } from '@modelcontextprotocol/server';

/** Default number of events kept per SSE stream for `Last-Event-ID` replay. */
export const DEFAULT_EVENTS_PER_STREAM = 512;

/**
 * An in-memory {@link EventStore} for one legacy session: stamps every SSE message with an id so a
 * client that lost its stream can resume with `Last-Event-ID` (SEP-1699, scenarios
 * `server-sse-polling` and `server-sse-multiple-streams`). Bounded: each stream keeps its newest
 * `eventsPerStream` events, and the whole store is dropped with its session.
 */
export class BoundedEventStore implements EventStore {
  readonly #streams = new Map<StreamId, Array<{ id: EventId; message: JSONRPCMessage }>>();
  readonly #eventsPerStream: number;
  #sequence = 0;

  /** @param eventsPerStream how many of the newest events each stream keeps (≥ 1) */
  constructor(eventsPerStream = DEFAULT_EVENTS_PER_STREAM) {
    if (!Number.isInteger(eventsPerStream) || eventsPerStream < 1) {
      throw new RangeError(`eventsPerStream must be a positive integer, received ${eventsPerStream}`);
    }
    this.#eventsPerStream = eventsPerStream;
  }

  /** Records `message` on `streamId` and returns its event id (`<stream>::<sequence>`). */
  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    this.#sequence += 1;
    // Zero-padded so ids of one stream sort in the order they were issued.
    const id = `${streamId}::${String(this.#sequence).padStart(12, '0')}`;
    const events = this.#streams.get(streamId) ?? [];
    events.push({ id, message });
    if (events.length > this.#eventsPerStream) events.splice(0, events.length - this.#eventsPerStream);
    this.#streams.set(streamId, events);
    return id;
  }

  /** The stream an event id belongs to, or undefined for an id this store did not issue. */
  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const separator = eventId.lastIndexOf('::');
    if (separator <= 0) return undefined;
    const streamId = eventId.slice(0, separator);
    return this.#streams.has(streamId) ? streamId : undefined;
  }

  /** Re-sends every event of the stream issued after `lastEventId`; returns the stream id. */
  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const streamId = await this.getStreamIdForEventId(lastEventId);
    if (streamId === undefined) throw new Error(`Unknown Last-Event-ID: ${lastEventId}`);
    for (const event of this.#streams.get(streamId) ?? []) {
      if (event.id > lastEventId) await send(event.id, event.message);
    }
    return streamId;
  }
}
