import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { GatewayError } from '../errors.js';

/** Prefix of every ciphertext: format version 1, AES-256-GCM. */
const PREFIX = 'v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The key used when `AUTH_ENCRYPTION_SECRET` is unset in development. It is public (in this source), so
 * anything encrypted with it is only obscured; `loadConfig` warns and production refuses it.
 */
export const INSECURE_DEVELOPMENT_SECRET = 'contextforge-insecure-development-key-change-me';

/**
 * AES-256-GCM encryption of stored upstream credentials. The key is derived from
 * `AUTH_ENCRYPTION_SECRET` with HKDF-SHA256; each value gets a fresh 96-bit IV. Ciphertexts are
 * `v1:<key-id>:<base64url(iv | tag | ciphertext)>`, where the key id (first 8 hex chars of a hash of the
 * key) lets an import tell "encrypted under another key" from "corrupted".
 */
export class SecretBox {
  readonly #key: Buffer;
  /** Short, non-secret fingerprint of the key. */
  readonly keyId: string;

  /** @param secret the configured secret (any length; ≥ 32 characters recommended) */
  constructor(secret: string) {
    this.#key = Buffer.from(hkdfSync('sha256', secret, 'contextforge', 'secret-box/v1', 32));
    this.keyId = createHash('sha256').update(this.#key).digest('hex').slice(0, 8);
  }

  /** Encrypts a UTF-8 string. */
  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const packed = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    return `${PREFIX}${this.keyId}:${packed}`;
  }

  /**
   * Decrypts a value produced by {@link encrypt} under the same secret.
   *
   * @throws GatewayError CRYPTO_FAILED when the value is malformed, encrypted under another key, or tampered.
   */
  decrypt(ciphertext: string): string {
    const match = /^v1:([0-9a-f]{8}):([A-Za-z0-9_-]+)$/.exec(ciphertext);
    if (!match) throw new GatewayError('CRYPTO_FAILED', 'encrypted value is not in the v1 format');
    if (match[1] !== this.keyId) {
      throw new GatewayError(
        'CRYPTO_FAILED',
        `encrypted value was made with another AUTH_ENCRYPTION_SECRET (key id ${match[1]}, this gateway's is ${this.keyId})`,
        { details: { key_id: match[1] } },
      );
    }
    const packed = Buffer.from(match[2]!, 'base64url');
    if (packed.length < IV_BYTES + TAG_BYTES)
      throw new GatewayError('CRYPTO_FAILED', 'encrypted value is truncated');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, packed.subarray(0, IV_BYTES));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch (cause) {
      throw new GatewayError(
        'CRYPTO_FAILED',
        'encrypted value failed authentication (tampered or corrupted)',
        {
          cause,
        },
      );
    }
  }

  /** True when `ciphertext` decrypts under this key. */
  canDecrypt(ciphertext: string): boolean {
    try {
      this.decrypt(ciphertext);
      return true;
    } catch {
      return false;
    }
  }
}
