import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../../registry/common/json-column.js';
import type { OAuthClientsTable } from '../db/auth-schema.js';
import { iso, type StoreContext } from './store-context.js';

/** A client registration made by the gateway (RFC 7591), secrets decrypted. */
export interface RegisteredOAuthClient {
  id: string;
  gatewayId: string;
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  registrationAccessToken: string | null;
  registrationClientUri: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: string;
  createdAt: string;
}

/** Dynamic client registrations in `oauth_clients` (client secret and registration token encrypted). */
export class OAuthClientStore {
  constructor(private readonly ctx: StoreContext) {}

  async find(gatewayId: string, issuer: string): Promise<RegisteredOAuthClient | undefined> {
    const row = await this.ctx.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('gateway_id', '=', gatewayId)
      .where('issuer', '=', issuer)
      .executeTakeFirst();
    return row ? this.#map(row) : undefined;
  }

  async get(id: string): Promise<RegisteredOAuthClient | undefined> {
    const row = await this.ctx.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#map(row) : undefined;
  }

  /** Registrations, optionally of one gateway. */
  async list(gatewayId?: string): Promise<RegisteredOAuthClient[]> {
    let q = this.ctx.db.selectFrom('oauth_clients').selectAll();
    if (gatewayId !== undefined) q = q.where('gateway_id', '=', gatewayId);
    return (await q.orderBy('created_at').execute()).map((r) => this.#map(r));
  }

  async insert(c: Omit<RegisteredOAuthClient, 'id' | 'createdAt'>): Promise<RegisteredOAuthClient> {
    const now = iso(Date.now());
    const id = randomUUID();
    await this.ctx.db
      .insertInto('oauth_clients')
      .values({
        id,
        gateway_id: c.gatewayId,
        issuer: c.issuer,
        client_id: c.clientId,
        client_secret_enc: c.clientSecret ? this.ctx.box.encrypt(c.clientSecret) : null,
        registration_access_token_enc: c.registrationAccessToken
          ? this.ctx.box.encrypt(c.registrationAccessToken)
          : null,
        registration_client_uri: c.registrationClientUri,
        redirect_uris: toJson(c.redirectUris),
        token_endpoint_auth_method: c.tokenEndpointAuthMethod,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return (await this.get(id))!;
  }

  async delete(id: string): Promise<boolean> {
    const r = await this.ctx.db.deleteFrom('oauth_clients').where('id', '=', id).executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  #map(r: Selectable<OAuthClientsTable>): RegisteredOAuthClient {
    return {
      id: r.id,
      gatewayId: r.gateway_id,
      issuer: r.issuer,
      clientId: r.client_id,
      clientSecret: r.client_secret_enc ? this.ctx.box.decrypt(r.client_secret_enc) : null,
      registrationAccessToken: r.registration_access_token_enc
        ? this.ctx.box.decrypt(r.registration_access_token_enc)
        : null,
      registrationClientUri: r.registration_client_uri,
      redirectUris: fromJson<string[]>(r.redirect_uris, []),
      tokenEndpointAuthMethod: r.token_endpoint_auth_method,
      createdAt: r.created_at,
    };
  }
}
