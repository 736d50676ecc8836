/** One stored SSE event of a resumable stream. */
export interface StoredEvent {
  /** SSE event id: `<streamId>_<seq>`, unique within the session. */
  id: string;
  /** Serialised JSON-RPC message. */
  data: string;
  /** True on the final response of a request stream (the stream ends after it). */
  end?: boolean;
}

/**
 * Bounded log of SSE events per (session, stream) that makes legacy streamable-HTTP streams
 * resumable with `Last-Event-ID` on any replica (2025-11-25 transports §Resumability), plus a
 * record of which replica currently delivers a stream after it was resumed elsewhere.
 */
export interface EventStore {
  /** Appends one event and returns its id. */
  append(sessionId: string, streamId: string, data: string, end?: boolean): Promise<string>;
  /** Events of the stream `lastEventId` belongs to that follow it; undefined when unknown/expired. */
  after(
    sessionId: string,
    lastEventId: string,
  ): Promise<{ streamId: string; events: StoredEvent[] } | undefined>;
  /** Records that `replicaId` now delivers `streamId` live (for `ttlMs`). */
  setOwner(sessionId: string, streamId: string, replicaId: string, ttlMs: number): Promise<void>;
  /** The replica delivering `streamId` live, if any. */
  getOwner(sessionId: string, streamId: string): Promise<string | undefined>;
  /** Drops every stream of a session. */
  deleteSession(sessionId: string): Promise<void>;
  /** Releases timers/connections. */
  close(): Promise<void>;
}

/** Splits an event id into its stream id and sequence part; undefined when malformed. */
export function parseEventId(eventId: string): { streamId: string; seq: string } | undefined {
  const cut = eventId.lastIndexOf('_');
  if (cut <= 0 || cut === eventId.length - 1) return undefined;
  return { streamId: eventId.slice(0, cut), seq: eventId.slice(cut + 1) };
}
