import type { KeyObject } from 'node:crypto';
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { SecurityError } from '../errors.js';
import { type JwtAlgorithm, resolveSigningKey } from './jwt-keys.js';

/** Options of {@link createToken}, mirroring ContextForge's `create_jwt_token` CLI. */
export interface CreateTokenOptions {
  /** `sub`: the user's email [--username]. */
  subject: string;
  /** Lifetime in minutes [--exp]; 0 = no `exp` (refused while `requireExpiration`). Default 10 080 (7 days). */
  expiresInMinutes?: number;
  /** Signing algorithm [JWT_ALGORITHM]; default HS256. */
  algorithm?: JwtAlgorithm;
  /** HMAC secret [JWT_SECRET_KEY / --secret]. */
  secret?: string | Uint8Array;
  /** PEM private key, or a file holding it [JWT_PRIVATE_KEY_PATH], for asymmetric algorithms. */
  privateKey?: string | KeyObject;
  privateKeyPath?: string;
  /** `iss` [JWT_ISSUER]; default `mcpgateway`. */
  issuer?: string;
  /** `aud` [JWT_AUDIENCE]; default `mcpgateway-api`. */
  audience?: string | string[];
  /** `is_admin` claim [--admin]. */
  isAdmin?: boolean;
  /** `teams` claim [--teams]: list of team ids, `null` (admin bypass when `isAdmin`), or omit (public-only). */
  teams?: readonly string[] | null;
  /** `scopes` claim [--scopes]: `{ server_id, permissions, ip_restrictions, ... }`. */
  scopes?: Record<string, unknown>;
  /** Extra claims [--data]; cannot override the registered claims set above. */
  data?: Record<string, unknown>;
  /** `jti`; default a random UUID. */
  jti?: string;
  /** Refuse tokens without expiry [REQUIRE_TOKEN_EXPIRATION]; default true. */
  requireExpiration?: boolean;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

const RESERVED = new Set(['sub', 'iat', 'exp', 'nbf', 'iss', 'aud', 'jti']);

/**
 * Signs a gateway JWT (`contextforge token create`). The result verifies with a {@link JwtVerifier}
 * configured with the same key, issuer and audience.
 * @throws SecurityError `CONFIG_INVALID` for a missing key, a bad lifetime or a reserved claim in `data`.
 */
export async function createToken(options: CreateTokenOptions): Promise<string> {
  const algorithm = options.algorithm ?? 'HS256';
  const minutes = options.expiresInMinutes ?? 10_080;
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new SecurityError('CONFIG_INVALID', `exp: expected minutes >= 0, got ${minutes}`, { field: 'exp' });
  }
  if (minutes === 0 && (options.requireExpiration ?? true)) {
    throw new SecurityError(
      'CONFIG_INVALID',
      'exp: tokens without expiry are refused while REQUIRE_TOKEN_EXPIRATION is on',
      {
        field: 'exp',
      },
    );
  }
  if (!options.subject)
    throw new SecurityError('CONFIG_INVALID', 'username: required', { field: 'username' });
  for (const k of Object.keys(options.data ?? {})) {
    if (RESERVED.has(k))
      throw new SecurityError('CONFIG_INVALID', `data: claim '${k}' is set by its own option`, {
        field: 'data',
      });
  }
  const key = await resolveSigningKey(algorithm, options);
  const nowSec = Math.floor((options.now ?? Date.now)() / 1000);
  const claims: Record<string, unknown> = { ...options.data };
  if (options.isAdmin !== undefined) claims.is_admin = options.isAdmin;
  if (options.teams !== undefined) claims.teams = options.teams === null ? null : [...options.teams];
  if (options.scopes !== undefined) claims.scopes = options.scopes;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: algorithm, typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuedAt(nowSec)
    .setJti(options.jti ?? randomUUID())
    .setIssuer(options.issuer ?? 'mcpgateway')
    .setAudience(options.audience ?? 'mcpgateway-api');
  if (minutes > 0) jwt.setExpirationTime(nowSec + Math.round(minutes * 60));
  return jwt.sign(key);
}
