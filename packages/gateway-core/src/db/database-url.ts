import { GatewayError } from '../errors.js';
import { redactUrl } from '../observability/logger.js';

/** The SQL dialects the gateway runs on. */
export type DialectKind = 'sqlite' | 'postgres' | 'mysql';

/** A parsed `DATABASE_URL`. */
export interface DatabaseTarget {
  kind: DialectKind;
  /** SQLite file path (or `:memory:`). */
  path?: string;
  /** Driver connection string for PostgreSQL/MySQL (SQLAlchemy `+driver` suffixes removed). */
  connectionString?: string;
  /** The URL with its password hidden, for logs. */
  display: string;
}

/**
 * Parses `DATABASE_URL` in ContextForge's forms as well as plain ones:
 * `sqlite:///./rel.db`, `sqlite:////abs.db`, `sqlite:rel.db`, `sqlite::memory:`,
 * `postgresql[+psycopg]://…`, `postgres://…`, `mysql[+pymysql]://…`, `mariadb://…`.
 *
 * @throws GatewayError CONFIG_INVALID for another scheme or an empty SQLite path.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const scheme = /^([a-z]+)(\+[a-z0-9]+)?:/i.exec(url);
  const base = scheme?.[1]?.toLowerCase();
  const rest = scheme ? url.slice(scheme[0].length) : '';
  if (base === 'sqlite') {
    const path = sqlitePath(rest);
    if (!path) throw invalid(url, 'the SQLite file path is empty');
    return { kind: 'sqlite', path, display: `sqlite:${path}` };
  }
  if (base === 'postgres' || base === 'postgresql') {
    const connectionString = `postgres:${rest}`;
    return { kind: 'postgres', connectionString, display: redactUrl(connectionString) };
  }
  if (base === 'mysql' || base === 'mariadb') {
    const connectionString = `mysql:${rest}`;
    return { kind: 'mysql', connectionString, display: redactUrl(connectionString) };
  }
  throw invalid(url, 'the scheme is not sqlite, postgresql, mysql or mariadb');
}

function sqlitePath(rest: string): string {
  const withoutQuery = rest.split('?')[0] ?? '';
  if (withoutQuery === ':memory:' || withoutQuery === '//:memory:' || withoutQuery === '///:memory:') {
    return ':memory:';
  }
  // SQLAlchemy: three slashes then a relative path, four slashes for an absolute one.
  if (withoutQuery.startsWith('///')) return withoutQuery.slice(3);
  if (withoutQuery.startsWith('//')) return withoutQuery.slice(2);
  return withoutQuery;
}

function invalid(url: string, why: string): GatewayError {
  return new GatewayError(
    'CONFIG_INVALID',
    `DATABASE_URL: expected sqlite:///file.db, postgresql://… or mysql://…, received ${JSON.stringify(redactUrl(url))} (${why})`,
  );
}
