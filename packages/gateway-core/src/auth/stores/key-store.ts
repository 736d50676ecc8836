import { randomBytes } from 'node:crypto';
import { insertIgnore, iso, type StoreContext } from './store-context.js';

/** Names of the keys the gateway generates for itself. */
export type GeneratedKeyName = 'jwt_hmac_secret' | 'api_token_pepper' | 'gateway_instance_id';

/**
 * Keys the gateway generates once and shares between replicas through the database (`auth_keys`),
 * encrypted with AUTH_ENCRYPTION_SECRET: the JWT HMAC key when JWT_SECRET_KEY is unset, and the API-token
 * pepper (independent of AUTH_ENCRYPTION_SECRET, so rotating that secret keeps API tokens valid).
 */
export class KeyStore {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * The key named `name`, created with 32 random bytes (base64url) on first use. Concurrent first calls on
   * several replicas agree: only one insert wins and everyone reads the winner.
   */
  async getOrCreate(name: GeneratedKeyName): Promise<string> {
    const existing = await this.#read(name);
    if (existing !== undefined) return existing;
    await insertIgnore(this.ctx, 'auth_keys', {
      name,
      value_enc: this.ctx.box.encrypt(randomBytes(32).toString('base64url')),
      created_at: iso(Date.now()),
    });
    const created = await this.#read(name);
    if (created === undefined) throw new Error(`auth key ${name} could not be stored`);
    return created;
  }

  async #read(name: GeneratedKeyName): Promise<string | undefined> {
    const row = await this.ctx.db
      .selectFrom('auth_keys')
      .select('value_enc')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? this.ctx.box.decrypt(row.value_enc) : undefined;
  }
}
