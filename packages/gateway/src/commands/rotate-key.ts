import { migrateToLatest, rotateEncryptionKey, SecretBox } from '@contextforge/gateway-core';
import { commandDatabase, configFor } from './load.js';
import { secretArg } from './with-auth.js';

/**
 * `contextforge rotate-key`: re-encrypts every stored secret (upstream credentials, OAuth tokens and
 * client registrations, SSO client secrets, generated keys) from the current AUTH_ENCRYPTION_SECRET to a
 * new one, in one transaction. Afterwards, set AUTH_ENCRYPTION_SECRET to the new secret and restart.
 */
export async function rotateKeyCommand(o: { newSecret?: string; envFile?: string }): Promise<void> {
  const config = configFor(o.envFile);
  const raw = o.newSecret ?? process.env.NEW_AUTH_ENCRYPTION_SECRET;
  if (!raw) throw new Error('--new-secret (or NEW_AUTH_ENCRYPTION_SECRET) is required');
  const fresh = await secretArg(raw, '--new-secret');
  if (fresh.length < 32) throw new Error('--new-secret: expected at least 32 characters');
  if (!config.AUTH_ENCRYPTION_SECRET)
    throw new Error('AUTH_ENCRYPTION_SECRET: the current secret must be set to rotate from it');
  const database = await commandDatabase(config);
  try {
    await migrateToLatest(database.db, database.kind);
    const report = await rotateEncryptionKey(
      database.db,
      new SecretBox(config.AUTH_ENCRYPTION_SECRET),
      new SecretBox(fresh),
    );
    const total = Object.values(report).reduce((a, b) => a + b, 0);
    const parts = Object.entries(report)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t} ${n}`);
    process.stdout.write(
      `re-encrypted ${total} stored secrets${parts.length ? ` (${parts.join(', ')})` : ''}\nnow set AUTH_ENCRYPTION_SECRET to the new secret and restart every replica\n`,
    );
  } finally {
    await database.close();
  }
}
