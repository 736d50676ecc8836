import type { EventStore } from './event-store.js';
import type { InFlightRequests } from './in-flight.js';
import type { JsonRpcResponse } from './json-rpc.js';
import { notificationFrame, resultFrame } from './json-rpc.js';
import type { MessageBus } from './message-bus.js';
import { PendingRequests } from './pending-requests.js';
import { META } from './protocol.js';
import { scopeKey } from './server-info-cache.js';
import type { SessionManager } from './session-manager.js';
import type { SseConnection } from './sse-connection.js';
import type { ChangeEvent, Scope } from './types.js';

/** A downstream session channel held open on this replica (legacy GET stream, HTTP+SSE, WebSocket). */
export interface LocalChannel {
  sessionId: string;
  scope: Scope;
  /** Writes one JSON-RPC frame to the client. */
  write(frame: string): void;
  /** Closes the channel (session deleted). */
  close(): void;
  /** Writes an SSE keep-alive comment (SSE channels only). */
  keepAlive?(): void;
  /** Whether the client subscribed to `uri`, for channels that track it locally (WebSocket). */
  subscribed?(uri: string): boolean;
}

/** A 2026-07-28 `subscriptions/listen` stream held open on this replica. */
export interface Listener {
  subscriptionId: string | number;
  scope: Scope;
  tools: boolean;
  prompts: boolean;
  resources: boolean;
  uris: ReadonlySet<string>;
  conn: SseConnection;
}

interface Resumed {
  conn: SseConnection;
  lastSeq: string;
  sessionId: string;
  streamId: string;
}

type BusMessage =
  | { t: 'resp'; msg: JsonRpcResponse }
  | { t: 'cancel'; sid: string; rid: string | number; reason?: string }
  | { t: 'ev'; sid: string; stream: string; id: string; data: string; end?: boolean }
  | { t: 'sse'; sid: string; data: string }
  | { t: 'chg'; sid: string; deleted: boolean };

/** Options of {@link Hub}. */
export interface HubOptions {
  bus: MessageBus;
  events: EventStore;
  sessions: SessionManager;
  pending: PendingRequests;
  inFlight: InFlightRequests;
  /** Channel prefix shared by the replicas of one deployment. */
  prefix: string;
  keepAliveMs: number;
  /** How long a resumed stream's owner record lives without renewal. */
  ownerTtlMs: number;
}

/** Compares two event sequence parts (`12` or Redis `1700000000000-3`). */
function seqAfter(a: string, b: string): boolean {
  const [a1, a2] = a.split('-');
  const [b1, b2] = b.split('-');
  const x = Number(a1) - Number(b1);
  return x !== 0 ? x > 0 : Number(a2 ?? 0) > Number(b2 ?? 0);
}

/**
 * The replica's switchboard: local registries of open downstream channels and listeners, and the
 * bus routing that lets any replica serve any request of a session — responses to server→client
 * requests go back to the replica that sent them, cancellations reach the replica running the
 * request, stream events reach the replica a client resumed on, and session deletions close
 * streams everywhere.
 */
export class Hub {
  readonly replicaId: string;
  readonly channels = new Map<string, Set<LocalChannel>>();
  readonly listeners = new Set<Listener>();
  readonly #resumed = new Map<string, Resumed>();
  readonly #unsubscribe: Array<() => Promise<void>> = [];
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: HubOptions) {
    this.replicaId = opts.pending.replicaId;
  }

  #replicaChannel(id: string): string {
    return `${this.opts.prefix}:replica:${id}`;
  }

  get #broadcast(): string {
    return `${this.opts.prefix}:broadcast`;
  }

  /** Subscribes to this replica's bus channels and starts keep-alives. */
  async start(): Promise<void> {
    const onMessage = (payload: string): void => {
      try {
        this.#onBus(JSON.parse(payload) as BusMessage);
      } catch {
        // Malformed bus traffic is ignored: it cannot be attributed to a client to answer.
      }
    };
    this.#unsubscribe.push(await this.opts.bus.subscribe(this.#replicaChannel(this.replicaId), onMessage));
    this.#unsubscribe.push(await this.opts.bus.subscribe(this.#broadcast, onMessage));
    this.#timer = setInterval(() => this.#keepAlive(), this.opts.keepAliveMs);
    this.#timer.unref();
  }

  /** Closes every local stream and leaves the bus. */
  async close(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    for (const set of this.channels.values()) for (const ch of set) ch.close();
    this.channels.clear();
    for (const l of this.listeners) {
      // Graceful end of a subscription: its JSON-RPC response, tagged (2026-07-28 subscriptions §Graceful Closure).
      l.conn.write(
        resultFrame(
          l.subscriptionId,
          JSON.stringify({ resultType: 'complete', _meta: { [META.subscriptionId]: l.subscriptionId } }),
        ),
      );
      l.conn.end();
    }
    this.listeners.clear();
    for (const r of this.#resumed.values()) r.conn.end();
    this.#resumed.clear();
    await Promise.all(this.#unsubscribe.splice(0).map((u) => u().catch(() => undefined)));
  }

  /** Registers a local channel; returns its unregister function. */
  addChannel(ch: LocalChannel): () => void {
    let set = this.channels.get(ch.sessionId);
    if (set === undefined) {
      set = new Set();
      this.channels.set(ch.sessionId, set);
    }
    set.add(ch);
    return () => {
      const s = this.channels.get(ch.sessionId);
      if (s === undefined) return;
      s.delete(ch);
      if (s.size === 0) this.channels.delete(ch.sessionId);
    };
  }

  /** Delivers a client's JSON-RPC response to the pending server→client request it answers. */
  async routeClientResponse(msg: JsonRpcResponse): Promise<void> {
    if (this.opts.pending.settle(String(msg.id), msg)) return;
    const owner = PendingRequests.ownerOf(msg.id);
    if (owner !== undefined && owner !== this.replicaId) {
      await this.opts.bus.publish(this.#replicaChannel(owner), JSON.stringify({ t: 'resp', msg }));
    }
  }

  /** Cancels a request of a session wherever it runs. */
  async cancel(sessionId: string, requestId: string | number, reason?: string): Promise<void> {
    if (this.opts.inFlight.cancel(sessionId, requestId, reason)) return;
    await this.opts.bus.publish(
      this.#broadcast,
      JSON.stringify({ t: 'cancel', sid: sessionId, rid: requestId, reason }),
    );
  }

  /** Tells every replica a session record changed (drop caches) or was deleted (close streams). */
  sessionChanged(sessionId: string, deleted: boolean): void {
    if (deleted) this.#closeSession(sessionId);
    void this.opts.bus
      .publish(this.#broadcast, JSON.stringify({ t: 'chg', sid: sessionId, deleted }))
      .catch(() => undefined);
  }

  /** Writes a frame to a legacy HTTP+SSE session's stream, wherever it is held. */
  async deliverToSseSession(sessionId: string, owner: string | undefined, frame: string): Promise<void> {
    const local = this.channels.get(sessionId);
    if (local !== undefined && local.size > 0) {
      for (const ch of local) ch.write(frame);
      return;
    }
    if (owner !== undefined && owner !== this.replicaId) {
      await this.opts.bus.publish(
        this.#replicaChannel(owner),
        JSON.stringify({ t: 'sse', sid: sessionId, data: frame }),
      );
    }
  }

  /** Forwards an event of a detached request stream to the replica the client resumed it on. */
  async forwardStreamEvent(
    sessionId: string,
    streamId: string,
    id: string,
    data: string,
    end: boolean,
  ): Promise<void> {
    const owner = await this.opts.events.getOwner(sessionId, streamId);
    if (owner === undefined) return;
    if (owner === this.replicaId)
      this.#deliverResumed({ t: 'ev', sid: sessionId, stream: streamId, id, data, end });
    else
      await this.opts.bus.publish(
        this.#replicaChannel(owner),
        JSON.stringify({ t: 'ev', sid: sessionId, stream: streamId, id, data, end }),
      );
  }

  /**
   * Resumes a stream after `lastEventId` on `conn`: claims live delivery first, then replays the
   * stored events (an event appended in between arrives live and is de-duplicated by sequence).
   *
   * @returns false when the event id is unknown or expired.
   */
  async resume(
    sessionId: string,
    lastEventId: string,
    conn: SseConnection,
  ): Promise<{ streamId: string } | false> {
    const cut = lastEventId.lastIndexOf('_');
    if (cut <= 0) return false;
    const streamId = lastEventId.slice(0, cut);
    const key = `${sessionId} ${streamId}`;
    const entry: Resumed = { conn, lastSeq: lastEventId.slice(cut + 1), sessionId, streamId };
    this.#resumed.get(key)?.conn.end();
    this.#resumed.set(key, entry);
    conn.onClose(() => {
      if (this.#resumed.get(key) === entry) this.#resumed.delete(key);
    });
    await this.opts.events.setOwner(sessionId, streamId, this.replicaId, this.opts.ownerTtlMs);
    const replay = await this.opts.events.after(sessionId, lastEventId);
    if (replay === undefined) {
      this.#resumed.delete(key);
      return false;
    }
    for (const ev of replay.events)
      this.#deliverResumed({
        t: 'ev',
        sid: sessionId,
        stream: streamId,
        id: ev.id,
        data: ev.data,
        end: ev.end,
      });
    return { streamId };
  }

  /** Fans a backend change out to local channels and listeners that asked for it. */
  async fanOut(e: ChangeEvent): Promise<void> {
    const matches = (scope: Scope): boolean =>
      e.scope === undefined ||
      e.scope === 'any' ||
      scope.kind === 'all' ||
      scopeKey(scope) === scopeKey(e.scope);
    if (e.kind === 'resource-updated') {
      const frame = notificationFrame('notifications/resources/updated', { uri: e.uri });
      for (const [sid, set] of this.channels) {
        for (const ch of set) {
          if (!matches(ch.scope)) continue;
          const subscribed =
            ch.subscribed !== undefined
              ? ch.subscribed(e.uri)
              : (await this.opts.sessions.get(sid).catch(() => undefined))?.subscriptions?.includes(e.uri) ===
                true;
          if (subscribed) ch.write(frame);
        }
      }
      for (const l of this.listeners) {
        if (l.uris.has(e.uri) && matches(l.scope))
          l.conn.write(
            notificationFrame('notifications/resources/updated', {
              uri: e.uri,
              _meta: { [META.subscriptionId]: l.subscriptionId },
            }),
          );
      }
      return;
    }
    const method = `notifications/${e.kind}/list_changed`;
    const frame = notificationFrame(method);
    for (const set of this.channels.values()) for (const ch of set) if (matches(ch.scope)) ch.write(frame);
    for (const l of this.listeners) {
      if (l[e.kind] && matches(l.scope))
        l.conn.write(notificationFrame(method, { _meta: { [META.subscriptionId]: l.subscriptionId } }));
    }
  }

  #deliverResumed(m: Extract<BusMessage, { t: 'ev' }>): void {
    const r = this.#resumed.get(`${m.sid} ${m.stream}`);
    if (r === undefined) return;
    const seq = m.id.slice(m.id.lastIndexOf('_') + 1);
    if (!seqAfter(seq, r.lastSeq)) return;
    r.lastSeq = seq;
    r.conn.write(m.data, m.id);
    if (m.end) r.conn.end();
  }

  #closeSession(sessionId: string): void {
    this.opts.sessions.forget(sessionId);
    this.opts.inFlight.cancelSession(sessionId);
    const set = this.channels.get(sessionId);
    if (set !== undefined) for (const ch of [...set]) ch.close();
    this.channels.delete(sessionId);
    for (const [key, r] of this.#resumed) {
      if (r.sessionId === sessionId) {
        r.conn.end();
        this.#resumed.delete(key);
      }
    }
  }

  #onBus(m: BusMessage): void {
    switch (m.t) {
      case 'resp':
        this.opts.pending.settle(String(m.msg.id), m.msg);
        return;
      case 'cancel':
        this.opts.inFlight.cancel(m.sid, m.rid, m.reason);
        return;
      case 'ev':
        this.#deliverResumed(m);
        return;
      case 'sse': {
        const set = this.channels.get(m.sid);
        if (set !== undefined) for (const ch of set) ch.write(m.data);
        return;
      }
      case 'chg':
        if (m.deleted) this.#closeSession(m.sid);
        else this.opts.sessions.forget(m.sid);
        return;
    }
  }

  #keepAlive(): void {
    for (const [sid, set] of this.channels) {
      let sse = false;
      for (const ch of set) {
        if (ch.keepAlive === undefined) continue;
        sse = true;
        ch.keepAlive();
      }
      // A session reaped or deleted elsewhere (Redis TTL) closes the streams still open here;
      // an open stream otherwise keeps its session alive, as the client is still connected.
      if (sse) {
        void this.opts.sessions
          .get(sid)
          .then((record) => {
            if (record === undefined) this.#closeSession(sid);
          })
          .catch(() => undefined);
      }
    }
    for (const l of this.listeners) l.conn.writeRaw(':\n\n');
    for (const r of this.#resumed.values()) r.conn.writeRaw(':\n\n');
  }

  /** Local bookkeeping sizes (for bound tests). */
  get sizes(): { channels: number; listeners: number; resumed: number } {
    return { channels: this.channels.size, listeners: this.listeners.size, resumed: this.#resumed.size };
  }
}
