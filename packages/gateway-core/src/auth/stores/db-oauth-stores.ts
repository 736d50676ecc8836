import { randomUUID } from 'node:crypto';
import type {
  OAuthStateStore,
  OAuthTokenKey,
  OAuthTokenStore,
  PendingAuthorization,
} from '../../security/oauth/oauth-stores.js';
import type { TokenSet } from '../../security/oauth/token-endpoint.js';
import { iso, isUniqueViolation, ms, type StoreContext } from './store-context.js';

const userKey = (k: OAuthTokenKey) => k.userEmail ?? '';

/**
 * Upstream OAuth tokens in `oauth_tokens`, one row per (gateway, user) — `user_key` is the user's email
 * or `''` for the gateway's own client-credentials token. Access and refresh tokens are encrypted with the
 * gateway's SecretBox before they reach the database.
 */
export class DbOAuthTokenStore implements OAuthTokenStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: OAuthTokenKey): Promise<TokenSet | undefined> {
    const row = await this.ctx.db
      .selectFrom('oauth_tokens')
      .selectAll()
      .where('gateway_id', '=', key.gatewayId)
      .where('user_key', '=', userKey(key))
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      accessToken: this.ctx.box.decrypt(row.access_token_enc),
      tokenType: row.token_type,
      expiresAt: ms(row.expires_at),
      ...(row.refresh_token_enc ? { refreshToken: this.ctx.box.decrypt(row.refresh_token_enc) } : {}),
      ...(row.scope ? { scope: row.scope } : {}),
    };
  }

  async set(key: OAuthTokenKey, tokens: TokenSet): Promise<void> {
    const now = iso(this.now());
    const values = {
      access_token_enc: this.ctx.box.encrypt(tokens.accessToken),
      refresh_token_enc: tokens.refreshToken ? this.ctx.box.encrypt(tokens.refreshToken) : null,
      token_type: tokens.tokenType.slice(0, 32),
      scope: tokens.scope ?? null,
      expires_at: tokens.expiresAt === null ? null : iso(tokens.expiresAt),
      updated_at: now,
    };
    const update = async () => {
      const updated = await this.ctx.db
        .updateTable('oauth_tokens')
        .set(values)
        .where('gateway_id', '=', key.gatewayId)
        .where('user_key', '=', userKey(key))
        .executeTakeFirst();
      return Number(updated.numUpdatedRows) > 0;
    };
    if (await update()) return;
    try {
      await this.ctx.db
        .insertInto('oauth_tokens')
        .values({
          id: randomUUID(),
          gateway_id: key.gatewayId,
          user_key: userKey(key),
          user_email: key.userEmail,
          created_at: now,
          ...values,
        })
        .execute();
    } catch (error) {
      // Another replica inserted the row between our update and insert: update it instead.
      if (!isUniqueViolation(error) || !(await update())) throw error;
    }
  }

  async delete(key: OAuthTokenKey): Promise<void> {
    await this.ctx.db
      .deleteFrom('oauth_tokens')
      .where('gateway_id', '=', key.gatewayId)
      .where('user_key', '=', userKey(key))
      .execute();
  }

  /** Facts about the stored token of a (gateway, user), without decrypting anything. */
  async status(
    key: OAuthTokenKey,
  ): Promise<
    | { expiresAt: number | null; hasRefreshToken: boolean; scope: string | null; updatedAt: number }
    | undefined
  > {
    const row = await this.ctx.db
      .selectFrom('oauth_tokens')
      .select(['expires_at', 'refresh_token_enc', 'scope', 'updated_at'])
      .where('gateway_id', '=', key.gatewayId)
      .where('user_key', '=', userKey(key))
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      expiresAt: ms(row.expires_at),
      hasRefreshToken: row.refresh_token_enc !== null,
      scope: row.scope,
      updatedAt: ms(row.updated_at)!,
    };
  }
}

/**
 * Pending authorization states in `oauth_states`. `take` consumes a state exactly once across replicas:
 * the row is read, then deleted, and only the caller whose delete removed it gets it back.
 */
export class DbOAuthStateStore implements OAuthStateStore {
  constructor(private readonly ctx: StoreContext) {}

  async put(state: string, pending: PendingAuthorization): Promise<void> {
    await this.ctx.db
      .insertInto('oauth_states')
      .values({
        state,
        gateway_id: pending.gatewayId,
        user_email: pending.userEmail,
        code_verifier_enc: this.ctx.box.encrypt(pending.codeVerifier),
        redirect_uri: pending.redirectUri,
        nonce: pending.nonce ?? null,
        return_to: pending.returnTo ?? null,
        expires_at: iso(pending.expiresAt),
      })
      .execute();
  }

  async take(state: string, now: number): Promise<PendingAuthorization | undefined> {
    const row = await this.ctx.db
      .selectFrom('oauth_states')
      .selectAll()
      .where('state', '=', state)
      .executeTakeFirst();
    if (!row) return undefined;
    const removed = await this.ctx.db
      .deleteFrom('oauth_states')
      .where('state', '=', state)
      .executeTakeFirst();
    if (Number(removed.numDeletedRows) !== 1) return undefined; // another replica took it first
    const expiresAt = ms(row.expires_at)!;
    if (expiresAt <= now) return undefined;
    return {
      gatewayId: row.gateway_id,
      userEmail: row.user_email,
      codeVerifier: this.ctx.box.decrypt(row.code_verifier_enc),
      redirectUri: row.redirect_uri,
      ...(row.nonce ? { nonce: row.nonce } : {}),
      ...(row.return_to ? { returnTo: row.return_to } : {}),
      expiresAt,
    };
  }

  /** Deletes expired states; returns how many. */
  async purge(now: number): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('oauth_states')
      .where('expires_at', '<', iso(now))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
