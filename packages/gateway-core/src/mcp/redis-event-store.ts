import type { Redis } from 'ioredis';
import { type EventStore, parseEventId, type StoredEvent } from './event-store.js';

/** Options of {@link RedisEventStore}. */
export interface RedisEventStoreOptions {
  /** Key prefix shared by every replica of one deployment. Default `mcp`. */
  prefix?: string;
  /** Events kept per stream (approximate trim). Default 256. */
  maxEventsPerStream?: number;
  /** Streams expire this long after their last event. Default 10 minutes. */
  streamTtlMs?: number;
}

/**
 * Event store shared through Redis streams: one stream key per (session, SSE stream), trimmed to
 * `maxEventsPerStream` with `XADD MAXLEN ~` and expiring `streamTtlMs` after the last write, so
 * any replica can replay `Last-Event-ID` and nothing outlives its session for long.
 */
export class RedisEventStore implements EventStore {
  readonly #prefix: string;
  readonly #max: number;
  readonly #ttlMs: number;

  constructor(
    private readonly redis: Redis,
    opts: RedisEventStoreOptions = {},
  ) {
    this.#prefix = opts.prefix ?? 'mcp';
    this.#max = opts.maxEventsPerStream ?? 256;
    this.#ttlMs = opts.streamTtlMs ?? 600_000;
  }

  #key(sessionId: string, streamId: string): string {
    return `${this.#prefix}:events:${sessionId}:${streamId}`;
  }

  async append(sessionId: string, streamId: string, data: string, end?: boolean): Promise<string> {
    const key = this.#key(sessionId, streamId);
    const index = `${this.#prefix}:streams:${sessionId}`;
    const res = await this.redis
      .multi()
      .xadd(key, 'MAXLEN', '~', this.#max, '*', 'd', data, 'e', end ? '1' : '0')
      .pexpire(key, this.#ttlMs)
      .sadd(index, streamId)
      .pexpire(index, this.#ttlMs)
      .exec();
    const entryId = res?.[0]?.[1];
    if (typeof entryId !== 'string') throw new Error(`event store: XADD on ${key} returned no id`);
    return `${streamId}_${entryId}`;
  }

  async after(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined> {
    const parsed = parseEventId(lastEventId);
    if (parsed === undefined || !/^\d+-\d+$/.test(parsed.seq)) return undefined;
    const key = this.#key(sessionId, parsed.streamId);
    const [exists, entries] = await Promise.all([
      this.redis.exists(key),
      // No COUNT: the stream is already bounded by MAXLEN, and a cut-off tail would lose the response.
      this.redis.xrange(key, `(${parsed.seq}`, '+'),
    ]);
    if (exists === 0) return undefined;
    const events = entries.map(([entryId, fields]) => {
      const map: Record<string, string> = {};
      for (let i = 0; i + 1 < fields.length; i += 2) map[fields[i] as string] = fields[i + 1] as string;
      const ev: StoredEvent = { id: `${parsed.streamId}_${entryId}`, data: map.d ?? '' };
      if (map.e === '1') ev.end = true;
      return ev;
    });
    return { streamId: parsed.streamId, events };
  }

  async setOwner(sessionId: string, streamId: string, replicaId: string, ttlMs: number): Promise<void> {
    await this.redis.set(`${this.#prefix}:owner:${sessionId}:${streamId}`, replicaId, 'PX', ttlMs);
  }

  async getOwner(sessionId: string, streamId: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.#prefix}:owner:${sessionId}:${streamId}`)) ?? undefined;
  }

  async deleteSession(sessionId: string): Promise<void> {
    const index = `${this.#prefix}:streams:${sessionId}`;
    const streams = await this.redis.smembers(index);
    const keys = streams.flatMap((s) => [this.#key(sessionId, s), `${this.#prefix}:owner:${sessionId}:${s}`]);
    await this.redis.del(index, ...keys);
  }

  async close(): Promise<void> {}
}
