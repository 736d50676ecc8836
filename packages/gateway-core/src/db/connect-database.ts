import { setTimeout as sleep } from 'node:timers/promises';
import { Kysely, sql } from 'kysely';
import { GatewayError } from '../errors.js';
import type { GatewayLogger } from '../observability/logger.js';
import { createDialect } from './create-dialect.js';
import { type DatabaseTarget, type DialectKind, parseDatabaseUrl } from './database-url.js';
import type { Database } from './schema.js';

/** An open database: the kysely instance and what it points at. */
export interface GatewayDatabase {
  db: Kysely<Database>;
  kind: DialectKind;
  target: DatabaseTarget;
  /** True when a trivial query succeeds (health checks). */
  ping(): Promise<boolean>;
  /** Closes every pooled connection. */
  close(): Promise<void>;
}

/** Options of {@link connectDatabase}. */
export interface ConnectOptions {
  url: string;
  poolSize: number;
  maxRetries: number;
  retryIntervalMs: number;
  logger?: GatewayLogger;
}

const MAX_BACKOFF_MS = 30_000;
const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  '57P03', // PostgreSQL: cannot_connect_now (starting up)
  '53300', // PostgreSQL: too_many_connections
]);

/** True when `error` means "the database is not reachable yet" rather than "wrong settings". */
export function isRetryableConnectError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE_CODES.has(code)) return true;
    const nested = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(nested) && nested.some(isRetryableConnectError)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Opens the database named by `url` and checks it answers, retrying with exponential backoff
 * (`retryIntervalMs`, doubling, capped at 30 s) while it is unreachable. Errors that retrying cannot fix
 * (bad credentials, unknown database) fail at once.
 *
 * @throws GatewayError DB_UNAVAILABLE after the last attempt, or at once for a non-retryable error.
 */
export async function connectDatabase(options: ConnectOptions): Promise<GatewayDatabase> {
  const target = parseDatabaseUrl(options.url);
  const db = new Kysely<Database>({
    dialect: createDialect(target, {
      poolSize: options.poolSize,
      onPoolError: (error) => options.logger?.warn({ err: error.message }, 'database connection error'),
    }),
  });
  const ping = async () => {
    await sql`select 1`.execute(db);
  };
  for (let attempt = 1; ; attempt += 1) {
    try {
      await ping();
      break;
    } catch (error) {
      const retryable = isRetryableConnectError(error);
      if (!retryable || attempt > options.maxRetries) {
        await db.destroy().catch(() => undefined);
        const why = retryable ? `unreachable after ${attempt} attempts` : 'refused the connection';
        throw new GatewayError(
          'DB_UNAVAILABLE',
          `database ${target.display} ${why}: ${(error as Error).message || String(error)}`,
          { cause: error },
        );
      }
      const delay = Math.min(options.retryIntervalMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
      options.logger?.warn(
        { attempt, maxRetries: options.maxRetries, delayMs: delay, database: target.display },
        'database not reachable yet; retrying',
      );
      await sleep(delay);
    }
  }
  return {
    db,
    kind: target.kind,
    target,
    async ping() {
      try {
        await ping();
        return true;
      } catch {
        return false;
      }
    },
    close: () => db.destroy(),
  };
}
