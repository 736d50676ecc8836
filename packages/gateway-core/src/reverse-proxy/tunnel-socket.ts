import { parseTunnelMessage, type RegisterMessage, type TunnelMessage } from '@contextforge/bridge';
import WebSocket from 'ws';
import type { GatewayLogger } from '../observability/logger.js';
import type { Principal } from '../security/authn/principal.js';
import type { JsonRpcMessage } from '../upstream/json-rpc.js';
import { UpstreamError } from '../upstream/upstream-error.js';
import type { TunnelSession, TunnelWriter } from './tunnel-session.js';

/** The gateway's answer to a `register`. */
export interface RegistrationOutcome {
  ok: boolean;
  gatewayId?: string;
  /** Why it was refused (sent to the proxy, which prints it and exits). */
  message?: string;
  /**
   * A passing problem (the database, not the request): the tunnel is closed without a refusal, so the
   * proxy redials and registers again instead of exiting.
   */
  retry?: boolean;
}

/** Options of a {@link TunnelSocket}. */
export interface TunnelSocketOptions {
  ws: WebSocket;
  principal: Principal;
  remoteAddress: string | undefined;
  /** Silence (no frame, heartbeat or pong) longer than this drops the tunnel; pings go out every third. */
  idleTimeoutMs: number;
  /** A tunnel that has not registered by then is closed. */
  registerTimeoutMs: number;
  /** Bound on bytes queued for sending: past it, sends fail instead of growing memory. */
  maxBufferedBytes: number;
  logger: GatewayLogger;
  /** Registers the announced server (creates or re-attaches its gateway). */
  register(socket: TunnelSocket, message: RegisterMessage): Promise<RegistrationOutcome>;
  /** The socket closed, for whatever reason (given without secrets). */
  closed(socket: TunnelSocket, reason: string): void;
}

/** WebSocket close reasons are capped at 123 bytes. */
function short(reason: string): string {
  return Buffer.byteLength(reason) <= 120 ? reason : `${reason.slice(0, 110)}…`;
}

/**
 * One `mcp-reverse-proxy` connection: validates every frame with the bridge's tunnel schemas, lets
 * nothing but `register` and `heartbeat` through before registration, relays JSON-RPC envelopes to its
 * {@link TunnelSession}, answers heartbeats, pings the proxy and drops it when silent, and ends when the
 * proxy unregisters, the credential it connected with expires, or the gateway disconnects it.
 */
export class TunnelSocket {
  /** Set by the hub once the registration took (the tunnel's multiplexer). */
  session: TunnelSession | undefined;
  /** Epoch ms of the last frame, ping or pong from the proxy. */
  lastActivity = Date.now();
  private sessionId: string | undefined;
  private registering = false;
  private closeReason: string | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly closedPromise: Promise<void>;

  /** @param o the socket, who opened it, bounds and the hub's callbacks */
  constructor(private readonly o: TunnelSocketOptions) {
    const { ws } = o;
    this.closedPromise = new Promise((resolve) => {
      ws.on('close', (code, reason) => {
        for (const t of this.timers) clearTimeout(t);
        const why =
          this.closeReason ??
          (code === 1006
            ? 'connection to the proxy lost (1006, no closing handshake)'
            : `tunnel closed by the proxy (${code}${reason.length > 0 ? ` ${reason.toString()}` : ''})`);
        try {
          o.closed(this, why);
        } finally {
          resolve();
        }
      });
    });
    ws.on('error', (error) => o.logger.debug({ err: error.message }, 'reverse-proxy tunnel error'));
    ws.on('ping', () => this.touch());
    ws.on('pong', () => this.touch());
    ws.on('message', (data, isBinary) => {
      this.touch();
      const text = isBinary ? Buffer.from(data as Buffer).toString('utf8') : data.toString();
      this.onFrame(text);
    });
    const every = Math.max(1000, Math.floor(o.idleTimeoutMs / 3));
    const idle = setInterval(() => {
      if (Date.now() - this.lastActivity > o.idleTimeoutMs) {
        this.closeReason = `no traffic from the proxy for ${Math.round(o.idleTimeoutMs / 1000)} s (REVERSE_PROXY_IDLE_TIMEOUT)`;
        ws.terminate();
        return;
      }
      if (ws.readyState === WebSocket.OPEN) ws.ping();
    }, every);
    idle.unref();
    this.timers.push(idle);
    const registerBy = setTimeout(() => {
      if (this.sessionId === undefined)
        this.close(1008, `no register message within ${o.registerTimeoutMs} ms`);
    }, o.registerTimeoutMs);
    registerBy.unref();
    this.timers.push(registerBy);
    const expiresAt = o.principal.expiresAt;
    if (expiresAt !== undefined) {
      // The tunnel may not outlive the credential it was opened with (the proxy's redial then gets 401).
      const left = Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1);
      const expiry = setTimeout(() => this.close(1008, 'the credential of this tunnel expired'), left);
      expiry.unref();
      this.timers.push(expiry);
    }
  }

  /** Who opened the tunnel. */
  get principal(): Principal {
    return this.o.principal;
  }

  get remoteAddress(): string | undefined {
    return this.o.remoteAddress;
  }

  /** True while the WebSocket is open. */
  get open(): boolean {
    return this.o.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves once the socket closed and the hub handled it. */
  get whenClosed(): Promise<void> {
    return this.closedPromise;
  }

  /** A writer of JSON-RPC envelopes under the registered session id, for the {@link TunnelSession}. */
  writer(sessionId: string): TunnelWriter {
    // JSON-RPC payloads travel untouched: the envelope schema only requires `jsonrpc: "2.0"`.
    return (type, payload) => this.send({ type, sessionId, payload } as unknown as TunnelMessage);
  }

  /** Closes the tunnel; `reason` is what listings and logs show. */
  close(code: number, reason: string): void {
    this.closeReason ??= reason;
    if (this.o.ws.readyState === WebSocket.OPEN || this.o.ws.readyState === WebSocket.CONNECTING)
      this.o.ws.close(code, short(reason));
    // A peer that does not complete the closing handshake is cut off.
    const cut = setTimeout(() => this.o.ws.terminate(), 2000);
    cut.unref();
    this.timers.push(cut);
  }

  /**
   * Tells the proxy its registration is over (`registered` with `ok: false`: it prints the reason and exits
   * rather than redialling), then closes.
   */
  refuse(reason: string): void {
    this.closeReason ??= reason;
    const sessionId = this.sessionId ?? 'unregistered';
    this.send({ type: 'registered', sessionId, payload: { ok: false, message: reason } })
      .catch(() => undefined)
      .finally(() => this.close(1008, reason));
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }

  private send(message: TunnelMessage): Promise<void> {
    const { ws } = this.o;
    if (ws.readyState !== WebSocket.OPEN) {
      return Promise.reject(
        new UpstreamError('unreachable', 'reverse-proxy tunnel is closed', { notDelivered: true }),
      );
    }
    if (ws.bufferedAmount > this.o.maxBufferedBytes) {
      return Promise.reject(
        new UpstreamError(
          'capacity',
          `reverse-proxy tunnel has ${ws.bufferedAmount} bytes queued (bound ${this.o.maxBufferedBytes}); the proxy is not reading`,
          { notDelivered: true },
        ),
      );
    }
    return new Promise((resolve, reject) =>
      ws.send(JSON.stringify(message), (error) =>
        error
          ? reject(new UpstreamError('unreachable', `reverse-proxy tunnel send failed (${error.message})`))
          : resolve(),
      ),
    );
  }

  private sendError(code: string, message: string): void {
    this.send({
      type: 'error',
      sessionId: this.sessionId ?? 'unregistered',
      payload: { code, message },
    }).catch(() => undefined);
  }

  private onFrame(text: string): void {
    const message = parseTunnelMessage(text);
    if (typeof message === 'string') {
      this.sendError('INVALID_MESSAGE', message);
      return;
    }
    switch (message.type) {
      case 'register':
        this.onRegister(message);
        return;
      case 'heartbeat':
        this.send({
          type: 'heartbeat',
          sessionId: message.sessionId,
          payload: { timestamp: Date.now() },
        }).catch(() => undefined);
        return;
      case 'request':
      case 'response':
      case 'notification': {
        const session = this.session;
        if (session === undefined || message.sessionId !== this.sessionId) {
          this.sendError(
            'NOT_REGISTERED',
            `${message.type} for session ${JSON.stringify(message.sessionId)} ignored: this tunnel has ${this.sessionId === undefined ? 'not registered yet' : `registered session ${JSON.stringify(this.sessionId)}`}`,
          );
          return;
        }
        session.deliver(message.payload as unknown as JsonRpcMessage);
        return;
      }
      case 'unregister':
        this.close(
          1000,
          `unregistered by the proxy${message.payload?.reason ? `: ${message.payload.reason}` : ''}`,
        );
        return;
      case 'error':
        this.o.logger.warn(
          { session: this.sessionId, code: message.payload.code, detail: message.payload.message },
          'reverse proxy reported an error',
        );
        return;
      default:
        this.sendError('UNEXPECTED_MESSAGE', `a proxy does not send "${message.type}"`);
    }
  }

  private onRegister(message: RegisterMessage): void {
    if (this.registering || this.sessionId !== undefined) {
      if (message.sessionId === this.sessionId && this.session !== undefined) return; // a repeat: already done
      this.sendError(
        'ALREADY_REGISTERED',
        `this tunnel ${this.registering ? 'is registering' : 'registered'} session ${JSON.stringify(this.sessionId)}; one registration per connection`,
      );
      return;
    }
    this.registering = true;
    this.sessionId = message.sessionId;
    this.o
      .register(this, message)
      // An unexpected failure (the database) is not the proxy's fault: let it redial.
      .catch(
        (error: unknown): RegistrationOutcome => ({
          ok: false,
          message: `registration failed: ${(error as Error).message}`,
          retry: true,
        }),
      )
      .then((outcome) => {
        this.registering = false;
        if (!outcome.ok) {
          if (outcome.retry) this.close(1011, outcome.message ?? 'registration failed; try again');
          else this.refuse(outcome.message ?? 'registration refused');
          return;
        }
        this.send({
          type: 'registered',
          sessionId: message.sessionId,
          payload: { ok: true, ...(outcome.gatewayId ? { gatewayId: outcome.gatewayId } : {}) },
        }).catch(() => undefined);
      });
  }
}
