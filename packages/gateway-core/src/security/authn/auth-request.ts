import type { IncomingHttpHeaders } from 'node:http';

/** The parts of a request authentication looks at, independent of the HTTP stack. */
export interface AuthRequest {
  /** A header's value (case-insensitive name), or undefined. */
  header(name: string): string | undefined;
  /** The client address (after trusted-proxy processing, if any). */
  readonly remoteAddress: string;
}

/** Adapts Fetch API `Headers` (Hono's `c.req.raw.headers`). */
export function authRequestFromHeaders(headers: Headers, remoteAddress: string): AuthRequest {
  return { header: (name) => headers.get(name) ?? undefined, remoteAddress };
}

/** Adapts Node's `IncomingHttpHeaders` (the raw MCP handler's `req.headers`, lowercase keys). */
export function authRequestFromNodeHeaders(headers: IncomingHttpHeaders, remoteAddress: string): AuthRequest {
  return {
    header: (name) => {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    },
    remoteAddress,
  };
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or undefined. */
export function bearerToken(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^bearer[ \t]+([^\s]+)[ \t]*$/i.exec(value);
  return m?.[1];
}

/** The value of cookie `name` in a `Cookie` header, or undefined. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      const raw = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    }
  }
  return undefined;
}
