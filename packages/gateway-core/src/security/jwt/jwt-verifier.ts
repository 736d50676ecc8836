import {
  errors,
  type JWTPayload,
  type JWTVerifyOptions,
  jwtVerify,
  type ProtectedHeaderParameters,
} from 'jose';
import { SecurityError } from '../errors.js';
import type { JwksCache } from './jwks-cache.js';
import {
  type JwtAlgorithm,
  resolveVerificationKey,
  type VerificationKey,
  type VerificationKeySource,
} from './jwt-keys.js';
import type { TokenRevocationStore } from './revocation-store.js';

/** Options of {@link JwtVerifier} (ContextForge setting names in brackets). */
export interface JwtVerifierOptions extends VerificationKeySource {
  /** Accepted algorithms, all of one family [JWT_ALGORITHM]; default HS256. */
  algorithms?: readonly JwtAlgorithm[];
  /** Expected `iss` (one of) [JWT_ISSUER]; omit to skip the check [JWT_ISSUER_VERIFICATION=false]. */
  issuer?: string | readonly string[];
  /** Expected `aud` (one of) [JWT_AUDIENCE]; omit to skip the check [JWT_AUDIENCE_VERIFICATION=false]. */
  audience?: string | readonly string[];
  /** Require a `jti` claim [REQUIRE_JTI]; default true. */
  requireJti?: boolean;
  /** Require an `exp` claim [REQUIRE_TOKEN_EXPIRATION]; default true. */
  requireExpiration?: boolean;
  /** Allowed clock skew for exp/nbf/iat in seconds; default 30. */
  clockToleranceSec?: number;
  /** Reject tokens whose `iat` is older than this many seconds (optional). */
  maxTokenAgeSec?: number;
  /** Revocation list checked by `jti` (optional). */
  revocation?: TokenRevocationStore;
  /** JWKS cache, required when `jwksUrl` is used. */
  jwks?: JwksCache;
  /** Clock (epoch ms), for tests. */
  now?: () => number;
}

/** A token that passed every check. */
export interface VerifiedJwt {
  readonly payload: Readonly<JWTPayload & Record<string, unknown>>;
  readonly header: Readonly<ProtectedHeaderParameters>;
  /** `sub`, or `email`/`username` claims for tokens minted by other tools. */
  readonly subject: string;
  /** `jti`, when present. */
  readonly jti?: string;
  /** Expiry (epoch ms), when present. */
  readonly expiresAt?: number;
}

/**
 * Verifies JWT bearer tokens: signature (HS*, RS/PS/ES/EdDSA from a key file or a JWKS URL), algorithm
 * allowlist (never `none`), `iss`, `aud`, `exp`, `nbf` and `iat` with clock tolerance, required `jti` and
 * `exp`, and revocation by `jti`. Every failure is a {@link SecurityError}: `TOKEN_EXPIRED`,
 * `TOKEN_REVOKED`, `TOKEN_INVALID` (with `details.reason`), or `KEY_UNAVAILABLE` when a JWKS cannot be
 * fetched (503: the token may well be fine).
 */
export class JwtVerifier {
  readonly #key: VerificationKey;
  readonly #opts: JWTVerifyOptions;
  readonly #requireJti: boolean;
  readonly #requireExp: boolean;
  readonly #revocation: TokenRevocationStore | undefined;
  readonly #now: (() => number) | undefined;

  private constructor(key: VerificationKey, options: JwtVerifierOptions) {
    this.#key = key;
    this.#now = options.now;
    this.#opts = {
      algorithms: [...(options.algorithms ?? ['HS256'])],
      clockTolerance: options.clockToleranceSec ?? 30,
      ...(options.issuer === undefined ? {} : { issuer: options.issuer as string | string[] }),
      ...(options.audience === undefined ? {} : { audience: options.audience as string | string[] }),
      ...(options.maxTokenAgeSec === undefined ? {} : { maxTokenAge: options.maxTokenAgeSec }),
    };
    this.#requireJti = options.requireJti ?? true;
    this.#requireExp = options.requireExpiration ?? true;
    this.#revocation = options.revocation;
  }

  /**
   * Builds a verifier, loading key files eagerly so a bad setting fails at start-up.
   * @throws SecurityError `CONFIG_INVALID` naming the setting.
   */
  static async create(options: JwtVerifierOptions): Promise<JwtVerifier> {
    const key = await resolveVerificationKey(options.algorithms ?? ['HS256'], options, options.jwks);
    return new JwtVerifier(key, options);
  }

  /**
   * Verifies `token` and returns its payload.
   * @throws SecurityError `TOKEN_INVALID` | `TOKEN_EXPIRED` | `TOKEN_REVOKED` | `KEY_UNAVAILABLE`
   */
  async verify(token: string): Promise<VerifiedJwt> {
    let result: Awaited<ReturnType<typeof jwtVerify>>;
    const opts = this.#now ? { ...this.#opts, currentDate: new Date(this.#now()) } : this.#opts;
    try {
      result =
        typeof this.#key === 'function'
          ? await jwtVerify(token, this.#key, opts)
          : await jwtVerify(token, this.#key, opts);
    } catch (err) {
      throw mapJoseError(err);
    }
    const payload = result.payload as JWTPayload & Record<string, unknown>;
    if (this.#requireExp && typeof payload.exp !== 'number') {
      throw invalid('missing-exp', 'token has no exp claim and REQUIRE_TOKEN_EXPIRATION is on');
    }
    const jti = typeof payload.jti === 'string' && payload.jti !== '' ? payload.jti : undefined;
    if (this.#requireJti && !jti)
      throw invalid('missing-jti', 'token has no jti claim and REQUIRE_JTI is on');
    const subject = [payload.sub, payload.email, payload.username].find(
      (s): s is string => typeof s === 'string' && s !== '',
    );
    if (!subject) throw invalid('missing-sub', 'token has no sub claim');
    if (jti && this.#revocation && (await this.#revocation.isRevoked(jti))) {
      throw new SecurityError('TOKEN_REVOKED', 'token has been revoked', { details: { reason: 'revoked' } });
    }
    return {
      payload,
      header: result.protectedHeader,
      subject,
      ...(jti ? { jti } : {}),
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
    };
  }
}

function invalid(reason: string, message: string, cause?: unknown): SecurityError {
  return new SecurityError('TOKEN_INVALID', `invalid token: ${message}`, {
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}

function mapJoseError(err: unknown): SecurityError {
  if (err instanceof errors.JWTExpired) {
    return new SecurityError('TOKEN_EXPIRED', 'token has expired', {
      details: { reason: 'expired' },
      cause: err,
    });
  }
  if (err instanceof errors.JWTClaimValidationFailed) {
    return invalid(`claim-${err.claim}`, `${err.claim} claim check failed (${err.reason})`, err);
  }
  if (err instanceof errors.JWSSignatureVerificationFailed)
    return invalid('signature', 'signature verification failed', err);
  if (err instanceof errors.JOSEAlgNotAllowed) return invalid('algorithm', 'algorithm not allowed', err);
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) {
    return invalid('unknown-key', 'no matching key in the JWKS', err);
  }
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid) {
    return new SecurityError('KEY_UNAVAILABLE', 'signing keys could not be fetched', { cause: err });
  }
  if (err instanceof SecurityError) {
    return err.code === 'URL_NOT_ALLOWED' || err.code === 'PAYLOAD_TOO_LARGE'
      ? new SecurityError('KEY_UNAVAILABLE', 'signing keys could not be fetched', { cause: err })
      : err;
  }
  if (
    err instanceof errors.JOSEError &&
    err.code === 'ERR_JOSE_GENERIC' &&
    /JSON Web Key Set/.test(err.message)
  ) {
    return new SecurityError('KEY_UNAVAILABLE', 'signing keys could not be fetched', { cause: err });
  }
  if (
    err instanceof errors.JWTInvalid ||
    err instanceof errors.JWSInvalid ||
    err instanceof errors.JOSEError
  ) {
    return invalid('malformed', 'malformed token', err);
  }
  // A failed JWKS fetch (network error, non-200) lands here.
  return new SecurityError('KEY_UNAVAILABLE', 'signing keys could not be fetched', { cause: err });
}
