import { type BackoffOptions, backoffDelay } from '../backoff.js';
import type { JsonRpcMessage, JsonRpcNotification, RequestId } from '../json-rpc.js';
import type { UpstreamLogger } from '../logger.js';
import { SessionExpiredError } from '../transport/streamable-http-transport.js';
import type { UpstreamTransport } from '../transport/transport.js';
import type { UpstreamSpec } from '../types.js';
import { toUpstreamError, UpstreamError } from '../upstream-error.js';
import { EventStream } from './event-stream.js';
import { negotiateSession } from './handshake.js';
import { type ChangeEvent, InboundRouter } from './inbound-router.js';
import type { PendingRequest, RequestOptions } from './pending-request.js';
import { PendingTable } from './pending-table.js';

/** Options of an {@link McpConnection}. */
export interface McpConnectionOptions {
  spec: UpstreamSpec;
  /** `upstream 'name' (id)`, for messages. */
  where: string;
  transport: UpstreamTransport;
  clientInfo: { name: string; version: string };
  clientCapabilities: Record<string, unknown>;
  /** Bound on connecting (spawn/handshake), in ms. */
  connectTimeoutMs: number;
  /** How long a single-channel upstream may stay silent on the `server/discover` probe. */
  probeTimeoutMs: number;
  /** Restart/reconnect backoff after the channel died. */
  reconnect: BackoffOptions;
  /** A channel that stayed up this long resets the backoff. */
  stableAfterMs: number;
  /** Restart a died channel eagerly (stdio supervision, WebSocket/SSE event delivery). */
  autoReconnect: boolean;
  /** Eager restarts stop after this long without use (idle TTL). */
  idleTtlMs: number;
  /** Bound on requests in flight on this connection. */
  maxInFlight: number;
  /** Bound on the pause of a call's budget while its server→client request is being answered. */
  serverRequestTimeoutMs: number;
  logger: UpstreamLogger;
  /** Change notifications. */
  onEvent(event: ChangeEvent): void;
  /** The channel died while nobody's request observed it (an idle crash): passive health. */
  onChannelFailure?(error: UpstreamError): void;
  /** Called after every successful (re)connect (re-subscribe resources after a new legacy session). */
  onReady?(): void;
}

type State = 'idle' | 'connecting' | 'ready' | 'down' | 'closed';

/**
 * One upstream session: era negotiation (`server/discover` probe, `initialize` fallback),
 * request/response matching with deadlines and cancellation, routing of progress, logs and
 * server→client requests to the call that caused them, legacy session re-initialisation, and
 * supervision of single-channel transports (restart with backoff, idle stop).
 */
export class McpConnection {
  era: 'modern' | 'legacy' | undefined;
  protocolVersion: string | undefined;
  serverInfo: Record<string, unknown> = {};
  capabilities: Record<string, unknown> = {};
  instructions: string | undefined;
  /** Epoch ms of the last request (idle reaping). */
  lastUsed = Date.now();
  private state: State = 'idle';
  private readonly pending = new PendingTable<PendingRequest>();
  private nextId = 1;
  private connecting: Promise<void> | undefined;
  private generation = 0;
  private failures = 0;
  private startedAt = 0;
  private nextAttemptAt = 0;
  private lastError: UpstreamError | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private envelope: Record<string, unknown> | undefined;
  private readonly events: EventStream;
  private readonly router: InboundRouter;

  /** @param options transport, identity and bounds */
  constructor(private readonly options: McpConnectionOptions) {
    this.events = new EventStream(this, options.logger, options.where);
    this.router = new InboundRouter({
      pending: this.pending,
      where: options.where,
      upstreamId: options.spec.id,
      logger: options.logger,
      era: () => this.era,
      serverRequestTimeoutMs: options.serverRequestTimeoutMs,
      cleanup: (p) => this.cleanup(p),
      arm: (p) => this.arm(p),
      cancel: (p, code, message) => this.cancel(p, code, message),
      reply: (message) => options.transport.send(message),
      onEvent: options.onEvent,
      onAcknowledged: (params) => this.events.onAcknowledged(params),
    });
  }

  /** The transport (for tests and the stdio pid). */
  get transport(): UpstreamTransport {
    return this.options.transport;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** True once connected and not since died. */
  get ready(): boolean {
    return this.state === 'ready';
  }

  /** True when not started (or stopped while idle): the next request starts it. */
  get idle(): boolean {
    return this.state === 'idle';
  }

  /** True after {@link close}. */
  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Connects (if needed) before `deadline`. @throws UpstreamError */
  ensureReady(deadline: number, signal?: AbortSignal): Promise<void> {
    switch (this.state) {
      case 'ready':
        return Promise.resolve();
      case 'closed':
        return Promise.reject(
          new UpstreamError('closed', `${this.options.where}: connection is closed`, { notDelivered: true }),
        );
      case 'connecting':
        return this.bounded(this.connecting as Promise<void>, deadline, signal, 'connecting');
      case 'down': {
        const wait = this.nextAttemptAt - Date.now();
        if (wait > 0) {
          if (Date.now() + wait >= deadline) {
            const last = this.lastError?.message ?? 'upstream is down';
            return Promise.reject(
              new UpstreamError(
                this.lastError?.code ?? 'unreachable',
                `${last} (next restart in ${wait} ms)`,
                {
                  cause: this.lastError,
                  notDelivered: true,
                },
              ),
            );
          }
          return this.bounded(
            new Promise<void>((r) => setTimeout(r, wait).unref()).then(() =>
              this.ensureReady(deadline, signal),
            ),
            deadline,
            signal,
            'waiting for a restart',
          );
        }
        return this.startConnect(deadline, signal);
      }
      default:
        return this.startConnect(deadline, signal);
    }
  }

  /**
   * Sends a request and resolves with its result (passed through untouched).
   * @throws UpstreamError (`remote` for a JSON-RPC error answer)
   */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
  ): Promise<Record<string, unknown>> {
    this.lastUsed = Date.now();
    if (this.state === 'ready') return this.send(method, params, options, true);
    return this.ensureReady(options.deadline, options.signal).then(() =>
      this.send(method, params, options, true),
    );
  }

  /** Sends a notification (with the envelope on 2026-07-28). */
  async notify(method: string, params?: Record<string, unknown>): Promise<void> {
    const message: JsonRpcNotification = { jsonrpc: '2.0', method };
    const p = this.era === 'modern' ? this.withEnvelope(params, undefined, undefined) : params;
    if (p !== undefined) message.params = p;
    await this.options.transport.send(message);
  }

  /** Wants change notifications (opens the listen/GET stream where the transport needs one). */
  setEventsWanted(wanted: boolean): void {
    this.events.setWanted(wanted);
  }

  /** Resource URIs to receive `resource_updated` for (2026-07-28 listen filter). */
  setResourceSubscriptions(uris: ReadonlySet<string>): void {
    this.events.setResources(uris);
  }

  /** Stops an idle channel (stdio idle TTL); the next request starts it again. */
  async stopIdle(): Promise<void> {
    if (this.state !== 'ready' && this.state !== 'down') return;
    if (this.pending.size > 0) return;
    clearTimeout(this.reconnectTimer);
    this.state = 'idle';
    this.failures = 0;
    this.events.stop();
    await this.options.transport.close().catch(() => {});
  }

  /** Fails every pending request and ends the session (DELETE / process stop). */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    clearTimeout(this.reconnectTimer);
    this.events.stop();
    this.failAll(new UpstreamError('closed', `${this.options.where}: client closed`));
    await this.options.transport.close().catch(() => {});
  }

  /** Called by the event stream for the legacy GET stream. */
  openLegacyEventStream(signal: AbortSignal): Promise<boolean> | undefined {
    if (this.era !== 'legacy' || this.options.transport.openEventStream === undefined) return undefined;
    return this.options.transport.openEventStream(signal).catch((err: unknown) => {
      if (err instanceof SessionExpiredError) this.invalidateSession(this.generation);
      throw err;
    });
  }

  /** Called by the event stream for a 2026-07-28 `subscriptions/listen` request. */
  listen(filter: Record<string, unknown>, signal: AbortSignal): Promise<Record<string, unknown>> {
    return this.request(
      'subscriptions/listen',
      { notifications: filter },
      { deadline: Number.POSITIVE_INFINITY, unbounded: true, signal },
    );
  }

  /** Whether the transport is a single channel (events arrive without a listen stream on legacy). */
  get singleChannel(): boolean {
    return !this.options.transport.exchanges;
  }

  private bounded(
    p: Promise<void>,
    deadline: number,
    signal: AbortSignal | undefined,
    what: string,
  ): Promise<void> {
    const remaining = deadline - Date.now();
    if (!Number.isFinite(remaining) && signal === undefined) return p;
    return new Promise<void>((resolve, reject) => {
      const timer = Number.isFinite(remaining)
        ? setTimeout(
            () =>
              reject(
                new UpstreamError('timeout', `${this.options.where}: timed out ${what}`, {
                  notDelivered: true,
                }),
              ),
            Math.max(0, remaining),
          )
        : undefined;
      const onAbort = () =>
        reject(
          new UpstreamError('cancelled', `${this.options.where}: cancelled while ${what}`, {
            notDelivered: true,
          }),
        );
      signal?.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      });
    });
  }

  private startConnect(deadline: number, signal?: AbortSignal): Promise<void> {
    const connectDeadline = Math.min(deadline, Date.now() + this.options.connectTimeoutMs);
    this.state = 'connecting';
    const attempt = this.connect(connectDeadline).then(
      () => {
        this.state = 'ready';
        this.connecting = undefined;
        this.startedAt = Date.now();
        this.lastError = undefined;
        this.events.onConnected();
        this.options.onReady?.();
      },
      (err: unknown) => {
        const error = toUpstreamError(err, 'unreachable', `${this.options.where}: connect failed`);
        this.connecting = undefined;
        if (this.state === 'closed') throw error;
        void this.options.transport.close().catch(() => {});
        this.afterFailure(error);
        throw error;
      },
    );
    this.connecting = attempt;
    attempt.catch(() => {});
    return this.bounded(attempt, deadline, signal, 'connecting');
  }

  /** Starts the transport and negotiates the era. */
  private async connect(deadline: number): Promise<void> {
    const { spec, transport, where } = this.options;
    this.era = undefined;
    this.protocolVersion = undefined;
    this.envelope = undefined;
    this.generation += 1;
    const handlers = {
      onMessage: (m: JsonRpcMessage, exchangeId?: RequestId) => this.router.route(m, exchangeId),
      onClose: (e: UpstreamError) => this.onTransportClose(e),
      onWarning: (w: string) => this.options.logger.warn(w, { upstream: spec.id }),
    };
    await transport.start(handlers, deadline);
    const info = await negotiateSession(
      {
        spec,
        where,
        transport,
        clientInfo: this.options.clientInfo,
        clientCapabilities: this.options.clientCapabilities,
        probeTimeoutMs: this.options.probeTimeoutMs,
        request: (method, params, until) => this.send(method, params, { deadline: until }, false),
        restart: async (until) => {
          await transport.close().catch(() => {});
          await transport.start(handlers, until);
        },
      },
      deadline,
    );
    this.era = info.era;
    this.protocolVersion = info.protocolVersion;
    this.capabilities = info.capabilities;
    this.serverInfo = info.serverInfo;
    this.instructions = info.instructions;
    this.envelope = info.envelope;
  }

  private withEnvelope(
    params: Record<string, unknown> | undefined,
    meta: Record<string, unknown> | undefined,
    progressToken: RequestId | undefined,
  ): Record<string, unknown> {
    const own = params?._meta as Record<string, unknown> | undefined;
    let m: Record<string, unknown> = this.envelope ?? {};
    if (own !== undefined || meta !== undefined || progressToken !== undefined) {
      m = { ...m, ...own, ...meta };
      if (progressToken !== undefined) m.progressToken = progressToken;
    }
    return params === undefined ? { _meta: m } : { ...params, _meta: m };
  }

  /** Builds, registers and sends one request; `gated` requests count against `maxInFlight`. */
  private send(
    method: string,
    params: Record<string, unknown> | undefined,
    options: RequestOptions,
    gated: boolean,
  ): Promise<Record<string, unknown>> {
    const { where, transport } = this.options;
    if (gated && this.pending.size >= this.options.maxInFlight) {
      return Promise.reject(
        new UpstreamError('capacity', `${where}: ${this.options.maxInFlight} requests already in flight`, {
          notDelivered: true,
        }),
      );
    }
    const id = this.nextId++;
    const progressToken = options.onProgress !== undefined ? id : undefined;
    let p = params;
    if (this.era === 'modern') p = this.withEnvelope(params, options.meta, progressToken);
    else if (options.meta !== undefined || progressToken !== undefined) {
      const m: Record<string, unknown> = {
        ...(params?._meta as Record<string, unknown> | undefined),
        ...options.meta,
      };
      if (progressToken !== undefined) m.progressToken = progressToken;
      p = { ...params, _meta: m };
    }
    const message: PendingRequest['message'] =
      p === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params: p };
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const pending: PendingRequest = {
        id,
        method,
        message,
        options,
        resolve,
        reject,
        timer: undefined,
        abortExchange: undefined,
        onAbort: undefined,
        generation: this.generation,
        resent: false,
        serverRequests: 0,
        pausedAt: 0,
        sentAt: Date.now(),
      };
      if (options.signal?.aborted) {
        reject(
          new UpstreamError('cancelled', `${where}: ${method} cancelled before it was sent`, {
            notDelivered: true,
          }),
        );
        return;
      }
      this.pending.set(id, pending);
      this.arm(pending);
      if (options.signal !== undefined) {
        pending.onAbort = () =>
          this.cancel(pending, 'cancelled', `${where}: ${method} cancelled by the caller`);
        options.signal.addEventListener('abort', pending.onAbort, { once: true });
      }
      this.transmit(pending, transport);
    });
  }

  private transmit(pending: PendingRequest, transport: UpstreamTransport): void {
    transport
      .send(pending.message, {
        headers: pending.options.headers,
        onAbortable: (abort) => {
          pending.abortExchange = abort;
        },
      })
      .then(
        () => {
          if (transport.exchanges && this.pending.get(pending.id) === pending) {
            this.settleError(
              pending,
              new UpstreamError(
                'protocol',
                `${this.options.where}: the response to ${pending.method} ended without an answer`,
              ),
            );
          }
        },
        (err: unknown) => {
          if (this.pending.get(pending.id) !== pending) return;
          if (err instanceof SessionExpiredError && !pending.resent) return this.resendAfterExpiry(pending);
          this.settleError(
            pending,
            toUpstreamError(err, 'unreachable', `${this.options.where}: ${pending.method} failed`),
          );
        },
      );
  }

  /** Legacy session gone: re-initialise once (shared by concurrent requests) and send again. */
  private resendAfterExpiry(pending: PendingRequest): void {
    pending.resent = true;
    this.invalidateSession(pending.generation);
    this.ensureReady(pending.options.deadline, pending.options.signal).then(
      () => {
        if (this.pending.get(pending.id) !== pending) return;
        pending.generation = this.generation;
        this.transmit(pending, this.options.transport);
      },
      (err: unknown) => {
        if (this.pending.get(pending.id) === pending)
          this.settleError(pending, toUpstreamError(err, 'unreachable', this.options.where));
      },
    );
  }

  private invalidateSession(generation: number): void {
    if (generation !== this.generation || this.state !== 'ready') return;
    this.options.logger.info('upstream session expired; re-initialising', { upstream: this.options.spec.id });
    (this.options.transport as { resetSession?: () => void }).resetSession?.();
    this.state = 'idle';
  }

  /** (Re)arms the call's timer for the time left before its deadline. */
  private arm(pending: PendingRequest): void {
    clearTimeout(pending.timer);
    pending.timer = undefined;
    if (pending.options.unbounded) return;
    const left = Math.max(0, pending.options.deadline - Date.now());
    pending.timer = setTimeout(
      () => {
        const stdio = this.options.transport as { garbageLines?: number };
        const garbage = stdio.garbageLines ? `; it wrote ${stdio.garbageLines} unparseable stdout lines` : '';
        this.cancel(
          pending,
          'timeout',
          `${this.options.where}: no answer to ${pending.method} within ${Date.now() - pending.sentAt} ms${garbage}`,
        );
      },
      // Node keeps one timer list per distinct duration: quantising the delay (at most 10 ms late
      // below a second, 100 ms above) keeps thousands of in-flight calls on a handful of lists.
      left <= 1000 ? Math.ceil(left / 10) * 10 : Math.ceil(left / 100) * 100,
    );
  }

  /** Gives up on a call: tells the upstream (notifications/cancelled, or closing the 2026-07-28 stream) and rejects. */
  private cancel(pending: PendingRequest, code: 'timeout' | 'cancelled', message: string): void {
    if (this.pending.get(pending.id) !== pending) return;
    const error = new UpstreamError(code, message);
    // Settling drops the exchange's abort handle (cleanup): take it first, or the stream stays open.
    const abortExchange = pending.abortExchange;
    this.settleError(pending, error);
    if (this.era === 'legacy' || (this.era === 'modern' && !this.options.transport.exchanges)) {
      // 2025-era cancellation; on a 2026-07-28 stream closing it is the signal (below).
      this.notify('notifications/cancelled', {
        requestId: pending.id,
        reason: code === 'timeout' ? 'timeout' : 'cancelled by client',
      }).catch(() => {});
    }
    abortExchange?.(error);
  }

  private settleError(pending: PendingRequest, error: UpstreamError): void {
    this.cleanup(pending);
    error.upstreamId ??= this.options.spec.id;
    pending.reject(error);
  }

  private cleanup(pending: PendingRequest): void {
    this.pending.delete(pending.id);
    clearTimeout(pending.timer);
    // Drop the link to the finished exchange: a settled call must not keep undici's request
    // objects reachable (measured: it made every call's garbage survive into the old generation).
    pending.abortExchange = undefined;
    if (pending.onAbort !== undefined) pending.options.signal?.removeEventListener('abort', pending.onAbort);
  }

  private failAll(error: UpstreamError): void {
    for (const pending of this.pending.values()) {
      this.settleError(
        pending,
        new UpstreamError(error.code, `${error.message} (while waiting for ${pending.method})`, {
          cause: error,
        }),
      );
    }
  }

  /** The channel died: fail what waited on it and (for supervised channels) restart with backoff. */
  private onTransportClose(error: UpstreamError): void {
    if (this.state === 'closed' || this.state === 'idle') {
      this.failAll(error);
      return;
    }
    this.options.logger.warn(error.message, { upstream: this.options.spec.id });
    const observed = this.pending.size > 0;
    this.failAll(error);
    this.events.onDisconnected();
    if (this.state === 'connecting') return; // the connect attempt fails on its own pending handshake
    if (!observed) this.options.onChannelFailure?.(error);
    this.afterFailure(error);
  }

  private afterFailure(error: UpstreamError): void {
    this.lastError = error;
    if (this.startedAt > 0 && Date.now() - this.startedAt >= this.options.stableAfterMs) this.failures = 0;
    this.startedAt = 0;
    this.failures += 1;
    if (this.options.transport.exchanges || this.options.transport.reconnectOnDemand) {
      // HTTP has no channel to restart, and an on-demand channel (a tunnel lookup) restarts at no
      // cost: the next request connects again.
      this.state = 'idle';
      return;
    }
    const delay = backoffDelay(this.failures - 1, this.options.reconnect);
    this.state = 'down';
    this.nextAttemptAt = Date.now() + delay;
    clearTimeout(this.reconnectTimer);
    if (!this.options.autoReconnect) return;
    this.reconnectTimer = setTimeout(() => {
      if (this.state !== 'down') return;
      if (Date.now() - this.lastUsed > this.options.idleTtlMs && !this.events.wanted) {
        this.state = 'idle';
        return;
      }
      this.startConnect(Date.now() + this.options.connectTimeoutMs).catch(() => {});
    }, delay);
    this.reconnectTimer.unref();
  }
}
