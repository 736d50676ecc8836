import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode } from '../core/json-rpc.js';
import { header, sendRpcError } from './http-io.js';

/** Options of {@link RequestGuard}. */
export interface RequestGuardOptions {
  /** Origins allowed by CORS; `*` allows any. Empty/undefined: no CORS headers. */
  cors?: string[];
  /** Headers added to every response (`--header`). */
  headers?: Record<string, string>;
  /** When set, every request must carry `Authorization: Bearer <token>`. */
  bearerToken?: string;
  /**
   * Reject requests whose Host or Origin is not a loopback name (DNS-rebinding protection). On by
   * default when the server listens on a loopback address.
   */
  loopbackOnly?: boolean;
}

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;
const ALLOW_HEADERS =
  'content-type, accept, authorization, mcp-session-id, mcp-protocol-version, mcp-method, mcp-name, last-event-id';

/**
 * Cross-cutting HTTP checks done before routing: CORS (including preflight), DNS-rebinding
 * protection (Host/Origin), bearer authentication, and user response headers.
 */
export class RequestGuard {
  private readonly token?: Buffer;

  /** @param options CORS, headers, token, loopback checks */
  constructor(private readonly options: RequestGuardOptions) {
    this.token = options.bearerToken ? Buffer.from(options.bearerToken) : undefined;
  }

  /** Headers every response of this request carries (CORS + user headers). */
  responseHeaders(req: IncomingMessage): Record<string, string> {
    const out: Record<string, string> = { ...this.options.headers };
    const origin = header(req, 'origin');
    const cors = this.options.cors;
    if (cors && cors.length > 0) {
      const allowAny = cors.includes('*');
      if (allowAny || (origin && cors.includes(origin))) {
        out['access-control-allow-origin'] = allowAny && !origin ? '*' : (origin ?? '*');
        out['access-control-expose-headers'] = 'mcp-session-id, mcp-protocol-version';
        if (!allowAny || origin) out.vary = 'Origin';
      }
    }
    return out;
  }

  /**
   * Runs the checks; answers the request itself (preflight, 401, 403) and returns false when it
   * must not go further.
   */
  admit(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): boolean {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        ...headers,
        'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
        'access-control-allow-headers': ALLOW_HEADERS,
        'access-control-max-age': '600',
      });
      res.end();
      return false;
    }
    const rejection = this.check(req);
    if (rejection) {
      const extra: Record<string, string> =
        rejection.status === 401 ? { ...headers, 'www-authenticate': 'Bearer' } : headers;
      sendRpcError(res, rejection.status, ErrorCode.InvalidRequest, rejection.message, null, extra);
      return false;
    }
    return true;
  }

  /** The same checks for a WebSocket upgrade: returns the HTTP status and message to refuse with. */
  check(req: IncomingMessage): { status: number; message: string } | undefined {
    if (this.options.loopbackOnly) {
      const host = header(req, 'host') ?? '';
      if (!LOOPBACK_HOST.test(host)) {
        return {
          status: 403,
          message: `Host "${host}" is not allowed: this server only answers loopback names`,
        };
      }
      const origin = header(req, 'origin');
      if (origin && !this.originAllowed(origin)) {
        return { status: 403, message: `Origin "${origin}" is not allowed (add it with --cors)` };
      }
    }
    if (this.token) {
      const auth = header(req, 'authorization') ?? '';
      const presented = Buffer.from(auth.startsWith('Bearer ') ? auth.slice(7) : '');
      if (presented.length !== this.token.length || !timingSafeEqual(presented, this.token)) {
        return { status: 401, message: 'missing or wrong bearer token (Authorization: Bearer <token>)' };
      }
    }
    return undefined;
  }

  private originAllowed(origin: string): boolean {
    const cors = this.options.cors ?? [];
    if (cors.includes('*') || cors.includes(origin)) return true;
    try {
      return LOOPBACK_HOST.test(new URL(origin).host);
    } catch {
      return false;
    }
  }
}
