import type { Scope } from './types.js';

/** Which legacy transport a session belongs to. */
export type SessionTransport = 'streamable-http' | 'sse';

/** Everything any replica needs to serve a request of a legacy (session-based) downstream session. */
export interface SessionRecord {
  id: string;
  transport: SessionTransport;
  protocolVersion: string;
  scope: Scope;
  /** Principal the session was created by; requests by anyone else are answered 404. */
  principalId: string;
  clientCapabilities: Record<string, unknown>;
  clientInfo?: { name: string; version: string; [k: string]: unknown };
  /** Minimum level of logging notifications (logging/setLevel); all levels when unset. */
  logLevel?: string;
  /** Resource URIs the client subscribed to (resources/subscribe), bounded. */
  subscriptions?: string[];
  /** `notifications/initialized` seen. */
  initialized?: boolean;
  /** Replica holding the session's HTTP+SSE stream (legacy SSE transport). */
  owner?: string;
  createdAt: number;
}

/**
 * Shared session state. Implementations: `MemorySessionStore` (one replica) and
 * `RedisSessionStore` (any number of replicas). Records expire after `ttlMs` without a touch.
 */
export interface SessionStore {
  /** Stores a new record that expires `ttlMs` after its last touch. */
  create(record: SessionRecord, ttlMs: number): Promise<void>;
  /** The live record, or undefined when unknown/expired/deleted. */
  get(id: string): Promise<SessionRecord | undefined>;
  /** Merges `patch` into a live record (no-op when gone) and refreshes its expiry. */
  update(id: string, patch: Partial<SessionRecord>, ttlMs: number): Promise<void>;
  /** Refreshes the expiry of a live record. */
  touch(id: string, ttlMs: number): Promise<void>;
  /** Deletes a record; resolves true when it existed. */
  delete(id: string): Promise<boolean>;
  /** Releases connections/timers. */
  close(): Promise<void>;
}
