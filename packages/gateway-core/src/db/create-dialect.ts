import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { type Dialect, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { createPool as createMysqlPool } from 'mysql2';
import pg from 'pg';
import type { DatabaseTarget } from './database-url.js';

/** Options for the driver pools. */
export interface DialectOptions {
  /** Maximum connections (PostgreSQL, MySQL). */
  poolSize: number;
  /** Called when an idle pooled connection fails (the pool replaces it; this only reports it). */
  onPoolError?: (error: Error) => void;
}

/**
 * Builds the kysely dialect for `target`: better-sqlite3 (WAL, foreign keys on, 5 s busy timeout),
 * node-postgres, or mysql2. Nothing connects yet except SQLite, which opens its file.
 */
export function createDialect(target: DatabaseTarget, options: DialectOptions): Dialect {
  switch (target.kind) {
    case 'sqlite': {
      const path = target.path ?? ':memory:';
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      const database = new SQLite(path);
      database.pragma('journal_mode = WAL');
      database.pragma('foreign_keys = ON');
      database.pragma('busy_timeout = 5000');
      database.pragma('synchronous = NORMAL');
      return new SqliteDialect({ database });
    }
    case 'postgres': {
      const pool = new pg.Pool({ connectionString: target.connectionString, max: options.poolSize });
      pool.on('error', (error) => options.onPoolError?.(error));
      return new PostgresDialect({ pool });
    }
    case 'mysql': {
      const pool = createMysqlPool({
        uri: target.connectionString,
        connectionLimit: options.poolSize,
        // Binary content comes back as Buffer; big integers stay exact.
        supportBigNumbers: true,
      });
      pool.on('connection', (connection) => connection.on('error', (error) => options.onPoolError?.(error)));
      return new MysqlDialect({ pool });
    }
  }
}
