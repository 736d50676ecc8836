import {
  isRequest,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcRequest,
  type RequestId,
} from '../upstream/json-rpc.js';
import { META } from '../upstream/protocol.js';
import { UpstreamError } from '../upstream/upstream-error.js';

/** What one registered tunnel is: shown by `GET /v1/reverse-proxy/sessions`. */
export interface TunnelSessionInfo {
  /** The proxy's session id (stable across its reconnects). */
  id: string;
  /** Server name from `register` (= the gateway's name). */
  name: string;
  gatewayId: string;
  /** Who connected it (e-mail, or the token subject). */
  principal: string;
  connectedAt: Date;
  remoteAddress: string | undefined;
  /** `serverInfo` of the local server, as the proxy announced it. */
  serverInfo: Record<string, unknown> | undefined;
}

/** Where a channel delivers what comes through the tunnel. */
export interface ChannelHandlers {
  onMessage(message: JsonRpcMessage): void;
  /** The tunnel went away; `reason` says why (no secrets). */
  onClose(reason: string): void;
}

/** Writes one envelope on the tunnel. @throws UpstreamError when it cannot */
export type TunnelWriter = (
  type: 'request' | 'response' | 'notification',
  payload: JsonRpcMessage,
) => Promise<void>;

interface Outbound {
  channel: TunnelChannel;
  /** The channel's own request id. */
  id: RequestId;
  /** The channel's own progress token, when the request carried one. */
  progressToken?: RequestId;
}

/** One upstream connection's view of a tunnel (see {@link TunnelSession}). */
export class TunnelChannel {
  /** Channel request id → tunnel request id, for cancellation and clean-up. */
  readonly ids = new Map<RequestId, number>();
  closed = false;

  constructor(
    private readonly session: TunnelSession,
    readonly handlers: ChannelHandlers,
  ) {}

  /** Sends one message through the tunnel. @throws UpstreamError */
  send(message: JsonRpcMessage): Promise<void> {
    return this.session.fromChannel(this, message);
  }

  /** Detaches quietly; requests it left running are cancelled at the proxy. */
  close(): void {
    this.session.closeChannel(this);
  }
}

/**
 * The gateway side of one registered reverse-proxy tunnel: several upstream connections (the pool's
 * shared one, a replaced one draining, isolated sessions) speak over the single JSON-RPC stream the
 * proxy relays to its local server. Request ids and progress tokens are renumbered tunnel-wide and
 * mapped back on the way in, so connections never collide; cancellations follow their request;
 * server→client requests go to the connection with a call in flight (the one that caused them);
 * other notifications (list changes, logs) reach every connection. When the tunnel ends every
 * connection is told at once, so calls in flight fail immediately instead of timing out.
 */
export class TunnelSession {
  private readonly channels = new Set<TunnelChannel>();
  private readonly outbound = new Map<number, Outbound>();
  private readonly serverRequests = new Map<RequestId, TunnelChannel>();
  private nextId = 1;
  private lastActive: TunnelChannel | undefined;
  private endReason: string | undefined;

  /**
   * @param info identity shown in listings
   * @param write puts one envelope on the tunnel
   * @param warn reports a stray message (a response nobody waits for)
   */
  constructor(
    readonly info: TunnelSessionInfo,
    private readonly write: TunnelWriter,
    private readonly warn: (message: string) => void,
  ) {}

  /** Why the tunnel ended; undefined while it is up. */
  get ended(): string | undefined {
    return this.endReason;
  }

  /** Requests waiting for an answer through this tunnel. */
  get inFlight(): number {
    return this.outbound.size;
  }

  /** Attaches an upstream connection. @throws UpstreamError `unreachable` once the tunnel ended */
  openChannel(handlers: ChannelHandlers): TunnelChannel {
    if (this.endReason !== undefined) {
      throw new UpstreamError('unreachable', `reverse proxy disconnected: ${this.endReason}`, {
        notDelivered: true,
      });
    }
    const channel = new TunnelChannel(this, handlers);
    this.channels.add(channel);
    return channel;
  }

  /** @internal a channel's outgoing message */
  async fromChannel(channel: TunnelChannel, message: JsonRpcMessage): Promise<void> {
    if (this.endReason !== undefined || channel.closed) {
      throw new UpstreamError(
        'unreachable',
        `reverse proxy '${this.info.name}' is not connected (${this.endReason ?? 'connection closed'})`,
        { notDelivered: true },
      );
    }
    if (isRequest(message)) return this.sendRequest(channel, message);
    if (isResponse(message)) {
      // The answer to a server→client request: its id is the proxy's own.
      if (message.id !== null) this.serverRequests.delete(message.id);
      return this.write('response', message);
    }
    if (message.method === 'notifications/cancelled') {
      const params = (message.params ?? {}) as { requestId?: RequestId };
      const tunnelId = channel.ids.get(params.requestId as RequestId);
      if (tunnelId === undefined) return;
      this.forget(tunnelId);
      return this.write('notification', { ...message, params: { ...params, requestId: tunnelId } });
    }
    return this.write('notification', message);
  }

  /** Routes one JSON-RPC message that came through the tunnel. */
  deliver(message: JsonRpcMessage): void {
    if (isResponse(message)) {
      const entry = typeof message.id === 'number' ? this.forget(message.id) : undefined;
      if (entry === undefined) {
        // A late answer to a cancelled request is normal; anything else is worth a line.
        if (typeof message.id !== 'number' || message.id >= this.nextId)
          this.warn(`response with unknown id ${JSON.stringify(message.id)} ignored`);
        return;
      }
      entry.channel.handlers.onMessage({ ...message, id: entry.id });
      return;
    }
    if (isRequest(message)) {
      this.routeServerRequest(message);
      return;
    }
    const params = (message.params ?? {}) as Record<string, unknown>;
    if (message.method === 'notifications/progress') {
      const entry = this.outbound.get(params.progressToken as number);
      if (entry?.progressToken !== undefined) {
        entry.channel.handlers.onMessage({
          ...message,
          params: { ...params, progressToken: entry.progressToken },
        });
      }
      return;
    }
    if (message.method === 'notifications/cancelled') {
      const id = params.requestId as RequestId;
      const channel = this.serverRequests.get(id);
      this.serverRequests.delete(id);
      channel?.handlers.onMessage(message);
      return;
    }
    // 2026-07-28 subscriptions/listen streams tag their notifications with the listen request's id.
    const meta = params._meta as Record<string, unknown> | undefined;
    const subscription = meta?.[META.subscriptionId];
    if (subscription !== undefined) {
      const entry = this.outbound.get(subscription as number);
      if (entry) {
        const tagged = { ...params, _meta: { ...meta, [META.subscriptionId]: entry.id } };
        entry.channel.handlers.onMessage({ ...message, params: tagged });
      }
      return;
    }
    for (const channel of [...this.channels]) channel.handlers.onMessage(message);
  }

  /** @internal detaches a channel and cancels what it left running */
  closeChannel(channel: TunnelChannel): void {
    if (channel.closed) return;
    channel.closed = true;
    this.channels.delete(channel);
    if (this.lastActive === channel) this.lastActive = undefined;
    for (const [id, owner] of this.serverRequests) if (owner === channel) this.serverRequests.delete(id);
    const left = [...channel.ids.values()];
    channel.ids.clear();
    for (const tunnelId of left) {
      this.outbound.delete(tunnelId);
      if (this.endReason === undefined) {
        this.write('notification', {
          jsonrpc: '2.0',
          method: 'notifications/cancelled',
          params: { requestId: tunnelId, reason: 'gateway connection closed' },
        }).catch(() => undefined);
      }
    }
  }

  /** Ends the session: every channel learns why at once (their calls in flight fail with it). */
  end(reason: string): void {
    if (this.endReason !== undefined) return;
    this.endReason = reason;
    const channels = [...this.channels];
    this.channels.clear();
    this.outbound.clear();
    this.serverRequests.clear();
    this.lastActive = undefined;
    for (const channel of channels) {
      channel.closed = true;
      channel.ids.clear();
      channel.handlers.onClose(reason);
    }
  }

  private async sendRequest(channel: TunnelChannel, request: JsonRpcRequest): Promise<void> {
    if (channel.ids.has(request.id)) {
      throw new UpstreamError('protocol', `request id ${JSON.stringify(request.id)} is already in flight`, {
        notDelivered: true,
      });
    }
    const tunnelId = this.nextId++;
    const entry: Outbound = { channel, id: request.id };
    let outgoing: JsonRpcRequest = { ...request, id: tunnelId };
    const meta = request.params?._meta as Record<string, unknown> | undefined;
    if (meta?.progressToken !== undefined) {
      entry.progressToken = meta.progressToken as RequestId;
      outgoing = { ...outgoing, params: { ...request.params, _meta: { ...meta, progressToken: tunnelId } } };
    }
    this.outbound.set(tunnelId, entry);
    channel.ids.set(request.id, tunnelId);
    this.lastActive = channel;
    try {
      await this.write('request', outgoing);
    } catch (error) {
      this.forget(tunnelId);
      throw error;
    }
  }

  private forget(tunnelId: number): Outbound | undefined {
    const entry = this.outbound.get(tunnelId);
    if (entry === undefined) return undefined;
    this.outbound.delete(tunnelId);
    entry.channel.ids.delete(entry.id);
    return entry;
  }

  private routeServerRequest(request: JsonRpcRequest): void {
    const busy = (c: TunnelChannel | undefined) => c !== undefined && !c.closed && c.ids.size > 0;
    const target = busy(this.lastActive)
      ? this.lastActive
      : ([...this.channels].find(busy) ?? [...this.channels][0]);
    if (target === undefined) {
      const answer: JsonRpcMessage =
        request.method === 'ping'
          ? { jsonrpc: '2.0', id: request.id, result: {} }
          : {
              jsonrpc: '2.0',
              id: request.id,
              error: {
                code: -32603,
                message: `no gateway connection is open to answer "${request.method}"`,
              },
            };
      this.write('response', answer).catch(() => undefined);
      return;
    }
    this.serverRequests.set(request.id, target);
    target.handlers.onMessage(request);
  }
}
