import type { SecurityError } from '../errors.js';

/** Parts of a `WWW-Authenticate: Bearer …` challenge (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  realm?: string;
  /** URL of the protected-resource metadata document (RFC 9728), so MCP clients can discover the AS. */
  resourceMetadata?: string;
  /** Space-separated scopes needed (RFC 6750 `scope`; the MCP spec uses it for step-up). */
  scope?: string | readonly string[];
  /** The failure: a SecurityError (mapped to an RFC 6750 error code) or an explicit code and description. */
  error?:
    | SecurityError
    | { code: 'invalid_request' | 'invalid_token' | 'insufficient_scope'; description?: string };
}

/**
 * Builds a `WWW-Authenticate` Bearer challenge. A request that carried no credential gets no `error`
 * attribute (RFC 6750 §3.1); bad or expired tokens get `invalid_token`, missing permissions
 * `insufficient_scope`. Values are quoted-string escaped and control characters removed.
 */
export function buildWwwAuthenticate(c: BearerChallenge): string {
  const params: string[] = [];
  if (c.realm) params.push(`realm=${quote(c.realm)}`);
  if (c.resourceMetadata) params.push(`resource_metadata=${quote(c.resourceMetadata)}`);
  const scope = typeof c.scope === 'string' ? c.scope : c.scope?.join(' ');
  if (scope) params.push(`scope=${quote(scope)}`);
  const e = rfc6750Error(c.error);
  if (e) {
    params.push(`error=${quote(e.code)}`);
    if (e.description) params.push(`error_description=${quote(e.description)}`);
  }
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`;
}

function rfc6750Error(e: BearerChallenge['error']): { code: string; description?: string } | undefined {
  if (!e) return undefined;
  if (!('status' in e)) return e;
  switch (e.code) {
    case 'UNAUTHENTICATED':
      return undefined;
    case 'FORBIDDEN':
    case 'SCOPE_DENIED':
      return { code: 'insufficient_scope', description: e.message };
    default:
      return e.status === 401 ? { code: 'invalid_token', description: e.message } : undefined;
  }
}

function quote(value: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point.
  return `"${value.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\\"]/g, '\\$&')}"`;
}

/** One parsed challenge of a `WWW-Authenticate` header. */
export interface ParsedChallenge {
  /** Lower-cased scheme (`bearer`, `basic`, …). */
  scheme: string;
  /** Parameters by lower-cased name. */
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` header (possibly several challenges) — used by the upstream OAuth client to
 * find an upstream's `resource_metadata` (RFC 9728 §5.1) in its 401.
 */
export function parseWwwAuthenticate(header: string): ParsedChallenge[] {
  const out: ParsedChallenge[] = [];
  const re =
    /\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)(?:\s+|$)|\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^\s,]*)\s*,?/y;
  let current: ParsedChallenge | undefined;
  let i = 0;
  while (i < header.length) {
    re.lastIndex = i;
    const m = re.exec(header);
    if (!m || m[0].length === 0) {
      i++;
      continue;
    }
    i = re.lastIndex;
    if (m[2] !== undefined && current) {
      const raw = m[3] ?? '';
      current.params[m[2].toLowerCase()] = raw.startsWith('"')
        ? raw.slice(1, -1).replace(/\\(.)/g, '$1')
        : raw;
    } else if (m[1] !== undefined) {
      current = { scheme: m[1].toLowerCase(), params: {} };
      out.push(current);
    }
    while (header[i] === ',' || header[i] === ' ') i++;
  }
  return out;
}
