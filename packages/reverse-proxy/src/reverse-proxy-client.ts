import { randomUUID } from 'node:crypto';
import {
  Backoff,
  createLogger,
  isNotification,
  isRequest,
  type JsonRpcMessage,
  type Logger,
  parseTunnelMessage,
  SharedChildUpstream,
  splitCommandLine,
  type TunnelMessage,
  type UpstreamSession,
} from '@contextforge/bridge';
import WebSocket from 'ws';
import type { ProxyConfig } from './proxy-config.js';

/** Why the proxy stopped for good. */
export class ProxyFatalError extends Error {
  override readonly name = 'ProxyFatalError';
}

const INIT_ID = '__reverse_proxy_init__';

/**
 * Runs a local stdio MCP server and publishes it through a gateway: dials the gateway's
 * `/reverse-proxy/ws` with the bearer token, sends `register` (with the local server's
 * `initialize` result), relays `request`/`response`/`notification` envelopes both ways, sends
 * `heartbeat`s and WebSocket pings, and reconnects with exponential backoff when the connection
 * drops (re-registering under the same session id). The local server is started once and survives
 * reconnects; gateway clients' `initialize` requests are answered from the cached result.
 */
export class ReverseProxyClient {
  /** Tunnel session id, stable across reconnects of this process. */
  readonly sessionId = randomUUID();
  /** Called after each successful registration (count starts at 1). */
  onregistered?: (count: number) => void;
  private readonly logger: Logger;
  private readonly upstream: SharedChildUpstream;
  private session?: UpstreamSession;
  private ws?: WebSocket;
  private stopping = false;
  private registrations = 0;
  private initResult?: Record<string, unknown>;
  private finished?: (error?: Error) => void;
  private heartbeat?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;
  private readonly backoff: Backoff;

  /** @param config resolved settings */
  constructor(private readonly config: ProxyConfig) {
    this.logger = createLogger(config.logLevel, 'mcp-reverse-proxy');
    const argv = splitCommandLine(config.localStdio);
    this.upstream = new SharedChildUpstream({ command: argv[0]!, args: argv.slice(1), logger: this.logger });
    this.backoff = new Backoff({
      initialDelayMs: config.reconnectDelayMs,
      maxDelayMs: 60_000,
      maxAttempts: config.maxRetries,
    });
  }

  /** Pid of the local server (for tests and diagnostics). */
  get localPid(): number | undefined {
    return this.upstream.pids[0];
  }

  /**
   * Starts the local server and the tunnel; resolves when stopped with {@link stop}, rejects with
   * {@link ProxyFatalError} when the gateway refuses the token or retries are used up.
   */
  async run(): Promise<void> {
    this.session = await this.upstream.open({ id: this.sessionId });
    this.session.onmessage = (message) => this.fromLocal(message);
    this.session.onclose = (info) =>
      this.fail(new ProxyFatalError(`local server ended for good: ${info?.reason ?? 'closed'}`));
    await this.session.send({
      jsonrpc: '2.0',
      id: INIT_ID,
      method: 'initialize',
      params: {
        protocolVersion: '2025-11-25',
        capabilities: {},
        clientInfo: { name: 'mcp-reverse-proxy', version: '1' },
      },
    });
    const done = new Promise<void>((resolve, reject) => {
      this.finished = (error) => (error ? reject(error) : resolve());
    });
    return done;
  }

  /** Sends `unregister`, closes the tunnel and ends the local server's process group. */
  async stop(reason = 'shutting down'): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeat);
    const ws = this.ws;
    if (ws?.readyState === WebSocket.OPEN) {
      this.sendEnvelope({ type: 'unregister', sessionId: this.sessionId, payload: { reason } });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          ws.terminate();
          resolve();
        }, 1000);
        ws.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
        ws.close(1000, reason);
      });
    }
    await this.upstream.close();
    this.finished?.();
  }

  private fail(error: Error): void {
    if (this.stopping) return;
    this.logger.error(error.message);
    void this.stop(error.message).then(() => undefined);
    const finished = this.finished;
    this.finished = undefined;
    finished?.(error);
  }

  private fromLocal(message: JsonRpcMessage): void {
    if ('id' in message && message.id === INIT_ID && !('method' in message)) {
      if ('error' in message && message.error) {
        this.fail(new ProxyFatalError(`local server refused initialize: ${message.error.message}`));
        return;
      }
      this.initResult = (message as { result?: Record<string, unknown> }).result;
      void this.session?.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      this.connect();
      return;
    }
    const type = isRequest(message) ? 'request' : isNotification(message) ? 'notification' : 'response';
    const payload = message as unknown as { jsonrpc: '2.0' } & Record<string, unknown>;
    if (!this.sendEnvelope({ type, sessionId: this.sessionId, payload })) {
      this.logger.warn(`tunnel is down; dropped a ${type} from the local server`);
    }
  }

  private sendEnvelope(message: TunnelMessage): boolean {
    if (this.ws?.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(message));
    return true;
  }

  private connect(): void {
    if (this.stopping) return;
    const headers: Record<string, string> = {};
    if (this.config.token) headers.authorization = `Bearer ${this.config.token}`;
    this.logger.info(`connecting to ${this.config.gatewayUrl}`);
    const ws = new WebSocket(this.config.gatewayUrl, { headers, maxPayload: 16 * 1024 * 1024 });
    this.ws = ws;
    let alive = true;
    ws.on('unexpected-response', (_req, res) => {
      const status = res.statusCode ?? 0;
      res.resume();
      ws.terminate();
      if (status === 401 || status === 403) {
        this.fail(
          new ProxyFatalError(
            `gateway refused the token (HTTP ${status}); check --token / REVERSE_PROXY_TOKEN`,
          ),
        );
      }
    });
    ws.on('open', () => {
      this.sendEnvelope({
        type: 'register',
        sessionId: this.sessionId,
        payload: {
          protocolVersion: 1,
          server: { name: this.config.name, description: this.config.description, protocol: 'stdio' },
          capabilities: this.initResult?.capabilities as Record<string, unknown> | undefined,
          serverInfo: this.initResult?.serverInfo as Record<string, unknown> | undefined,
        },
      });
      this.registrations += 1;
      this.backoff.reset();
      this.logger.info(`registered "${this.config.name}" with the gateway`, { session: this.sessionId });
      this.onregistered?.(this.registrations);
      clearInterval(this.heartbeat);
      if (this.config.keepaliveMs > 0) {
        this.heartbeat = setInterval(() => {
          if (!alive) {
            this.logger.warn('gateway missed a heartbeat; reconnecting');
            ws.terminate();
            return;
          }
          alive = false;
          ws.ping();
          this.sendEnvelope({
            type: 'heartbeat',
            sessionId: this.sessionId,
            payload: { timestamp: Date.now() },
          });
        }, this.config.keepaliveMs);
      }
    });
    ws.on('pong', () => {
      alive = true;
    });
    ws.on('message', (data) => {
      alive = true;
      this.fromGateway(data.toString());
    });
    ws.on('error', (error) => this.logger.debug('tunnel error', { error: error.message }));
    ws.on('close', (code) => {
      clearInterval(this.heartbeat);
      if (this.stopping || this.ws !== ws) return;
      if (this.backoff.exhausted) {
        this.fail(
          new ProxyFatalError(`gave up after ${this.config.maxRetries} reconnect attempts (--max-retries)`),
        );
        return;
      }
      const wait = this.backoff.next();
      this.logger.warn(`tunnel closed (${code}); reconnecting in ${wait} ms`, {
        attempt: this.backoff.attempts,
      });
      this.reconnectTimer = setTimeout(() => this.connect(), wait);
    });
  }

  private fromGateway(frame: string): void {
    const message = parseTunnelMessage(frame);
    if (typeof message === 'string') {
      this.logger.warn(message);
      this.sendEnvelope({
        type: 'error',
        sessionId: this.sessionId,
        payload: { code: 'INVALID_MESSAGE', message },
      });
      return;
    }
    switch (message.type) {
      case 'request':
      case 'notification':
      case 'response':
        this.session
          ?.send(message.payload as unknown as JsonRpcMessage)
          .catch((error: Error) => this.logger.warn(error.message));
        return;
      case 'error':
        this.logger.warn(`gateway reported ${message.payload.code}: ${message.payload.message}`);
        return;
      case 'registered':
        if (!message.payload.ok)
          this.fail(
            new ProxyFatalError(
              `gateway refused the registration: ${message.payload.message ?? 'no reason given'}`,
            ),
          );
        return;
      default:
        return; // heartbeat, and messages only a gateway receives
    }
  }
}
