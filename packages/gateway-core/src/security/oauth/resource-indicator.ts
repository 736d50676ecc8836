import { SecurityError } from '../errors.js';
import { canonicalResourceUri } from './protected-resource-metadata.js';

/**
 * Checks that an access token was issued for this resource (RFC 8707 audience restriction; MCP
 * authorization spec: servers MUST reject tokens not meant for them, and never pass client tokens on).
 * `aud` may be a string or a list; comparison is on canonical URIs, and a token for the gateway root
 * does not cover a virtual server unless the gateway lists the root as acceptable.
 *
 * @param aud the token's `aud` claim
 * @param acceptable resource URIs this endpoint answers to (e.g. the server URL and the gateway URL)
 * @throws SecurityError `TOKEN_INVALID` (401, reason `audience`) when none matches.
 */
export function assertAudience(aud: unknown, acceptable: readonly string[]): void {
  const wanted = new Set(acceptable.map((a) => canonicalResourceUri(a)));
  const list =
    typeof aud === 'string'
      ? [aud]
      : Array.isArray(aud)
        ? aud.filter((x): x is string => typeof x === 'string')
        : [];
  for (const a of list) {
    let canon: string;
    try {
      canon = canonicalResourceUri(a);
    } catch {
      continue; // a non-URL audience (e.g. `mcpgateway-api`) simply does not match a resource
    }
    if (wanted.has(canon)) return;
  }
  throw new SecurityError('TOKEN_INVALID', 'invalid token: audience does not include this resource', {
    details: { reason: 'audience', expected: [...wanted] },
  });
}
