import type { Kysely } from 'kysely';
import type { SecretBox } from '../../crypto/secret-box.js';
import type { Database } from '../../db/schema.js';
import { GatewayError } from '../../errors.js';

/** Every column holding SecretBox ciphertext, with the key columns of its table. */
const ENCRYPTED: ReadonlyArray<{
  table: keyof Database;
  key: readonly string[];
  columns: readonly string[];
}> = [
  { table: 'gateways', key: ['id'], columns: ['auth_value'] },
  { table: 'tools', key: ['id'], columns: ['auth_value'] },
  { table: 'oauth_tokens', key: ['id'], columns: ['access_token_enc', 'refresh_token_enc'] },
  { table: 'oauth_states', key: ['state'], columns: ['code_verifier_enc'] },
  { table: 'oauth_clients', key: ['id'], columns: ['client_secret_enc', 'registration_access_token_enc'] },
  { table: 'sso_providers', key: ['id'], columns: ['client_secret_enc'] },
  { table: 'auth_keys', key: ['name'], columns: ['value_enc'] },
];

/** How many values were re-encrypted, per table. */
export type RotationReport = Record<string, number>;

/**
 * Re-encrypts every stored secret from `from` (the current AUTH_ENCRYPTION_SECRET) to `to` (the new one) in
 * one transaction: either every value moves to the new key or none does. Values already under the new key
 * are left alone, so an interrupted rotation can be run again. API tokens keep working (their pepper is a
 * stored key, re-encrypted like the rest).
 *
 * @throws GatewayError CRYPTO_FAILED naming the table, column and row of a value neither key can open
 */
export async function rotateEncryptionKey(
  db: Kysely<Database>,
  from: SecretBox,
  to: SecretBox,
): Promise<RotationReport> {
  if (from.keyId === to.keyId)
    throw new GatewayError('BAD_REQUEST', 'the new secret is the same key as the current one');
  return db.transaction().execute(async (trx) => {
    const report: RotationReport = {};
    for (const { table, key, columns } of ENCRYPTED) {
      // biome-ignore lint/suspicious/noExplicitAny: generic over the tables listed above.
      const rows = (await (trx as Kysely<any>)
        .selectFrom(table)
        .select([...key, ...columns])
        .execute()) as Array<Record<string, string | null>>;
      let changed = 0;
      for (const row of rows) {
        const set: Record<string, string> = {};
        for (const column of columns) {
          const value = row[column];
          if (value === null || value === undefined || to.canDecrypt(value)) continue;
          try {
            set[column] = to.encrypt(from.decrypt(value));
          } catch (cause) {
            throw new GatewayError(
              'CRYPTO_FAILED',
              `${table}.${column} of ${key.map((k) => `${k}=${row[k]}`).join(',')} cannot be decrypted with the current AUTH_ENCRYPTION_SECRET`,
              { cause },
            );
          }
        }
        if (Object.keys(set).length === 0) continue;
        // biome-ignore lint/suspicious/noExplicitAny: see above.
        let update = (trx as Kysely<any>).updateTable(table).set(set);
        for (const k of key) update = update.where(k, '=', row[k]);
        await update.execute();
        changed += Object.keys(set).length;
      }
      report[table] = changed;
    }
    return report;
  });
}
