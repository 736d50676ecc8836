import { GatewayError, isGatewayError } from '../errors.js';

/** What kind of constraint a driver error reports, if any. */
export type ConstraintKind = 'unique' | 'foreign_key' | 'too_long' | null;

/** Recognises unique and foreign-key violations from better-sqlite3, node-postgres and mysql2. */
export function constraintKind(error: unknown): ConstraintKind {
  const e = error as { code?: unknown; errno?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
  if (code === '23505' || code === 'ER_DUP_ENTRY' || e?.errno === 1062) return 'unique';
  if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') return 'foreign_key';
  if (code === 'ER_NO_REFERENCED_ROW_2' || code === 'ER_ROW_IS_REFERENCED_2') return 'foreign_key';
  if (code === 'ER_DATA_TOO_LONG' || code === '22001' || code === 'SQLITE_TOOBIG') return 'too_long';
  return null;
}

/**
 * Maps a storage error raised during a write to a caller-facing error. Services check uniqueness and
 * references before writing, so this only catches races (two writers at once); anything else is a
 * storage failure, reported without SQL details.
 */
export function mapWriteError(error: unknown, entity: string): GatewayError {
  if (isGatewayError(error)) return error;
  const kind = constraintKind(error);
  if (kind === 'unique') {
    return new GatewayError(
      'CONFLICT',
      `${entity} conflicts with an existing one (a unique field is taken)`,
      {
        cause: error,
      },
    );
  }
  if (kind === 'foreign_key') {
    return new GatewayError('UNPROCESSABLE', `${entity} refers to an entity that no longer exists`, {
      cause: error,
    });
  }
  if (kind === 'too_long') {
    return new GatewayError('PAYLOAD_TOO_LARGE', `${entity} has a value too large for storage`, {
      cause: error,
    });
  }
  return new GatewayError('DB_UNAVAILABLE', `storing the ${entity} failed: the database reported an error`, {
    cause: error,
  });
}
