import { type Dispatcher, fetch as undiciFetch } from 'undici';
import { isSecurityError, SecurityError } from '../errors.js';
import { createSsrfSafeDispatcher } from './safe-dispatcher.js';
import type { SsrfGuard } from './ssrf-guard.js';

/** The Fetch API shape every outbound call in the security modules uses (so tests and callers can swap it). */
export type FetchLike = (input: string | URL, init?: RequestInit) => Promise<Response>;

/** Options of {@link createSafeFetch}. */
export interface SafeFetchOptions {
  /** The guard that checks every URL, redirect target and connect-time address. */
  guard: SsrfGuard;
  /** Dispatcher to use (default: a new guarded one). Pass one to share its connection pool. */
  dispatcher?: Dispatcher;
  /** Redirects followed at most (each re-checked); default 5. */
  maxRedirects?: number;
  /** Whole-request timeout in ms unless the caller passes its own `signal`; default 30 000. */
  timeoutMs?: number;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * A `fetch` that refuses SSRF destinations: the URL is checked before the request, every redirect
 * target is checked again before it is followed (cross-origin redirects drop `Authorization` and
 * `Cookie`), and connections go through the guard's pinned lookup. Guard refusals surface as
 * {@link SecurityError} `URL_NOT_ALLOWED`, never as a generic network error.
 */
export function createSafeFetch(options: SafeFetchOptions): FetchLike {
  const { guard } = options;
  const dispatcher = options.dispatcher ?? createSsrfSafeDispatcher(guard);
  const maxRedirects = options.maxRedirects ?? 5;
  const timeoutMs = options.timeoutMs ?? 30_000;

  return async function safeFetch(input, init = {}) {
    let url = await guard.checkUrl(input).then((c) => c.url);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers = new Headers(init.headers);
    const signal = init.signal ?? AbortSignal.timeout(timeoutMs);
    for (let hop = 0; ; hop++) {
      let res: Response;
      try {
        res = (await undiciFetch(url, {
          ...(init as object),
          method,
          body: body as never,
          headers: headers as never,
          redirect: 'manual',
          signal: signal as never,
          dispatcher,
        })) as unknown as Response;
      } catch (err) {
        throw unwrapGuardError(err) ?? err;
      }
      if (!REDIRECTS.has(res.status) || init.redirect === 'manual') return res;
      const location = res.headers.get('location');
      if (!location) return res;
      if (init.redirect === 'error') {
        throw new SecurityError(
          'URL_NOT_ALLOWED',
          `url: redirect to '${location}' refused (redirect: 'error')`,
          {
            field: 'url',
            details: { reason: 'redirect' },
          },
        );
      }
      if (hop >= maxRedirects) {
        throw new SecurityError('URL_NOT_ALLOWED', `url: more than ${maxRedirects} redirects`, {
          field: 'url',
          details: { reason: 'redirect-limit' },
        });
      }
      await res.body?.cancel();
      const next = await guard.checkUrl(new URL(location, url), 'redirect');
      if (next.url.origin !== url.origin) {
        headers.delete('authorization');
        headers.delete('cookie');
      }
      // RFC 9110 §15.4: 303 always, and 301/302 after POST historically, continue as GET without a body.
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = method === 'HEAD' ? 'HEAD' : 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      url = next.url;
    }
  };
}

function unwrapGuardError(err: unknown): SecurityError | undefined {
  let e: unknown = err;
  for (let i = 0; i < 5 && e; i++) {
    if (isSecurityError(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Reads a response body as text, refusing more than `maxBytes` (streams are cancelled at the limit).
 * @throws SecurityError `PAYLOAD_TOO_LARGE` naming `field`.
 */
export async function readResponseText(res: Response, maxBytes: number, field = 'response'): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw tooLarge(field, maxBytes);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(field, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(field: string, maxBytes: number): SecurityError {
  return new SecurityError('PAYLOAD_TOO_LARGE', `${field}: body larger than ${maxBytes} bytes`, {
    field,
    details: { maxBytes },
  });
}
