import { uniqueName } from '@contextforge-internal/test-support';
import { sql } from 'kysely';
import { connectDatabase, type GatewayDatabase } from '../src/db/connect-database.js';
import type { DialectKind } from '../src/db/database-url.js';

/** A throw-away database of one dialect: created fresh, dropped by `drop()`. */
export interface ScratchDatabase {
  kind: DialectKind;
  url: string;
  drop(): Promise<void>;
}

const PG_ADMIN = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MY_ADMIN = process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306/test';

/**
 * Creates a uniquely named database on the shared PostgreSQL/MariaDB server (or a SQLite file in a temp
 * folder) so suites never see each other's tables.
 */
export async function scratchDatabase(kind: DialectKind, dir?: string): Promise<ScratchDatabase> {
  const name = uniqueName('cf_core');
  if (kind === 'sqlite') {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const folder = dir ?? mkdtempSync(join(tmpdir(), 'cf-core-'));
    return {
      kind,
      url: `sqlite:///${join(folder, `${name}.db`)}`,
      drop: async () => rmSync(folder, { recursive: true, force: true }),
    };
  }
  const adminUrl = kind === 'postgres' ? PG_ADMIN : MY_ADMIN;
  const admin = await adminConnection(adminUrl);
  await sql.raw(`create database ${name}`).execute(admin.db);
  await admin.close();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    async drop() {
      const again = await adminConnection(adminUrl);
      const force = kind === 'postgres' ? ' with (force)' : '';
      await sql.raw(`drop database if exists ${name}${force}`).execute(again.db);
      await again.close();
    },
  };
}

function adminConnection(url: string): Promise<GatewayDatabase> {
  return connectDatabase({ url, poolSize: 1, maxRetries: 0, retryIntervalMs: 0 });
}
