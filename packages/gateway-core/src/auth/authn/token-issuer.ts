import type { GatewayConfig } from '../../config/settings.js';
import { createToken } from '../../security/jwt/create-token.js';
import type { JwksCache } from '../../security/jwt/jwks-cache.js';
import { isSymmetric, type JwtAlgorithm } from '../../security/jwt/jwt-keys.js';
import { JwtVerifier } from '../../security/jwt/jwt-verifier.js';
import type { TokenRevocationStore } from '../../security/jwt/revocation-store.js';
import type { KeyStore } from '../stores/key-store.js';

/** What a gateway JWT says. */
export interface MintOptions {
  subject: string;
  /** Lifetime in minutes (default TOKEN_EXPIRY). */
  expiresInMinutes?: number;
  /** Marks a login session token (`token_use: session`): the database then decides roles and teams. */
  session?: boolean;
  isAdmin?: boolean;
  teams?: readonly string[] | null;
  scopes?: Record<string, unknown>;
  data?: Record<string, unknown>;
  jti?: string;
}

/**
 * The gateway's own JWTs: one key (JWT_SECRET_KEY, or a random HMAC key generated once and kept
 * encrypted in the database, or the JWT_PRIVATE_KEY_PATH/JWT_PUBLIC_KEY_PATH pair), one issuer and
 * audience, for login sessions, `contextforge token create` and verification.
 */
export class TokenIssuer {
  private constructor(
    private readonly config: GatewayConfig,
    private readonly secret: string | undefined,
    /** Verifies gateway JWTs with the same key, issuer, audience and revocation list. */
    readonly verifier: JwtVerifier,
  ) {}

  /**
   * Loads the keys (reading key files and the generated key now, so a bad setting fails at start-up).
   * @throws SecurityError CONFIG_INVALID naming the setting
   */
  static async create(
    config: GatewayConfig,
    keys: Pick<KeyStore, 'getOrCreate'>,
    revocation: TokenRevocationStore,
    jwks: JwksCache,
  ): Promise<TokenIssuer> {
    const algorithm = config.JWT_ALGORITHM as JwtAlgorithm;
    const secret = isSymmetric(algorithm)
      ? (config.JWT_SECRET_KEY ?? (await keys.getOrCreate('jwt_hmac_secret')))
      : undefined;
    const verifier = await JwtVerifier.create({
      algorithms: [algorithm],
      ...(secret !== undefined ? { secret } : {}),
      ...(config.JWT_PUBLIC_KEY_PATH ? { publicKeyPath: config.JWT_PUBLIC_KEY_PATH } : {}),
      ...(config.JWT_JWKS_URL && !config.JWT_PUBLIC_KEY_PATH ? { jwksUrl: config.JWT_JWKS_URL } : {}),
      jwks,
      ...(config.JWT_ISSUER_VERIFICATION ? { issuer: config.JWT_ISSUER } : {}),
      ...(config.JWT_AUDIENCE_VERIFICATION ? { audience: config.JWT_AUDIENCE } : {}),
      requireJti: config.REQUIRE_JTI,
      requireExpiration: config.REQUIRE_TOKEN_EXPIRATION,
      revocation,
    });
    return new TokenIssuer(config, secret, verifier);
  }

  /** True when this gateway can sign tokens (asymmetric setups need JWT_PRIVATE_KEY_PATH). */
  get canSign(): boolean {
    return this.secret !== undefined || this.config.JWT_PRIVATE_KEY_PATH !== undefined;
  }

  /**
   * Signs a gateway JWT.
   * @throws SecurityError CONFIG_INVALID (no signing key, bad lifetime, reserved claim in data)
   */
  mint(o: MintOptions): Promise<string> {
    return createToken({
      subject: o.subject,
      expiresInMinutes: o.expiresInMinutes ?? this.config.TOKEN_EXPIRY,
      algorithm: this.config.JWT_ALGORITHM as JwtAlgorithm,
      ...(this.secret !== undefined ? { secret: this.secret } : {}),
      ...(this.config.JWT_PRIVATE_KEY_PATH ? { privateKeyPath: this.config.JWT_PRIVATE_KEY_PATH } : {}),
      issuer: this.config.JWT_ISSUER,
      audience: this.config.JWT_AUDIENCE,
      ...(o.isAdmin !== undefined ? { isAdmin: o.isAdmin } : {}),
      ...(o.teams !== undefined ? { teams: o.teams } : {}),
      ...(o.scopes !== undefined ? { scopes: o.scopes } : {}),
      data: { ...o.data, ...(o.session ? { token_use: 'session' } : {}) },
      ...(o.jti !== undefined ? { jti: o.jti } : {}),
      requireExpiration: this.config.REQUIRE_TOKEN_EXPIRATION,
    });
  }
}
