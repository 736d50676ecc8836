import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JWTVerifyGetKey } from 'jose';
import { SecurityError } from '../errors.js';
import type { JwksCache } from './jwks-cache.js';

/** JWS algorithms the gateway accepts (`none` never). */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const;

/** One of {@link JWT_ALGORITHMS}. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/** Where verification keys come from: exactly one of the fields, matching the algorithm family. */
export interface VerificationKeySource {
  /** Shared secret for HS* [JWT_SECRET_KEY]. */
  secret?: string | Uint8Array;
  /** PEM public key or certificate for RS/PS/ES/EdDSA. */
  publicKey?: string | KeyObject;
  /** File holding that PEM [JWT_PUBLIC_KEY_PATH]. */
  publicKeyPath?: string;
  /** JWKS URL (an identity provider's `jwks_uri`). */
  jwksUrl?: string;
}

/** A key jose can verify with. */
export type VerificationKey = Uint8Array | KeyObject | JWTVerifyGetKey;

/** True for HMAC algorithms. */
export function isSymmetric(alg: string): boolean {
  return alg.startsWith('HS');
}

/**
 * Validates an algorithm name.
 * @throws SecurityError `CONFIG_INVALID` naming `field` (JWT_ALGORITHM).
 */
export function parseAlgorithm(value: string, field = 'JWT_ALGORITHM'): JwtAlgorithm {
  if ((JWT_ALGORITHMS as readonly string[]).includes(value)) return value as JwtAlgorithm;
  throw new SecurityError(
    'CONFIG_INVALID',
    `${field}: expected one of ${JWT_ALGORITHMS.join(', ')}, got '${value}'`,
    {
      field,
    },
  );
}

/**
 * Resolves the verification key for `algorithms` (all of one family) from `source`.
 * @throws SecurityError `CONFIG_INVALID` when the source does not fit the algorithms or a key file is unreadable.
 */
export async function resolveVerificationKey(
  algorithms: readonly JwtAlgorithm[],
  source: VerificationKeySource,
  jwks?: JwksCache,
): Promise<VerificationKey> {
  const symmetric = algorithms.every(isSymmetric);
  if (!symmetric && algorithms.some(isSymmetric)) {
    // Mixing families would let an HS token be verified with a public key used as an HMAC secret.
    throw new SecurityError(
      'CONFIG_INVALID',
      'JWT_ALGORITHM: HS* and asymmetric algorithms cannot be mixed',
      {
        field: 'JWT_ALGORITHM',
      },
    );
  }
  if (symmetric) {
    if (source.secret === undefined || source.secret.length === 0) {
      throw new SecurityError('CONFIG_INVALID', `JWT_SECRET_KEY: required for ${algorithms.join('/')}`, {
        field: 'JWT_SECRET_KEY',
      });
    }
    return typeof source.secret === 'string' ? new TextEncoder().encode(source.secret) : source.secret;
  }
  if (source.jwksUrl) {
    if (!jwks)
      throw new SecurityError('CONFIG_INVALID', 'jwks_uri given without a JwksCache', { field: 'jwks_uri' });
    return jwks.get(source.jwksUrl);
  }
  if (source.publicKey !== undefined) return toPublicKey(source.publicKey, 'JWT_PUBLIC_KEY');
  if (source.publicKeyPath)
    return toPublicKey(await readKeyFile(source.publicKeyPath, 'JWT_PUBLIC_KEY_PATH'), 'JWT_PUBLIC_KEY_PATH');
  throw new SecurityError(
    'CONFIG_INVALID',
    `JWT_PUBLIC_KEY_PATH: a public key (or a JWKS URL) is required for ${algorithms.join('/')}`,
    { field: 'JWT_PUBLIC_KEY_PATH' },
  );
}

/**
 * Resolves the signing key for `algorithm`: the secret for HS*, else a PEM private key (text or file).
 * @throws SecurityError `CONFIG_INVALID` naming the missing or unreadable setting.
 */
export async function resolveSigningKey(
  algorithm: JwtAlgorithm,
  source: { secret?: string | Uint8Array; privateKey?: string | KeyObject; privateKeyPath?: string },
): Promise<Uint8Array | KeyObject> {
  if (isSymmetric(algorithm)) {
    if (source.secret === undefined || source.secret.length === 0) {
      throw new SecurityError('CONFIG_INVALID', `JWT_SECRET_KEY: required to sign ${algorithm}`, {
        field: 'JWT_SECRET_KEY',
      });
    }
    return typeof source.secret === 'string' ? new TextEncoder().encode(source.secret) : source.secret;
  }
  const pem =
    source.privateKey ??
    (source.privateKeyPath ? await readKeyFile(source.privateKeyPath, 'JWT_PRIVATE_KEY_PATH') : undefined);
  if (pem === undefined) {
    throw new SecurityError('CONFIG_INVALID', `JWT_PRIVATE_KEY_PATH: required to sign ${algorithm}`, {
      field: 'JWT_PRIVATE_KEY_PATH',
    });
  }
  if (typeof pem !== 'string') return pem;
  try {
    return createPrivateKey(pem);
  } catch (cause) {
    throw new SecurityError('CONFIG_INVALID', 'JWT_PRIVATE_KEY_PATH: not a PEM private key', {
      field: 'JWT_PRIVATE_KEY_PATH',
      cause,
    });
  }
}

function toPublicKey(key: string | KeyObject, field: string): KeyObject {
  if (typeof key !== 'string') return key;
  try {
    // Accepts SPKI, PKCS#1 and X.509 certificates (and derives the public half of a private key).
    return createPublicKey(key);
  } catch (cause) {
    throw new SecurityError('CONFIG_INVALID', `${field}: not a PEM public key or certificate`, {
      field,
      cause,
    });
  }
}

async function readKeyFile(path: string, field: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new SecurityError(
      'CONFIG_INVALID',
      `${field}: cannot read '${path}' (${(cause as NodeJS.ErrnoException).code ?? 'error'})`,
      {
        field,
        cause,
      },
    );
  }
}
