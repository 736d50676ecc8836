/** What an API token may do beyond its owner's roles (ContextForge's token `scope`). */
export interface ApiTokenScope {
  /** Virtual server ids it may use; `null`/absent = any server the owner may use [scope.server_id]. */
  readonly serverIds?: readonly string[] | null;
  /** Permissions it is limited to; absent/empty = the owner's [scope.permissions]. */
  readonly permissions?: readonly string[];
  /** Client networks it may be used from (CIDR, IPv4/IPv6); absent/empty = anywhere [scope.ip_restrictions]. */
  readonly ipRestrictions?: readonly string[];
}

/** A stored API token. The token itself is never stored: only its HMAC `tokenHash`. */
export interface ApiTokenRecord {
  readonly id: string;
  /** HMAC-SHA256 hex of the token (unique index). */
  readonly tokenHash: string;
  /** `cfk_` + 8 characters, for display. */
  readonly displayPrefix: string;
  readonly name: string;
  /** Owner's email. */
  readonly ownerEmail: string;
  /** Team the token acts for (null = the owner's personal scope). */
  readonly teamId: string | null;
  readonly scope: ApiTokenScope;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms, or null for no expiry. */
  readonly expiresAt: number | null;
  /** Epoch ms when revoked, or null. */
  readonly revokedAt: number | null;
  /** Epoch ms of the last (debounced) use, or null. */
  readonly lastUsedAt: number | null;
}

/**
 * Storage of API tokens.
 *
 * DB-backed implementation: table `api_tokens` with columns `id` (varchar(36) pk), `token_hash`
 * (char(64), UNIQUE index — the authentication lookup), `display_prefix` (varchar(16)), `name`
 * (varchar(255)), `owner_email` (varchar(320), index), `team_id` (varchar(36) null, FK teams), `server_ids`
 * (json null), `permissions` (json, default []), `ip_restrictions` (json, default []), `created_at`,
 * `expires_at` (null), `revoked_at` (null), `revoked_by` (null), `last_used_at` (null) timestamps;
 * unique (`owner_email`, `name`) among non-revoked tokens.
 */
export interface ApiTokenStore {
  /** The token with this hash (revoked and expired ones included), or undefined. */
  findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** Stores a new token. */
  insert(record: ApiTokenRecord): Promise<void>;
  /** Marks a token revoked; returns false when no such token exists. */
  revoke(id: string, at: number, by?: string): Promise<boolean>;
  /** Writes last-used times in one batch (`UPDATE … SET last_used_at = ? WHERE id = ?` per entry). */
  touchLastUsed(entries: ReadonlyArray<{ id: string; at: number }>): Promise<void>;
}

/** In-memory {@link ApiTokenStore} for tests and single-process development. */
export class MemoryApiTokenStore implements ApiTokenStore {
  readonly #byHash = new Map<string, ApiTokenRecord>();
  readonly #byId = new Map<string, ApiTokenRecord>();
  /** Number of `touchLastUsed` calls, so callers can observe write batching. */
  touchCalls = 0;

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    return this.#byHash.get(tokenHash);
  }

  async insert(record: ApiTokenRecord): Promise<void> {
    this.#byHash.set(record.tokenHash, record);
    this.#byId.set(record.id, record);
  }

  async revoke(id: string, at: number): Promise<boolean> {
    const r = this.#byId.get(id);
    if (!r) return false;
    this.#put({ ...r, revokedAt: r.revokedAt ?? at });
    return true;
  }

  async touchLastUsed(entries: ReadonlyArray<{ id: string; at: number }>): Promise<void> {
    this.touchCalls++;
    for (const { id, at } of entries) {
      const r = this.#byId.get(id);
      if (r) this.#put({ ...r, lastUsedAt: Math.max(r.lastUsedAt ?? 0, at) });
    }
  }

  /** The record with this id (for tests and admin listings). */
  get(id: string): ApiTokenRecord | undefined {
    return this.#byId.get(id);
  }

  #put(r: ApiTokenRecord): void {
    this.#byHash.set(r.tokenHash, r);
    this.#byId.set(r.id, r);
  }
}
