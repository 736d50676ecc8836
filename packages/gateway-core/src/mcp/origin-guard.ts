import type { IncomingMessage } from 'node:http';

/** DNS-rebinding protection settings (2025-11-25/2026-07-28 transports §Security). */
export interface OriginGuardOptions {
  /**
   * Allowed `Host` header values (hostname or hostname:port, case-insensitive). `'loopback'`
   * (default) allows localhost, 127.0.0.1 and [::1] on any port when the server socket is a
   * loopback address, and any host otherwise; `'any'` disables the check.
   */
  allowedHosts?: string[] | 'loopback' | 'any';
  /**
   * Allowed `Origin` values (exact, e.g. `https://app.example.com`). Default: an Origin whose host
   * equals the request's Host, plus loopback origins when the server listens on loopback.
   * `'any'` disables the check. Requests without Origin (non-browser clients) always pass.
   */
  allowedOrigins?: string[] | 'any';
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : h;
  }
  const colon = h.indexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

function isLoopbackSocket(req: IncomingMessage): boolean {
  const addr = req.socket.localAddress ?? '';
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1' || addr.startsWith('127.');
}

/**
 * Returns why a request must be refused with 403, or undefined when it may proceed. Cheap enough
 * for every request: a couple of string comparisons.
 */
export function checkOrigin(req: IncomingMessage, opts: OriginGuardOptions): string | undefined {
  const host = req.headers.host;
  const hostsOpt = opts.allowedHosts ?? 'loopback';
  const loopback = isLoopbackSocket(req);
  if (hostsOpt !== 'any') {
    if (host === undefined) return 'missing Host header';
    if (hostsOpt === 'loopback') {
      if (loopback && !LOOPBACK_HOSTS.has(hostnameOf(host)))
        return `Host ${JSON.stringify(host)} is not a loopback host`;
    } else {
      const h = host.toLowerCase();
      if (!hostsOpt.some((a) => a.toLowerCase() === h || a.toLowerCase() === hostnameOf(h))) {
        return `Host ${JSON.stringify(host)} is not allowed`;
      }
    }
  }
  const origin = req.headers.origin;
  if (origin === undefined || opts.allowedOrigins === 'any') return undefined;
  if (opts.allowedOrigins !== undefined) {
    return opts.allowedOrigins.includes(origin)
      ? undefined
      : `Origin ${JSON.stringify(origin)} is not allowed`;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return `Origin ${JSON.stringify(origin)} is not a valid origin`;
  }
  if (host !== undefined && originHost === host.toLowerCase()) {
    // Same-origin is fine unless a loopback server is being reached through a foreign name.
    return loopback && !LOOPBACK_HOSTS.has(hostnameOf(originHost))
      ? `Origin ${JSON.stringify(origin)} is not a loopback origin`
      : undefined;
  }
  if (loopback && LOOPBACK_HOSTS.has(hostnameOf(originHost))) return undefined;
  return `Origin ${JSON.stringify(origin)} does not match Host ${JSON.stringify(host)}`;
}
