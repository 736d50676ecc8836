import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from './database-url.js';

describe('DATABASE_URL', () => {
  it.each([
    ['sqlite:///./contextforge.db', './contextforge.db'],
    ['sqlite:///data/cf.db', 'data/cf.db'],
    ['sqlite:////var/lib/cf.db', '/var/lib/cf.db'],
    ['sqlite:cf.db', 'cf.db'],
    ['sqlite::memory:', ':memory:'],
  ])('reads the SQLite form %s', (url, path) => {
    expect(parseDatabaseUrl(url)).toMatchObject({ kind: 'sqlite', path });
  });

  it("accepts ContextForge's SQLAlchemy driver suffixes and hides passwords", () => {
    expect(parseDatabaseUrl('postgresql+psycopg://u:pw@db:5432/cf')).toMatchObject({
      kind: 'postgres',
      connectionString: 'postgres://u:pw@db:5432/cf',
      display: 'postgres://u:***@db:5432/cf',
    });
    expect(parseDatabaseUrl('mariadb://root@db/cf')).toMatchObject({
      kind: 'mysql',
      connectionString: 'mysql://root@db/cf',
    });
    expect(parseDatabaseUrl('mysql+pymysql://root@db/cf').kind).toBe('mysql');
  });

  it('rejects other schemes with a message that hides the password', () => {
    expect(() => parseDatabaseUrl('oracle://u:topsecret@db/x')).toThrow(
      /received "oracle:\/\/u:\*\*\*@db\/x"/,
    );
    expect(() => parseDatabaseUrl('sqlite://')).toThrow(/empty/);
  });
});
