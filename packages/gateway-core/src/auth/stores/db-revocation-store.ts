import type { RevocationEntry, TokenRevocationStore } from '../../security/jwt/revocation-store.js';
import { insertIgnore, iso, type StoreContext } from './store-context.js';

/**
 * Revoked JWT ids in `token_revocations`. `isRevoked` is one primary-key lookup (on the path of uncached
 * tokens only: the resolver caches verified tokens and is told about revocations directly).
 */
export class DbTokenRevocationStore implements TokenRevocationStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {}

  async isRevoked(jti: string): Promise<boolean> {
    const row = await this.ctx.db
      .selectFrom('token_revocations')
      .select('expires_at')
      .where('jti', '=', jti)
      .executeTakeFirst();
    // An entry whose token has expired anyway no longer matters (the verifier refuses expired tokens).
    return row !== undefined;
  }

  async revoke(entry: RevocationEntry): Promise<void> {
    await insertIgnore(this.ctx, 'token_revocations', {
      jti: entry.jti,
      revoked_at: iso(this.now()),
      expires_at: entry.expiresAt === null ? null : iso(entry.expiresAt),
      revoked_by: entry.revokedBy ?? null,
      reason: entry.reason?.slice(0, 255) ?? null,
    });
  }

  /** Deletes entries of tokens that have expired anyway; returns how many. */
  async purge(): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('token_revocations')
      .where('expires_at', 'is not', null)
      .where('expires_at', '<', iso(this.now()))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
