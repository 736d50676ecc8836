import { createHash, randomBytes } from 'node:crypto';

/** A PKCE pair (RFC 7636) using S256, the only method OAuth 2.1 and MCP allow. */
export interface PkcePair {
  /** 43-character high-entropy verifier, kept secret until the token request. */
  readonly verifier: string;
  /** BASE64URL(SHA256(verifier)), sent on the authorization request. */
  readonly challenge: string;
  readonly method: 'S256';
}

/** Creates a PKCE verifier (32 random bytes) and its S256 challenge. */
export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/** The S256 challenge of `verifier`. */
export function pkceChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A random URL-safe value for `state` or `nonce` (32 bytes). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
