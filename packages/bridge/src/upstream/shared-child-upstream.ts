import { SupervisedChild, type SupervisedChildOptions } from '../child/supervised-child.js';
import {
  ErrorCode,
  errorResponse,
  isNotification,
  isRequest,
  isResponse,
  type JsonRpcId,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type JsonRpcResponse,
  progressTokenOf,
} from '../core/json-rpc.js';
import type { CloseInfo } from '../core/message-transport.js';
import type { SessionContext, Upstream, UpstreamSession } from './upstream.js';

const SUBSCRIPTION_ID = 'io.modelcontextprotocol/subscriptionId';

interface Inflight {
  session: SharedSession;
  id: JsonRpcId;
  progressToken?: JsonRpcId;
  isInitialize: boolean;
}

class SharedSession implements UpstreamSession {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  /** client request id → child request id, for cancellation and clean-up. */
  readonly childIds = new Map<JsonRpcId, number>();
  closed = false;

  constructor(
    readonly id: string,
    private readonly owner: SharedChildUpstream,
  ) {}

  send(message: JsonRpcMessage): Promise<void> {
    return this.owner.fromSession(this, message);
  }

  close(): Promise<void> {
    return this.owner.closeSession(this);
  }
}

/**
 * Many client sessions on one stdio child. Request ids (and progress tokens) are remapped to
 * child-unique numbers and mapped back on the way out, so sessions can reuse the same ids;
 * `initialize` reaches the child once and later sessions get the cached result;
 * `notifications/cancelled` is translated to the child's id; a closed session's pending requests
 * are cancelled in the child. Server-initiated requests go to the session with the most recent
 * request in flight; other notifications (list changes, logs) go to every session.
 */
export class SharedChildUpstream implements Upstream {
  private readonly child: SupervisedChild;
  private starting?: Promise<void>;
  private nextId = 1;
  private readonly inflight = new Map<number, Inflight>();
  private readonly sessions = new Set<SharedSession>();
  private readonly serverRequests = new Map<JsonRpcId, SharedSession>();
  private initResult?: unknown;
  private initWaiters?: Array<{ session: SharedSession; id: JsonRpcId }>;
  private sentInitialized = false;
  private lastActive?: SharedSession;

  /** @param options how to run (and restart) the shared child */
  constructor(options: SupervisedChildOptions) {
    this.child = new SupervisedChild(options);
    this.child.onmessage = (message) => this.fromChild(message);
    this.child.onclose = (info) => {
      if (!info?.unexpected) return;
      for (const session of this.sessions) session.onclose?.(info);
      this.sessions.clear();
    };
  }

  /** Opens a logical session; the child starts with the first one. */
  async open(context: SessionContext): Promise<UpstreamSession> {
    this.starting ??= this.child.start();
    await this.starting;
    const session = new SharedSession(context.id, this);
    this.sessions.add(session);
    return session;
  }

  /** Stops the shared child. */
  async close(): Promise<void> {
    this.sessions.clear();
    await this.child.close();
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get pids(): number[] {
    return this.child.pid === undefined ? [] : [this.child.pid];
  }

  /** @internal routes a message from a session to the child */
  async fromSession(session: SharedSession, message: JsonRpcMessage): Promise<void> {
    if (session.closed) return;
    if (isRequest(message)) return this.forwardRequest(session, message);
    if (isNotification(message)) {
      if (message.method === 'notifications/initialized') {
        if (this.sentInitialized) return;
        this.sentInitialized = true;
      } else if (message.method === 'notifications/cancelled') {
        const params = (message.params ?? {}) as { requestId?: JsonRpcId; reason?: string };
        const childId = session.childIds.get(params.requestId as JsonRpcId);
        if (childId === undefined) return;
        this.forget(childId);
        return this.child.send({ ...message, params: { ...params, requestId: childId } });
      }
      return this.child.send(message);
    }
    // A response to a server-initiated request: ids are the child's own, pass through.
    if (isResponse(message) && message.id !== null) this.serverRequests.delete(message.id);
    return this.child.send(message);
  }

  /** @internal ends a session and cancels what it left running in the child */
  async closeSession(session: SharedSession): Promise<void> {
    if (session.closed) return;
    session.closed = true;
    this.sessions.delete(session);
    const cancels: Promise<void>[] = [];
    for (const childId of session.childIds.values()) {
      this.forget(childId);
      cancels.push(
        this.child
          .send({
            jsonrpc: '2.0',
            method: 'notifications/cancelled',
            params: { requestId: childId, reason: 'client session closed' },
          })
          .catch(() => undefined),
      );
    }
    session.childIds.clear();
    await Promise.all(cancels);
  }

  private async forwardRequest(session: SharedSession, request: JsonRpcRequest): Promise<void> {
    const isInitialize = request.method === 'initialize';
    if (isInitialize) {
      if (this.initResult !== undefined) {
        session.onmessage?.({ jsonrpc: '2.0', id: request.id, result: this.initResult });
        return;
      }
      if (this.initWaiters) {
        this.initWaiters.push({ session, id: request.id });
        return;
      }
      this.initWaiters = [];
    }
    if (session.childIds.has(request.id)) {
      session.onmessage?.(
        errorResponse(
          request.id,
          ErrorCode.InvalidRequest,
          `request id ${JSON.stringify(request.id)} is already in use`,
        ),
      );
      return;
    }
    const childId = this.nextId++;
    const entry: Inflight = { session, id: request.id, isInitialize };
    let outgoing: JsonRpcRequest = { ...request, id: childId };
    const token = progressTokenOf(request);
    if (token !== undefined) {
      const params = request.params as { _meta: Record<string, unknown> };
      outgoing = { ...outgoing, params: { ...params, _meta: { ...params._meta, progressToken: childId } } };
      entry.progressToken = token;
    }
    this.inflight.set(childId, entry);
    session.childIds.set(request.id, childId);
    this.lastActive = session;
    await this.child.send(outgoing);
  }

  private forget(childId: number): Inflight | undefined {
    const entry = this.inflight.get(childId);
    if (!entry) return undefined;
    this.inflight.delete(childId);
    entry.session.childIds.delete(entry.id);
    return entry;
  }

  private fromChild(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      this.routeResponse(message);
      return;
    }
    if (isNotification(message)) {
      const params = (message.params ?? {}) as Record<string, unknown>;
      if (message.method === 'notifications/progress') {
        const entry = this.inflight.get(params.progressToken as number);
        if (entry?.progressToken !== undefined) {
          entry.session.onmessage?.({
            ...message,
            params: { ...params, progressToken: entry.progressToken },
          });
        }
        return;
      }
      if (message.method === 'notifications/cancelled') {
        this.serverRequests.get(params.requestId as JsonRpcId)?.onmessage?.(message);
        this.serverRequests.delete(params.requestId as JsonRpcId);
        return;
      }
      // MCP 2026-07-28: notifications of a subscriptions/listen stream carry its request id as
      // subscriptionId; they belong to that stream only (filters are per subscription).
      const meta = params._meta as Record<string, unknown> | undefined;
      const subscription = meta?.[SUBSCRIPTION_ID];
      if (subscription !== undefined) {
        const entry = this.inflight.get(subscription as number);
        if (entry) {
          const tagged = { ...params, _meta: { ...meta, [SUBSCRIPTION_ID]: entry.id } };
          entry.session.onmessage?.({ ...message, params: tagged });
        }
        return;
      }
      for (const session of this.sessions) session.onmessage?.(message);
      return;
    }
    if (isRequest(message)) this.routeServerRequest(message);
  }

  private routeResponse(response: JsonRpcResponse): void {
    if (typeof response.id !== 'number') return;
    const entry = this.forget(response.id);
    if (!entry) return; // answer to a cancelled request or to a closed session
    if (entry.isInitialize) {
      const waiters = this.initWaiters ?? [];
      this.initWaiters = undefined;
      if (response.error === undefined) this.initResult = response.result;
      for (const waiter of waiters) {
        if (!waiter.session.closed) waiter.session.onmessage?.({ ...response, id: waiter.id });
      }
    }
    entry.session.onmessage?.({ ...response, id: entry.id });
  }

  private routeServerRequest(request: JsonRpcRequest): void {
    const target =
      this.lastActive && !this.lastActive.closed && this.lastActive.childIds.size > 0
        ? this.lastActive
        : ([...this.sessions].find((s) => s.childIds.size > 0) ?? this.lastActive);
    if (!target || target.closed) {
      const answer =
        request.method === 'ping'
          ? { jsonrpc: '2.0' as const, id: request.id, result: {} }
          : errorResponse(
              request.id,
              ErrorCode.InternalError,
              `no client session is connected to answer "${request.method}"`,
            );
      void this.child.send(answer).catch(() => undefined);
      return;
    }
    this.serverRequests.set(request.id, target);
    target.onmessage?.(request);
  }
}
