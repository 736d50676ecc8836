import { migrateToLatest, pendingMigrations } from '@contextforge/gateway-core';
import { commandDatabase, configFor } from './load.js';

/** `contextforge migrate`: applies pending migrations (or, with `--status`, lists them) and exits. */
export async function migrateCommand(options: { envFile?: string; status?: boolean }): Promise<void> {
  const config = configFor(options.envFile);
  const database = await commandDatabase(config);
  try {
    if (options.status) {
      const pending = await pendingMigrations(database.db, database.kind);
      process.stdout.write(
        pending.length === 0
          ? `${database.target.display}: up to date\n`
          : `${database.target.display}: pending ${pending.join(', ')}\n`,
      );
      if (pending.length > 0) process.exitCode = 1;
      return;
    }
    const applied = await migrateToLatest(database.db, database.kind);
    process.stdout.write(
      applied.length === 0
        ? `${database.target.display}: already up to date\n`
        : `${database.target.display}: applied ${applied.join(', ')}\n`,
    );
  } finally {
    await database.close();
  }
}
