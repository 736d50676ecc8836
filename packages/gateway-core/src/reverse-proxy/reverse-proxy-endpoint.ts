import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AuthLayer } from '../auth/auth-layer-types.js';
import type { RawHandler } from '../http/serve-app.js';
import type { GatewayLogger } from '../observability/logger.js';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../security/authn/principal.js';
import type { ReverseProxyHub } from './reverse-proxy-hub.js';

/** Path of the tunnel endpoint (`mcp-reverse-proxy` appends it to `--gateway`). */
export const REVERSE_PROXY_PATH = '/reverse-proxy/ws';

/** Options of {@link ReverseProxyEndpoint}. */
export interface ReverseProxyEndpointOptions {
  hub: ReverseProxyHub;
  /** The security layer; undefined (`auth: false`) leaves the endpoint open, like every other route. */
  auth: AuthLayer | undefined;
  /** `REVERSE_PROXY_MAX_SESSIONS`. */
  maxSessions: number;
  /** `REVERSE_PROXY_MAX_MESSAGE_SIZE`. */
  maxMessageBytes: number;
  logger: GatewayLogger;
}

/** The HTTP status and headers an error asks for (SecurityError, GatewayError), or a fallback. */
function statusOf(
  error: unknown,
  fallback: number,
): { status: number; code: string; headers: Record<string, string> } {
  const e = error as { status?: unknown; code?: unknown; headers?: unknown };
  const status = typeof e?.status === 'number' ? e.status : fallback;
  const code = typeof e?.code === 'string' ? e.code : 'UNAUTHENTICATED';
  const headers =
    typeof e?.headers === 'object' && e.headers !== null ? (e.headers as Record<string, string>) : {};
  return { status, code, headers };
}

/**
 * `WS /reverse-proxy/ws`: the raw upgrade handler mounted beside the MCP engine. Admission happens on
 * the upgrade request, before any WebSocket exists: `Authorization: Bearer <JWT or API token>` only
 * (never a cookie: a browser page must not open tunnels), the caller must hold `gateways.create`, the
 * MCP rate limit applies, and this replica holds at most `REVERSE_PROXY_MAX_SESSIONS` tunnels. Refusals
 * are plain HTTP answers (401 with a `WWW-Authenticate` challenge, 403, 429, 503) that the proxy reports.
 */
export class ReverseProxyEndpoint implements RawHandler {
  readonly #o: ReverseProxyEndpointOptions;
  readonly #wss: WebSocketServer;
  #admitting = 0;

  constructor(options: ReverseProxyEndpointOptions) {
    this.#o = options;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: options.maxMessageBytes,
      perMessageDeflate: false,
    });
  }

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== REVERSE_PROXY_PATH) return false;
    // The socket may reset while admission awaits the database; that must not crash the process.
    socket.on('error', () => socket.destroy());
    this.#admitting += 1;
    this.#admit(req, socket, head)
      .catch((error: unknown) => {
        this.#o.logger.warn({ err: (error as Error).message }, 'reverse-proxy upgrade failed');
        this.#refuse(socket, 500, 'INTERNAL', 'internal error while admitting the tunnel');
      })
      .finally(() => {
        this.#admitting -= 1;
      });
    return true;
  }

  async #admit(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { auth } = this.#o;
    const remote = req.socket.remoteAddress;
    let principal: Principal = ANONYMOUS_PRINCIPAL;
    if (auth) {
      const header = req.headers.authorization;
      if (typeof header !== 'string' || !/^Bearer\s+\S/i.test(header)) {
        this.#refuse(
          socket,
          401,
          'UNAUTHENTICATED',
          'the reverse-proxy tunnel needs Authorization: Bearer <JWT or API token> (mcp-reverse-proxy --token)',
          { 'WWW-Authenticate': 'Bearer' },
        );
        return;
      }
      try {
        principal = await auth.authenticateNode(req.headers, remote, { path: REVERSE_PROXY_PATH });
        await auth.authorizeMcp(principal, { kind: 'all' }, 'gateways.create');
        await auth.checkRateLimit(principal, remote);
      } catch (error) {
        const { status, code, headers } = statusOf(error, 401);
        this.#refuse(socket, status, code, (error as Error).message, headers);
        return;
      }
    }
    if (this.#o.hub.socketCount + this.#admitting > this.#o.maxSessions) {
      this.#refuse(
        socket,
        503,
        'CAPACITY',
        `this gateway replica holds its maximum of ${this.#o.maxSessions} reverse-proxy tunnels (REVERSE_PROXY_MAX_SESSIONS)`,
      );
      return;
    }
    if (socket.destroyed) return;
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.#o.hub.accept(ws, principal, remote);
    });
  }

  /** Answers the upgrade request with an HTTP error in the REST API's shape. */
  #refuse(
    socket: Duplex,
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): void {
    if (socket.destroyed) return;
    const body = JSON.stringify({ error: { code, message } });
    const extra = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v.replace(/[\r\n]/g, ' ')}\r\n`)
      .join('');
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}\r\ncontent-type: application/json\r\n${extra}content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  }

  /** Stops accepting upgrades (the hub closes the tunnels). */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
