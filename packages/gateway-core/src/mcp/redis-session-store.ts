import type { Redis } from 'ioredis';
import type { SessionRecord, SessionStore } from './session-store.js';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** Key prefix shared by every replica of one deployment. Default `mcp`. */
  prefix?: string;
}

// Atomically merges fields into a live hash and refreshes its TTL; a deleted/expired session
// stays gone (no resurrection by a late update from another replica).
const UPDATE_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('HSET', KEYS[1], unpack(ARGV, 2))
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  return 1
end
return 0`;

function toFields(record: Partial<SessionRecord>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out.push(k, JSON.stringify(v));
  return out;
}

/**
 * Session store shared by every replica through Redis: one hash per session under
 * `<prefix>:session:<id>` (one JSON-encoded field per record field, so concurrent updates of
 * different fields from different replicas do not overwrite each other) with a millisecond TTL
 * refreshed on touch, so Redis itself reaps idle sessions. The caller owns the connection.
 */
export class RedisSessionStore implements SessionStore {
  readonly #prefix: string;

  constructor(
    private readonly redis: Redis,
    opts: RedisSessionStoreOptions = {},
  ) {
    this.#prefix = `${opts.prefix ?? 'mcp'}:session:`;
  }

  async create(record: SessionRecord, ttlMs: number): Promise<void> {
    const key = this.#prefix + record.id;
    await this.redis
      .multi()
      .del(key)
      .hset(key, ...toFields(record))
      .pexpire(key, ttlMs)
      .exec();
  }

  async get(id: string): Promise<SessionRecord | undefined> {
    const raw = await this.redis.hgetall(this.#prefix + id);
    if (raw.id === undefined) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(raw)) out[k] = JSON.parse(v);
    return out as unknown as SessionRecord;
  }

  async update(id: string, patch: Partial<SessionRecord>, ttlMs: number): Promise<void> {
    const fields = toFields({ ...patch, id: undefined });
    if (fields.length === 0) return this.touch(id, ttlMs);
    await this.redis.eval(UPDATE_SCRIPT, 1, this.#prefix + id, String(ttlMs), ...fields);
  }

  async touch(id: string, ttlMs: number): Promise<void> {
    await this.redis.pexpire(this.#prefix + id, ttlMs);
  }

  async delete(id: string): Promise<boolean> {
    return (await this.redis.del(this.#prefix + id)) > 0;
  }

  async close(): Promise<void> {}
}
