import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { configJsonSchema, describeSettings } from './config-schema.js';
import { loadConfig, parseConfig } from './load-config.js';

function problemOf(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('CONFIG_INVALID');
    return (error as GatewayError).message;
  }
  throw new Error('expected a configuration error');
}

describe('configuration', () => {
  it('defaults to loopback, port 4444, a SQLite file and the in-process cache', () => {
    const { config, warnings } = parseConfig({});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 4444,
      DATABASE_URL: 'sqlite:///./contextforge.db',
      CACHE_TYPE: 'memory',
      GATEWAY_TOOL_NAME_SEPARATOR: '-',
      MCPGATEWAY_UI_ENABLED: false,
    });
    expect(warnings.join('\n')).toContain('AUTH_ENCRYPTION_SECRET is not set');
  });

  it('names the variable, the expected form and the received value of a bad setting', () => {
    expect(problemOf({ PORT: 'eighty' })).toContain(
      'PORT: expected an integer from 0 to 65535, received "eighty"',
    );
    expect(problemOf({ MCPGATEWAY_UI_ENABLED: 'maybe' })).toContain(
      'MCPGATEWAY_UI_ENABLED: expected true or false, received "maybe"',
    );
    expect(problemOf({ CACHE_TYPE: 'disk' })).toContain(
      'CACHE_TYPE: expected one of memory|redis|none|database, received "disk"',
    );
    expect(problemOf({ DATABASE_URL: 'oracle://x' })).toContain(
      'DATABASE_URL: expected a URL starting with sqlite:',
    );
    expect(problemOf({ GATEWAY_TOOL_NAME_SEPARATOR: '/' })).toContain('GATEWAY_TOOL_NAME_SEPARATOR');
  });

  it('lists every bad variable in one message and never echoes a secret', () => {
    const message = problemOf({
      PORT: '-1',
      AUTH_ENCRYPTION_SECRET: 'short-but-secret',
      REDIS_URL: 'http://user:pw@host',
    });
    expect(message).toContain('PORT:');
    expect(message).toContain(
      'AUTH_ENCRYPTION_SECRET: expected a string of at least 32 characters, received <redacted>',
    );
    expect(message).toContain('REDIS_URL: expected a URL with scheme redis|rediss, received <redacted>');
    expect(message).not.toContain('short-but-secret');
    expect(message).not.toContain('pw@');
  });

  it('requires AUTH_ENCRYPTION_SECRET in production', () => {
    expect(problemOf({ ENVIRONMENT: 'production' })).toContain('AUTH_ENCRYPTION_SECRET');
  });

  it("reads ContextForge's spellings: CACHE_TYPE=database and Python log levels", () => {
    const { config, warnings } = parseConfig({ CACHE_TYPE: 'database', LOG_LEVEL: 'WARNING' });
    expect(config.CACHE_TYPE).toBe('memory');
    expect(config.LOG_LEVEL).toBe('warn');
    expect(warnings.join('\n')).toContain('CACHE_TYPE=database');
  });

  it('reads a .env file, with the process environment taking precedence, and treats empty values as unset', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-config-'));
    const file = join(dir, '.env');
    writeFileSync(file, '# comment\nPORT=5555\nHOST="0.0.0.0"\nLOG_LEVEL=debug\nDB_POOL_SIZE=\n');
    const { config } = loadConfig({ envFile: file, env: { LOG_LEVEL: 'error' } });
    expect(config).toMatchObject({ PORT: 5555, HOST: '0.0.0.0', LOG_LEVEL: 'error', DB_POOL_SIZE: 10 });
    expect(() => loadConfig({ envFile: join(dir, 'missing.env'), env: {} })).toThrow(/does not exist/);
  });

  it('checks WELL_KNOWN_CUSTOM_FILES and the page size limits against each other', () => {
    expect(problemOf({ WELL_KNOWN_CUSTOM_FILES: '{"../x": "y"}' })).toContain('bad file name');
    expect(problemOf({ PAGINATION_DEFAULT_PAGE_SIZE: '600' })).toContain(
      'PAGINATION_DEFAULT_PAGE_SIZE: expected at most PAGINATION_MAX_PAGE_SIZE',
    );
  });

  it('publishes a JSON Schema and a settings table covering every setting', () => {
    const schema = configJsonSchema() as {
      properties: Record<string, { type?: string; default?: unknown; writeOnly?: boolean }>;
    };
    expect(schema.properties.PORT).toMatchObject({ type: 'integer', default: 4444 });
    expect(schema.properties.JWT_SECRET_KEY?.writeOnly).toBe(true);
    expect(Object.keys(schema.properties)).toEqual(describeSettings().map((s) => s.name));
  });
});

describe('documentation', () => {
  it('the README settings table lists every setting with its default', async () => {
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const setting of describeSettings()) {
      expect(readme).toContain(`| \`${setting.name}\` | ${setting.default === undefined ? '(unset)' : '`'}`);
    }
  });
});
