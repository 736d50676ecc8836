import { type EventStore, parseEventId, type StoredEvent } from './event-store.js';

/** Options of {@link MemoryEventStore}. */
export interface MemoryEventStoreOptions {
  /** Events kept per stream (oldest dropped first). Default 256. */
  maxEventsPerStream?: number;
  /** Streams kept overall (least recently written dropped first). Default 10,000. */
  maxStreams?: number;
  /** A stream not written for this long is dropped. Default 10 minutes. */
  streamTtlMs?: number;
}

interface Stream {
  sessionId: string;
  streamId: string;
  seq: number;
  events: StoredEvent[];
  touchedAt: number;
  owner?: { replicaId: string; until: number };
}

/**
 * In-process event store for one replica. Every buffer is bounded: events per stream, streams
 * overall (LRU) and stream age, so a flood of streams or events never grows memory without bound.
 */
export class MemoryEventStore implements EventStore {
  readonly #streams = new Map<string, Stream>();
  readonly #maxEvents: number;
  readonly #maxStreams: number;
  readonly #ttlMs: number;

  constructor(opts: MemoryEventStoreOptions = {}) {
    this.#maxEvents = opts.maxEventsPerStream ?? 256;
    this.#maxStreams = opts.maxStreams ?? 10_000;
    this.#ttlMs = opts.streamTtlMs ?? 600_000;
  }

  async append(sessionId: string, streamId: string, data: string, end?: boolean): Promise<string> {
    const key = `${sessionId} ${streamId}`;
    const now = Date.now();
    let stream = this.#streams.get(key);
    if (stream === undefined || now - stream.touchedAt > this.#ttlMs) {
      stream = { sessionId, streamId, seq: stream?.seq ?? 0, events: [], touchedAt: now };
    }
    this.#streams.delete(key);
    this.#streams.set(key, stream);
    stream.touchedAt = now;
    stream.seq += 1;
    const event: StoredEvent = { id: `${streamId}_${stream.seq}`, data };
    if (end) event.end = true;
    stream.events.push(event);
    if (stream.events.length > this.#maxEvents) stream.events.shift();
    while (this.#streams.size > this.#maxStreams)
      this.#streams.delete(this.#streams.keys().next().value as string);
    return event.id;
  }

  async after(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (parsed === undefined) return undefined;
    const stream = this.#streams.get(`${sessionId} ${parsed.streamId}`);
    if (stream === undefined || Date.now() - stream.touchedAt > this.#ttlMs) return undefined;
    const seq = Number(parsed.seq);
    return {
      streamId: parsed.streamId,
      events: stream.events.filter((e) => Number(parseEventId(e.id)?.seq) > seq),
    };
  }

  async setOwner(sessionId: string, streamId: string, replicaId: string, ttlMs: number): Promise<void> {
    const key = `${sessionId} ${streamId}`;
    let stream = this.#streams.get(key);
    if (stream === undefined) {
      stream = { sessionId, streamId, seq: 0, events: [], touchedAt: Date.now() };
      this.#streams.set(key, stream);
    }
    stream.owner = { replicaId, until: Date.now() + ttlMs };
  }

  async getOwner(sessionId: string, streamId: string): Promise<string | undefined> {
    const owner = this.#streams.get(`${sessionId} ${streamId}`)?.owner;
    return owner !== undefined && owner.until > Date.now() ? owner.replicaId : undefined;
  }

  async deleteSession(sessionId: string): Promise<void> {
    for (const [key, stream] of this.#streams) if (stream.sessionId === sessionId) this.#streams.delete(key);
  }

  async close(): Promise<void> {
    this.#streams.clear();
  }

  /** Number of streams held (for bound tests). */
  get size(): number {
    return this.#streams.size;
  }
}
