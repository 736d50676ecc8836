import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../../registry/common/json-column.js';
import type { ApiTokenRecord, ApiTokenStore } from '../../security/api-tokens/api-token-store.js';
import type { ApiTokensTable } from '../db/auth-schema.js';
import { iso, ms, type StoreContext } from './store-context.js';

/** Descriptive fields of a token that authentication does not need. */
export interface ApiTokenMeta {
  description?: string | null;
  tags?: readonly string[];
}

/** A stored token with its descriptive fields and revocation facts (for listings; never the secret). */
export interface ApiTokenInfo extends ApiTokenRecord {
  readonly description: string | null;
  readonly tags: readonly string[];
  readonly revokedBy: string | null;
  readonly revocationReason: string | null;
}

/** Which tokens to list. */
export interface ApiTokenQuery {
  ownerEmail?: string;
  teamId?: string;
  includeInactive?: boolean;
  limit: number;
  offset: number;
}

function toRecord(row: Selectable<ApiTokensTable>): ApiTokenInfo {
  const servers = row.server_ids === null ? null : fromJson<string[]>(row.server_ids, []);
  return {
    id: row.id,
    tokenHash: row.token_hash,
    displayPrefix: row.display_prefix,
    name: row.name,
    ownerEmail: row.owner_email,
    teamId: row.team_id,
    scope: {
      serverIds: servers,
      permissions: fromJson<string[]>(row.permissions, []),
      ipRestrictions: fromJson<string[]>(row.ip_restrictions, []),
    },
    createdAt: ms(row.created_at)!,
    expiresAt: ms(row.expires_at),
    revokedAt: ms(row.revoked_at),
    lastUsedAt: ms(row.last_used_at),
    description: row.description,
    tags: fromJson<string[]>(row.tags, []),
    revokedBy: row.revoked_by,
    revocationReason: row.revocation_reason,
  };
}

/**
 * API tokens in `api_tokens`: authentication looks a token up by its unique HMAC hash; names are unique
 * per owner among live tokens (`active_name` is cleared on revocation); last-used times arrive in batches.
 */
export class DbApiTokenStore implements ApiTokenStore {
  constructor(private readonly ctx: StoreContext) {}

  async findByHash(tokenHash: string): Promise<ApiTokenRecord | undefined> {
    const row = await this.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  insert(record: ApiTokenRecord): Promise<void> {
    return this.insertWithMeta(record, {});
  }

  /** Stores a new token with its description and tags. */
  async insertWithMeta(record: ApiTokenRecord, meta: ApiTokenMeta): Promise<void> {
    await this.ctx.db
      .insertInto('api_tokens')
      .values({
        id: record.id,
        token_hash: record.tokenHash,
        display_prefix: record.displayPrefix,
        name: record.name,
        active_name: record.revokedAt === null ? record.name : null,
        description: meta.description ?? null,
        owner_email: record.ownerEmail,
        team_id: record.teamId,
        server_ids: record.scope.serverIds ? toJson(record.scope.serverIds) : null,
        permissions: toJson(record.scope.permissions ?? []),
        ip_restrictions: toJson(record.scope.ipRestrictions ?? []),
        tags: toJson(meta.tags ?? []),
        created_at: iso(record.createdAt),
        expires_at: record.expiresAt === null ? null : iso(record.expiresAt),
        revoked_at: record.revokedAt === null ? null : iso(record.revokedAt),
        revoked_by: null,
        revocation_reason: null,
        last_used_at: null,
      })
      .execute();
  }

  revoke(id: string, at: number, by?: string): Promise<boolean> {
    return this.revokeWithReason(id, at, by);
  }

  /** Marks a token revoked (idempotent: the first revocation's facts stay); false when it does not exist. */
  async revokeWithReason(id: string, at: number, by?: string, reason?: string): Promise<boolean> {
    const exists = await this.ctx.db
      .selectFrom('api_tokens')
      .select('id')
      .where('id', '=', id)
      .executeTakeFirst();
    if (!exists) return false;
    await this.ctx.db
      .updateTable('api_tokens')
      .set({
        revoked_at: iso(at),
        revoked_by: by ?? null,
        revocation_reason: reason?.slice(0, 255) ?? null,
        active_name: null,
      })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .execute();
    return true;
  }

  async touchLastUsed(entries: ReadonlyArray<{ id: string; at: number }>): Promise<void> {
    if (entries.length === 0) return;
    await this.ctx.db.transaction().execute(async (trx) => {
      for (const { id, at } of entries) {
        await trx
          .updateTable('api_tokens')
          .set({ last_used_at: iso(at) })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', iso(at))]))
          .execute();
      }
    });
  }

  /** One token (any state) by id. */
  async get(id: string): Promise<ApiTokenInfo | undefined> {
    const row = await this.ctx.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Tokens, newest first, filtered by owner and/or team; live ones only unless `includeInactive`. */
  async list(query: ApiTokenQuery, now: number = Date.now()): Promise<ApiTokenInfo[]> {
    let q = this.ctx.db.selectFrom('api_tokens').selectAll();
    if (query.ownerEmail !== undefined) q = q.where('owner_email', '=', query.ownerEmail);
    if (query.teamId !== undefined) q = q.where('team_id', '=', query.teamId);
    if (!query.includeInactive) {
      q = q
        .where('revoked_at', 'is', null)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', iso(now))]));
    }
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(query.limit)
      .offset(query.offset)
      .execute();
    return rows.map(toRecord);
  }

  /** Updates a live token's name, description or tags. @returns false when no live token has this id */
  async updateMeta(
    id: string,
    changes: { name?: string; description?: string | null; tags?: readonly string[] },
  ): Promise<boolean> {
    if (changes.name === undefined && changes.description === undefined && changes.tags === undefined) {
      const token = await this.get(id);
      return token !== undefined && token.revokedAt === null;
    }
    const result = await this.ctx.db
      .updateTable('api_tokens')
      .set({
        ...(changes.name !== undefined ? { name: changes.name, active_name: changes.name } : {}),
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.tags !== undefined ? { tags: toJson(changes.tags) } : {}),
      })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
