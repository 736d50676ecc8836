import { createHash, timingSafeEqual } from 'node:crypto';
import { SecurityError } from '../../errors.js';
import type { AuthRequest } from '../auth-request.js';
import type { AuthOutcome, AuthStrategy } from '../auth-strategy.js';
import type { Principal } from '../principal.js';

/** Checks a user name and password; resolves the principal or undefined when they do not match. */
export type BasicCredentialsVerifier = (username: string, password: string) => Promise<Principal | undefined>;

/**
 * HTTP Basic authentication, for the admin API and docs when enabled (ContextForge API_ALLOW_BASIC_AUTH,
 * DOCS_ALLOW_BASIC_AUTH). Off unless the gateway adds this strategy — and it should add it only to the
 * resolver serving the routes where basic auth is enabled (never to the MCP endpoints).
 */
export class BasicAuthStrategy implements AuthStrategy {
  readonly name = 'basic';
  readonly #verify: BasicCredentialsVerifier;

  constructor(verify: BasicCredentialsVerifier) {
    this.#verify = verify;
  }

  extract(req: AuthRequest): string | undefined {
    const h = req.header('authorization');
    const m = h ? /^basic[ \t]+([A-Za-z0-9+/=]+)[ \t]*$/i.exec(h) : null;
    return m?.[1];
  }

  async authenticate(credential: string): Promise<AuthOutcome> {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0)
      throw new SecurityError('INVALID_CREDENTIALS', 'invalid basic credentials', {
        details: { reason: 'malformed' },
      });
    const principal = await this.#verify(decoded.slice(0, colon), decoded.slice(colon + 1));
    if (!principal) throw new SecurityError('INVALID_CREDENTIALS', 'invalid basic credentials');
    // Cache briefly: a changed BASIC_AUTH_PASSWORD must take effect quickly.
    return { principal, maxCacheMs: 10_000 };
  }
}

/**
 * A verifier for one configured user [BASIC_AUTH_USER / BASIC_AUTH_PASSWORD], compared in constant time
 * (over SHA-256 digests, so lengths leak nothing either).
 */
export function staticBasicCredentials(
  username: string,
  password: string,
  principal: Principal,
): BasicCredentialsVerifier {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const u = digest(username);
  const p = digest(password);
  return async (user, pass) => {
    const okUser = timingSafeEqual(digest(user), u);
    const okPass = timingSafeEqual(digest(pass), p);
    return okUser && okPass ? principal : undefined;
  };
}
