import { randomBytes } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { SecurityError } from '../errors.js';
import { writableHeaders } from './response-headers.js';

/** Options of {@link securityHeaders} (ContextForge SECURITY_HEADERS_ENABLED, X_FRAME_OPTIONS, HSTS_*, REMOVE_SERVER_HEADERS). */
export interface SecurityHeadersOptions {
  /** CSP; `{nonce}` is replaced by a per-request nonce (also in `c.get('cspNonce')`). `false` omits the header. */
  contentSecurityPolicy?: string | false;
  /** HSTS settings, or false. Sent only on HTTPS requests (or forwarded HTTPS when `trustForwardedProto`). */
  hsts?: { maxAgeSec?: number; includeSubDomains?: boolean; preload?: boolean } | false;
  /** Honour `X-Forwarded-Proto: https` from a trusted proxy when deciding on HSTS; default false. */
  trustForwardedProto?: boolean;
  /** `X-Frame-Options`; default DENY. */
  frameOptions?: 'DENY' | 'SAMEORIGIN' | false;
  /** `Referrer-Policy`; default `strict-origin-when-cross-origin`. */
  referrerPolicy?: string | false;
  /** Response headers removed (fingerprinting); default `X-Powered-By`, `Server`. */
  removeHeaders?: readonly string[];
}

/**
 * Default CSP: same-origin everything, no framing, no plugins; inline scripts need the per-request nonce,
 * which is generated for requests that accept HTML (pages) and left out of the policy for API answers.
 */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

const REFERRER = new Set([
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
]);

/**
 * Hono middleware setting security headers on every response: CSP (with a per-request nonce),
 * HSTS on HTTPS, `X-Frame-Options`, `X-Content-Type-Options: nosniff`, `Referrer-Policy`,
 * `Cross-Origin-Opener-Policy`, and removing `X-Powered-By`/`Server`.
 * @throws SecurityError `CONFIG_INVALID` at construction for bad options.
 */
export function securityHeaders(options: SecurityHeadersOptions = {}): MiddlewareHandler {
  const csp = options.contentSecurityPolicy === undefined ? DEFAULT_CSP : options.contentSecurityPolicy;
  if (csp !== false && /[\r\n]/.test(csp)) throw bad('contentSecurityPolicy', 'must be one line');
  const referrer =
    options.referrerPolicy === undefined ? 'strict-origin-when-cross-origin' : options.referrerPolicy;
  if (referrer !== false && !referrer.split(',').every((r) => REFERRER.has(r.trim())))
    throw bad('referrerPolicy', `unknown policy '${referrer}'`);
  const frame = options.frameOptions === undefined ? 'DENY' : options.frameOptions;
  const h = options.hsts === undefined ? {} : options.hsts;
  let hsts: string | undefined;
  if (h !== false) {
    const maxAge = h.maxAgeSec ?? 31_536_000;
    if (!Number.isInteger(maxAge) || maxAge < 0)
      throw bad('hsts.maxAgeSec', 'expected a non-negative integer');
    hsts = `max-age=${maxAge}${(h.includeSubDomains ?? true) ? '; includeSubDomains' : ''}${h.preload ? '; preload' : ''}`;
  }
  const remove = options.removeHeaders ?? ['X-Powered-By', 'Server'];
  const usesNonce = csp !== false && csp.includes('{nonce}');
  const trustProto = options.trustForwardedProto ?? false;

  // API answers (JSON, no page) get the policy without the nonce source: no inline script may run at all.
  const noNonceCsp = usesNonce ? csp.replace(/\s*'nonce-\{nonce\}'/g, '') : csp;
  return async function securityHeaders(c, next) {
    // A nonce is only worth its cost for pages a browser renders (the admin UI): requests accepting HTML.
    const nonce =
      usesNonce && (c.req.header('accept') ?? '').includes('text/html')
        ? randomBytes(16).toString('base64')
        : undefined;
    if (nonce) c.set('cspNonce', nonce);
    await next();
    const headers = writableHeaders(c);
    if (csp !== false && !headers.has('content-security-policy')) {
      headers.set(
        'Content-Security-Policy',
        nonce ? csp.replaceAll('{nonce}', nonce) : (noNonceCsp as string),
      );
    }
    if (hsts && isHttps(c.req.url, trustProto ? c.req.header('x-forwarded-proto') : undefined)) {
      headers.set('Strict-Transport-Security', hsts);
    }
    if (frame) headers.set('X-Frame-Options', frame);
    headers.set('X-Content-Type-Options', 'nosniff');
    if (referrer) headers.set('Referrer-Policy', referrer);
    headers.set('Cross-Origin-Opener-Policy', 'same-origin');
    for (const name of remove) headers.delete(name);
  };
}

function isHttps(url: string, forwardedProto: string | undefined): boolean {
  if (url.startsWith('https:')) return true;
  return forwardedProto?.split(',')[0]?.trim().toLowerCase() === 'https';
}

function bad(field: string, message: string): SecurityError {
  return new SecurityError('CONFIG_INVALID', `securityHeaders ${field}: ${message}`, { field });
}
