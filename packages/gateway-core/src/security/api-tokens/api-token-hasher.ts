import { createHmac, hkdfSync } from 'node:crypto';
import { SecurityError } from '../errors.js';

/**
 * Derives the API-token pepper from the gateway's master secret (AUTH_ENCRYPTION_SECRET) with HKDF, so
 * operators manage one secret and the pepper is independent of the encryption key derived from it.
 * @throws SecurityError `CONFIG_INVALID` when the secret is shorter than 32 bytes.
 */
export function deriveApiTokenPepper(masterSecret: string | Uint8Array): Uint8Array {
  const secret = typeof masterSecret === 'string' ? Buffer.from(masterSecret, 'utf8') : masterSecret;
  if (secret.length < 32) {
    throw new SecurityError('CONFIG_INVALID', 'AUTH_ENCRYPTION_SECRET: at least 32 bytes are required', {
      field: 'AUTH_ENCRYPTION_SECRET',
    });
  }
  return new Uint8Array(hkdfSync('sha256', secret, 'contextforge', 'api-token-pepper/v1', 32));
}

/**
 * Hashes API tokens for storage and lookup: HMAC-SHA256 with a server-side pepper, hex encoded. Tokens
 * carry ~238 random bits, so a fast keyed hash is enough (no password-style stretching), lookups are one
 * indexed equality match, and a stolen database alone does not let anyone test candidate tokens.
 */
export class ApiTokenHasher {
  readonly #pepper: Uint8Array;

  /** @throws SecurityError `CONFIG_INVALID` for a pepper shorter than 32 bytes. */
  constructor(pepper: Uint8Array) {
    if (pepper.length < 32) {
      throw new SecurityError('CONFIG_INVALID', 'api token pepper: at least 32 bytes are required', {
        field: 'pepper',
      });
    }
    this.#pepper = pepper;
  }

  /** The 64-hex-character lookup hash of `token`. */
  hash(token: string): string {
    return createHmac('sha256', this.#pepper).update(token).digest('hex');
  }
}
