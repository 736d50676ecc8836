import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../../registry/common/json-column.js';
import type { SsoProvidersTable } from '../db/auth-schema.js';
import { insertIgnore, iso, type StoreContext } from './store-context.js';

/** An SSO provider stored in the database (the client secret decrypted). */
export interface StoredSsoProvider {
  id: string;
  kind: 'oidc' | 'github';
  displayName: string;
  issuer: string | null;
  clientId: string;
  clientSecret: string | null;
  /** Scopes, claim paths, GitHub URLs, mapping rules, preset name. */
  settings: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

/** SSO identities (`sso_identities`) and API-managed SSO providers (`sso_providers`, secret encrypted). */
export class SsoStore {
  constructor(private readonly ctx: StoreContext) {}

  /** The user an external subject belongs to. */
  async userOf(provider: string, subject: string): Promise<string | undefined> {
    const row = await this.ctx.db
      .selectFrom('sso_identities')
      .select('user_email')
      .where('provider', '=', provider)
      .where('subject', '=', subject)
      .executeTakeFirst();
    return row?.user_email;
  }

  /** Links (or re-touches) an external subject to a user. */
  async link(provider: string, subject: string, userEmail: string): Promise<void> {
    const now = iso(Date.now());
    const inserted = await insertIgnore(this.ctx, 'sso_identities', {
      provider,
      subject,
      user_email: userEmail,
      created_at: now,
      last_login_at: now,
    });
    if (!inserted) {
      await this.ctx.db
        .updateTable('sso_identities')
        .set({ last_login_at: now })
        .where('provider', '=', provider)
        .where('subject', '=', subject)
        .execute();
    }
  }

  async listProviders(): Promise<StoredSsoProvider[]> {
    const rows = await this.ctx.db.selectFrom('sso_providers').selectAll().orderBy('id').execute();
    return rows.map((r) => this.#toProvider(r));
  }

  async getProvider(id: string): Promise<StoredSsoProvider | undefined> {
    const row = await this.ctx.db
      .selectFrom('sso_providers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#toProvider(row) : undefined;
  }

  /** Creates or replaces a provider. */
  async saveProvider(p: Omit<StoredSsoProvider, 'createdAt' | 'updatedAt'>): Promise<StoredSsoProvider> {
    const now = iso(Date.now());
    const values = {
      kind: p.kind,
      display_name: p.displayName,
      issuer: p.issuer,
      client_id: p.clientId,
      client_secret_enc: p.clientSecret ? this.ctx.box.encrypt(p.clientSecret) : null,
      settings: toJson(p.settings),
      enabled: p.enabled ? 1 : 0,
      updated_at: now,
    };
    const updated = await this.ctx.db
      .updateTable('sso_providers')
      .set(values)
      .where('id', '=', p.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      await this.ctx.db
        .insertInto('sso_providers')
        .values({ id: p.id, created_at: now, ...values })
        .execute();
    }
    return (await this.getProvider(p.id))!;
  }

  async deleteProvider(id: string): Promise<boolean> {
    const r = await this.ctx.db.deleteFrom('sso_providers').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  #toProvider(r: Selectable<SsoProvidersTable>): StoredSsoProvider {
    return {
      id: r.id,
      kind: r.kind === 'github' ? 'github' : 'oidc',
      displayName: r.display_name,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecret: r.client_secret_enc ? this.ctx.box.decrypt(r.client_secret_enc) : null,
      settings: fromJson<Record<string, unknown>>(r.settings, {}),
      enabled: Number(r.enabled) === 1,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  }
}
