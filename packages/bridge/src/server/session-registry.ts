import type { Logger } from '../core/logger.js';

/** What the registry needs from a session. */
export interface ManagedSession {
  readonly id: string;
  /** Last time (ms since epoch) the client sent or received something. */
  lastActivity: number;
  /** Sessions tied to one connection (legacy SSE, WebSocket) live as long as it and are never reaped. */
  readonly connectionBound: boolean;
  /** Ends the session and whatever it holds. */
  close(reason: string): Promise<void>;
}

/** Options of {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  /** Most sessions at once (0 = unlimited). */
  maxSessions: number;
  /** Idle time after which a session is closed, ms (0 = never). */
  idleTimeoutMs: number;
  logger?: Logger;
}

/**
 * All open client sessions of a bridge server, across transports: enforces `--max-sessions`
 * (slots are reserved before a child is spawned) and reaps sessions idle past `--session-timeout`.
 */
export class SessionRegistry<S extends ManagedSession> {
  private readonly sessions = new Map<string, S>();
  private reserved = 0;
  private readonly timer?: NodeJS.Timeout;

  /** @param options limits */
  constructor(private readonly options: SessionRegistryOptions) {
    if (options.idleTimeoutMs > 0) {
      const every = Math.max(50, Math.min(options.idleTimeoutMs / 2, 30_000));
      this.timer = setInterval(() => void this.reap(), every);
      this.timer.unref();
    }
  }

  /** Open sessions. */
  get size(): number {
    return this.sessions.size;
  }

  /** Reserves a slot for a session about to open; false when the limit is reached. */
  reserve(): boolean {
    const max = this.options.maxSessions;
    if (max > 0 && this.sessions.size + this.reserved >= max) return false;
    this.reserved += 1;
    return true;
  }

  /** Gives back a reserved slot (the session failed to open). */
  release(): void {
    this.reserved = Math.max(0, this.reserved - 1);
  }

  /** Adds a session into a reserved slot. */
  add(session: S): void {
    this.release();
    this.sessions.set(session.id, session);
  }

  /** Looks a session up. */
  get(id: string): S | undefined {
    return this.sessions.get(id);
  }

  /** Forgets a session (it closes itself). */
  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Closes every session and stops reaping. */
  async closeAll(reason: string): Promise<void> {
    clearInterval(this.timer);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close(reason)));
  }

  private async reap(): Promise<void> {
    const cutoff = Date.now() - this.options.idleTimeoutMs;
    for (const session of [...this.sessions.values()]) {
      if (session.connectionBound || session.lastActivity > cutoff) continue;
      this.options.logger?.info('closing idle session', { session: session.id });
      this.sessions.delete(session.id);
      await session.close('idle timeout');
    }
  }
}
