import { randomUUID } from 'node:crypto';
import { isSecurityError, SecurityError } from '../errors.js';
import { CidrSet } from '../net/cidr.js';
import { generateApiToken, isApiTokenFormat } from './api-token-format.js';
import type { ApiTokenHasher } from './api-token-hasher.js';
import type { ApiTokenRecord, ApiTokenScope, ApiTokenStore } from './api-token-store.js';
import type { LastUsedTracker } from './last-used-tracker.js';

/** Options of {@link ApiTokenService}. */
export interface ApiTokenServiceOptions {
  store: ApiTokenStore;
  hasher: ApiTokenHasher;
  /** Records uses (debounced); optional. */
  tracker?: LastUsedTracker;
  /** Longest lifetime a token may be issued with, in days; default none. */
  maxLifetimeDays?: number;
  now?: () => number;
}

/** What to issue. */
export interface IssueApiTokenInput {
  name: string;
  ownerEmail: string;
  teamId?: string | null;
  scope?: ApiTokenScope;
  /** Lifetime in days; omit or null for no expiry (unless `maxLifetimeDays` is set). */
  expiresInDays?: number | null;
}

/** A token that passed verification: the record's facts plus its compiled IP allowlist. */
export interface VerifiedApiToken {
  readonly id: string;
  readonly ownerEmail: string;
  readonly teamId: string | null;
  readonly scope: ApiTokenScope;
  readonly expiresAt: number | null;
  /** Compiled `scope.ipRestrictions`; undefined = any address. */
  readonly ipAllow: CidrSet | undefined;
}

/**
 * Issues, verifies and revokes API tokens. Tokens are `cfk_…` strings (see `generateApiToken`), shown
 * once at issue time and stored only as an HMAC hash; verification is a format check, one indexed lookup,
 * revocation/expiry checks and the IP restriction check.
 */
export class ApiTokenService {
  readonly #o: ApiTokenServiceOptions;
  readonly #now: () => number;

  constructor(options: ApiTokenServiceOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Creates a token. Returns the secret (to show once) and the stored record.
   * @throws SecurityError `VALIDATION_FAILED` naming the bad field (`name`, `expires_in_days`, `scope.ip_restrictions.N`).
   */
  async issue(input: IssueApiTokenInput): Promise<{ token: string; record: ApiTokenRecord }> {
    const name = input.name?.trim() ?? '';
    if (name.length === 0 || name.length > 255) throw invalidInput('name', 'expected 1..255 characters');
    const days = input.expiresInDays ?? null;
    const max = this.#o.maxLifetimeDays;
    if (days !== null && !(Number.isFinite(days) && days > 0))
      throw invalidInput('expires_in_days', `expected a positive number, got ${days}`);
    if (max !== undefined && (days === null || days > max))
      throw invalidInput('expires_in_days', `at most ${max} days are allowed`);
    const scope = normaliseScope(input.scope ?? {});
    compileIpAllow(scope);
    const { token, displayPrefix } = generateApiToken();
    const now = this.#now();
    const record: ApiTokenRecord = {
      id: randomUUID(),
      tokenHash: this.#o.hasher.hash(token),
      displayPrefix,
      name,
      ownerEmail: input.ownerEmail.trim().toLowerCase(),
      teamId: input.teamId ?? null,
      scope,
      createdAt: now,
      expiresAt: days === null ? null : now + Math.round(days * 86_400_000),
      revokedAt: null,
      lastUsedAt: null,
    };
    await this.#o.store.insert(record);
    return { token, record };
  }

  /**
   * Verifies a presented token (and the client address when given).
   * @throws SecurityError `TOKEN_INVALID` | `TOKEN_REVOKED` | `TOKEN_EXPIRED` (401) | `IP_NOT_ALLOWED` (403)
   */
  async verify(token: string, clientIp?: string): Promise<VerifiedApiToken> {
    if (!isApiTokenFormat(token)) {
      throw new SecurityError('TOKEN_INVALID', 'invalid API token', { details: { reason: 'malformed' } });
    }
    const record = await this.#o.store.findByHash(this.#o.hasher.hash(token));
    if (!record)
      throw new SecurityError('TOKEN_INVALID', 'invalid API token', { details: { reason: 'unknown' } });
    if (record.revokedAt !== null)
      throw new SecurityError('TOKEN_REVOKED', 'API token has been revoked', {
        details: { reason: 'revoked' },
      });
    if (record.expiresAt !== null && record.expiresAt <= this.#now()) {
      throw new SecurityError('TOKEN_EXPIRED', 'API token has expired', { details: { reason: 'expired' } });
    }
    const verified: VerifiedApiToken = {
      id: record.id,
      ownerEmail: record.ownerEmail,
      teamId: record.teamId,
      scope: record.scope,
      expiresAt: record.expiresAt,
      ipAllow: compileIpAllow(record.scope),
    };
    if (clientIp !== undefined) checkApiTokenIp(verified, clientIp);
    this.#o.tracker?.touch(record.id);
    return verified;
  }

  /** Records a use of an already-verified (cached) token. */
  touch(id: string): void {
    this.#o.tracker?.touch(id);
  }

  /** Revokes token `id`; false when it does not exist. */
  revoke(id: string, by?: string): Promise<boolean> {
    return this.#o.store.revoke(id, this.#now(), by);
  }
}

/**
 * Throws unless `clientIp` is allowed by the token's IP restrictions (run on every request, cached or not).
 * @throws SecurityError `IP_NOT_ALLOWED` (403)
 */
export function checkApiTokenIp(token: Pick<VerifiedApiToken, 'ipAllow'>, clientIp: string): void {
  if (token.ipAllow && !token.ipAllow.has(clientIp)) {
    throw new SecurityError('IP_NOT_ALLOWED', `API token may not be used from ${clientIp}`, {
      details: { reason: 'ip' },
    });
  }
}

function normaliseScope(scope: ApiTokenScope): ApiTokenScope {
  const strings = (v: unknown, field: string): string[] => {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string'))
      throw invalidInput(field, 'expected a list of strings');
    return v.map((s) => s.trim()).filter(Boolean);
  };
  const servers =
    scope.serverIds === undefined || scope.serverIds === null
      ? null
      : strings(scope.serverIds, 'scope.server_ids');
  return Object.freeze({
    serverIds: servers,
    permissions: strings(scope.permissions, 'scope.permissions'),
    ipRestrictions: strings(scope.ipRestrictions, 'scope.ip_restrictions'),
  });
}

function compileIpAllow(scope: ApiTokenScope): CidrSet | undefined {
  if (!scope.ipRestrictions || scope.ipRestrictions.length === 0) return undefined;
  try {
    return new CidrSet(scope.ipRestrictions, 'scope.ip_restrictions');
  } catch (err) {
    if (isSecurityError(err))
      throw new SecurityError('VALIDATION_FAILED', err.message, {
        field: err.field ?? 'scope.ip_restrictions',
      });
    throw err;
  }
}

function invalidInput(field: string, message: string): SecurityError {
  return new SecurityError('VALIDATION_FAILED', `${field}: ${message}`, { field });
}
