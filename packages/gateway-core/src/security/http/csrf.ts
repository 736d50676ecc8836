import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { SecurityError } from '../errors.js';

/** Options of {@link csrfProtection} (ContextForge CSRF_ENABLED, CSRF cookie/header names, trusted origins, exempt paths). */
export interface CsrfOptions {
  /** Cookie holding the token; default `mcpgateway_csrf_token`. */
  cookieName?: string;
  /** Header the client echoes it in; default `X-CSRF-Token`. */
  headerName?: string;
  /**
   * Session cookie whose presence makes a request "cookie-authenticated" (default `jwt_token`). Requests
   * without it, or with an `Authorization` header, are not CSRF-able and pass.
   */
  sessionCookieName?: string;
  /** Path prefixes never checked (e.g. `/auth/login`, OAuth callbacks). */
  exemptPaths?: readonly string[];
  /** Extra origins accepted in `Origin`/`Referer` besides the request's own. */
  trustedOrigins?: readonly string[];
}

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

/**
 * Double-submit CSRF protection for cookie sessions (admin UI): on unsafe methods of a cookie-authenticated
 * request, the header token must equal the cookie token (constant-time), and `Origin` (or `Referer`), when
 * sent, must be this origin or a trusted one. Bearer-token API calls are unaffected.
 * @throws SecurityError `CSRF_FAILED` (403) naming what was wrong.
 */
export function csrfProtection(options: CsrfOptions = {}): MiddlewareHandler {
  const cookieName = options.cookieName ?? 'mcpgateway_csrf_token';
  const headerName = options.headerName ?? 'X-CSRF-Token';
  const session = options.sessionCookieName ?? 'jwt_token';
  const exempt = options.exemptPaths ?? [];
  const trusted = new Set(
    (options.trustedOrigins ?? []).map((o) => {
      try {
        return new URL(o).origin;
      } catch {
        throw new SecurityError('CONFIG_INVALID', `CSRF trusted origin '${o}' is not a URL`, {
          field: 'trustedOrigins',
        });
      }
    }),
  );

  return async function csrfProtection(c, next) {
    if (SAFE.has(c.req.method) || c.req.header('authorization') || !getCookie(c, session)) return next();
    const path = c.req.path;
    if (exempt.some((p) => path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`))) return next();
    const origin = c.req.header('origin') ?? refererOrigin(c.req.header('referer'));
    const self = new URL(c.req.url).origin;
    if (origin !== undefined && origin !== self && !trusted.has(origin)) {
      throw new SecurityError(
        'CSRF_FAILED',
        `CSRF check failed: origin '${origin.slice(0, 200)}' is not trusted`,
        { field: 'Origin' },
      );
    }
    const cookie = getCookie(c, cookieName);
    const header = c.req.header(headerName);
    if (!cookie || !header || !equal(cookie, header)) {
      throw new SecurityError(
        'CSRF_FAILED',
        `CSRF check failed: ${headerName} header missing or not matching the ${cookieName} cookie`,
        {
          field: headerName,
        },
      );
    }
    return next();
  };
}

/**
 * Issues (or rotates, e.g. at login) the CSRF token cookie and returns the token. Not HttpOnly: the UI's
 * script reads it to echo it in the header. `secure` should follow SECURE_COOKIES.
 */
export function issueCsrfToken(
  c: Context,
  options: { cookieName?: string; secure?: boolean; sameSite?: 'Strict' | 'Lax' } = {},
): string {
  const token = randomBytes(32).toString('base64url');
  setCookie(c, options.cookieName ?? 'mcpgateway_csrf_token', token, {
    path: '/',
    secure: options.secure ?? true,
    sameSite: options.sameSite ?? 'Strict',
    httpOnly: false,
  });
  return token;
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return 'invalid-referer';
  }
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
