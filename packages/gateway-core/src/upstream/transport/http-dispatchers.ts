import { type buildConnector, Pool } from 'undici';

/** Options of the per-origin keep-alive pools. */
export interface HttpDispatcherOptions {
  /** Upper bound on sockets per origin (default 256). */
  connectionsPerOrigin?: number;
  /** Idle keep-alive sockets are closed after this many ms (default 30,000). */
  keepAliveTimeoutMs?: number;
  /** TCP/TLS connect timeout in ms (default 10,000). */
  connectTimeoutMs?: number;
  /** Connector of every socket (the gateway passes its SSRF-checking one); default undici's. */
  connect?: buildConnector.connector;
}

interface Entry {
  pool: Pool;
  refs: number;
}

/**
 * One undici keep-alive `Pool` per origin, shared by every upstream (and every session) on it and
 * reference-counted so the last user closes it. Pipelining stays at 1: MCP servers may answer
 * slowly, and head-of-line blocking would couple unrelated calls.
 */
export class HttpDispatchers {
  private readonly pools = new Map<string, Entry>();

  /** @param options pool sizing and timeouts */
  constructor(private readonly options: HttpDispatcherOptions = {}) {}

  /** Takes a reference to the pool of `origin` (creating it). Pair with {@link release}. */
  acquire(origin: string): Pool {
    let entry = this.pools.get(origin);
    if (entry === undefined) {
      entry = {
        refs: 0,
        pool: new Pool(origin, {
          connections: this.options.connectionsPerOrigin ?? 256,
          pipelining: 1,
          keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 30_000,
          keepAliveMaxTimeout: Math.max(this.options.keepAliveTimeoutMs ?? 30_000, 60_000),
          connectTimeout: this.options.connectTimeoutMs ?? 10_000,
          ...(this.options.connect ? { connect: this.options.connect } : {}),
          // Our own timers bound every exchange; undici's would cut long SSE streams.
          headersTimeout: 0,
          bodyTimeout: 0,
        }),
      };
      this.pools.set(origin, entry);
    }
    entry.refs += 1;
    return entry.pool;
  }

  /** Drops a reference; the pool closes when nobody uses it. */
  release(origin: string): void {
    const entry = this.pools.get(origin);
    if (entry === undefined) return;
    entry.refs -= 1;
    if (entry.refs <= 0) {
      this.pools.delete(origin);
      void entry.pool.destroy().catch(() => {});
    }
  }

  /** Number of live origin pools (for tests and metrics). */
  get size(): number {
    return this.pools.size;
  }

  /** Destroys every pool. */
  async close(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((e) => e.pool.destroy().catch(() => {})));
  }
}
