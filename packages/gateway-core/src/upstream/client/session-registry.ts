import type { McpConnection } from '../connection/mcp-connection.js';
import { UpstreamError } from '../upstream-error.js';

/**
 * Isolated upstream sessions keyed by downstream session (`sessionKey`): created on first use,
 * kept in least-recently-used order, closed when idle, bounded — past the bound the least
 * recently used idle session is closed, and when every session is busy the call fails with
 * `capacity` rather than growing without limit.
 */
export class SessionRegistry {
  private readonly map = new Map<string, McpConnection>();

  /**
   * @param create opens a new isolated connection
   * @param max upper bound on sessions
   * @param idleMs a session unused this long (and with nothing in flight) is closed by {@link reap}
   * @param where display name
   */
  constructor(
    private readonly create: () => McpConnection,
    private readonly max: number,
    private readonly idleMs: number,
    private readonly where: string,
  ) {}

  /** Live isolated sessions. */
  get size(): number {
    return this.map.size;
  }

  /** Every live isolated connection. */
  values(): IterableIterator<McpConnection> {
    return this.map.values();
  }

  /** The session of `key`, created when missing. @throws UpstreamError `capacity` */
  get(key: string): McpConnection {
    const existing = this.map.get(key);
    if (existing !== undefined && !existing.closed) {
      // Re-insert: Map order is the LRU order.
      this.map.delete(key);
      this.map.set(key, existing);
      return existing;
    }
    if (existing !== undefined) this.map.delete(key);
    if (this.map.size >= this.max) this.evictOne();
    const created = this.create();
    this.map.set(key, created);
    return created;
  }

  /** Closes the session of `key` (the downstream session ended). */
  async drop(key: string): Promise<void> {
    const c = this.map.get(key);
    this.map.delete(key);
    await c?.close();
  }

  /** Closes sessions idle for longer than `idleMs`. */
  reap(now = Date.now()): void {
    for (const [key, c] of this.map) {
      if (c.inFlight === 0 && now - c.lastUsed > this.idleMs) {
        this.map.delete(key);
        void c.close();
      }
    }
  }

  async closeAll(): Promise<void> {
    const all = [...this.map.values()];
    this.map.clear();
    await Promise.all(all.map((c) => c.close()));
  }

  private evictOne(): void {
    for (const [key, c] of this.map) {
      if (c.inFlight === 0) {
        this.map.delete(key);
        void c.close();
        return;
      }
    }
    throw new UpstreamError(
      'capacity',
      `${this.where}: ${this.max} isolated sessions are all busy (limit reached)`,
      {
        notDelivered: true,
      },
    );
  }
}
