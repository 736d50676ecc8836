import type { z } from 'zod';
import { AUTH_SETTINGS } from '../auth/config/auth-settings.js';
import { MCP_SETTINGS } from './mcp-settings.js';
import { PLUGIN_SETTINGS } from './plugin-settings.js';
import { REVERSE_PROXY_SETTINGS } from './reverse-proxy-settings.js';
import {
  boolSetting,
  enumSetting,
  intSetting,
  optionalStringSetting,
  type Setting,
  stringSetting,
  urlSetting,
} from './setting.js';

const MIB = 1024 * 1024;

/**
 * Every setting the gateway reads from the environment, under ContextForge's names where ContextForge
 * has one (operators carry their `.env` over). Order here is the order of the README table.
 */
export const SETTINGS = {
  HOST: stringSetting('127.0.0.1', 'Interface to bind (0.0.0.0 for every interface). Loopback by default.'),
  PORT: intSetting(0, 65535, 4444, 'TCP port to listen on (0 picks a free port).'),
  ENVIRONMENT: enumSetting(
    ['development', 'staging', 'production'] as const,
    'development',
    'Deployment environment; production refuses insecure defaults.',
  ),
  DATABASE_URL: stringSetting(
    'sqlite:///./contextforge.db',
    'Database: sqlite:///relative/file.db, sqlite:////absolute/file.db, sqlite::memory:, postgresql://…, mysql://… (MariaDB too).',
    {
      re: /^(sqlite(\+\w+)?:|postgres(ql)?(\+\w+)?:\/\/|mysql(\+\w+)?:\/\/|mariadb(\+\w+)?:\/\/)/,
      expected: 'a URL starting with sqlite:, postgresql://, mysql:// or mariadb://',
    },
  ),
  DB_POOL_SIZE: intSetting(1, 1000, 10, 'Maximum database connections per process (PostgreSQL, MySQL).'),
  DB_MAX_RETRIES: intSetting(0, 1000, 10, 'Start-up connection attempts while the database is not yet up.'),
  DB_RETRY_INTERVAL_MS: intSetting(
    0,
    600_000,
    1000,
    'First delay between start-up connection attempts; doubles each attempt, capped at 30 s.',
  ),
  CACHE_TYPE: enumSetting(
    ['memory', 'redis', 'none', 'database'] as const,
    'memory',
    'Registry cache: memory (in-process LRU), redis (shared, invalidated across replicas), none. ContextForge\'s "database" is read as memory.',
  ),
  REDIS_URL: urlSetting(
    ['redis', 'rediss'],
    'redis://localhost:6379',
    'Redis URL, used when CACHE_TYPE=redis.',
    true,
  ),
  CACHE_PREFIX: stringSetting('mcpgw:', 'Prefix of every cache key and of the invalidation channel.'),
  CACHE_MAX_ENTRIES: intSetting(16, 10_000_000, 10_000, 'Entries kept in the in-process LRU.'),
  REGISTRY_CACHE_TTL: intSetting(
    0,
    86_400,
    60,
    'Seconds a cached registry entry lives (0 disables caching).',
  ),
  LOG_LEVEL: enumSetting(
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const,
    'info',
    'Log level (ContextForge spellings DEBUG, INFO, WARNING, ERROR, CRITICAL are accepted).',
  ),
  JWT_SECRET_KEY: optionalStringSetting(
    'HMAC secret of gateway JWTs (HS*). Unset: a random key generated once and stored encrypted in the database. Required in production.',
    true,
  ),
  AUTH_ENCRYPTION_SECRET: optionalStringSetting(
    'Key material for AES-256-GCM encryption of stored upstream credentials (≥ 32 characters). Required in production; development falls back to an insecure fixed key with a warning.',
    true,
    32,
  ),
  PLATFORM_ADMIN_EMAIL: stringSetting('admin@example.com', 'E-mail of the bootstrap platform administrator.'),
  PLATFORM_ADMIN_PASSWORD: optionalStringSetting(
    'Password of the bootstrap platform administrator, created at first start. Unset in development: a random one is generated and printed once; required in production.',
    true,
  ),
  MCPGATEWAY_UI_ENABLED: boolSetting(
    false,
    'Mount the admin UI (when @contextforge/gateway-ui is installed).',
  ),
  MCPGATEWAY_ADMIN_API_ENABLED: boolSetting(false, 'Enable the admin API.'),
  HEALTH_CHECK_INTERVAL: intSetting(1, 86_400, 60, 'Seconds between upstream gateway health checks.'),
  HEALTH_CHECK_TIMEOUT: intSetting(1, 3600, 30, 'Seconds before an upstream health check fails.'),
  UNHEALTHY_THRESHOLD: intSetting(
    1,
    1000,
    3,
    'Consecutive failed health checks before a gateway is unreachable.',
  ),
  GATEWAY_TOOL_NAME_SEPARATOR: stringSetting(
    '-',
    'Separator between a gateway slug and a tool name (`<gateway-slug><sep><tool>`).',
    { re: /^[-_.]{1,3}$/, expected: '1 to 3 characters from - _ .' },
  ),
  MAX_BODY_SIZE: intSetting(
    1024,
    1024 * MIB,
    MIB,
    'Largest accepted request body in bytes (import excepted).',
  ),
  IMPORT_MAX_BODY_SIZE: intSetting(1024, 4096 * MIB, 50 * MIB, 'Largest accepted import bundle in bytes.'),
  CONTENT_MAX_RESOURCE_SIZE: intSetting(1, 1024 * MIB, 100 * 1024, 'Largest resource content in bytes.'),
  CONTENT_MAX_PROMPT_SIZE: intSetting(1, 64 * MIB, 10 * 1024, 'Largest prompt template in bytes.'),
  PROMPT_RENDER_TIMEOUT_MS: intSetting(10, 60_000, 2000, 'A prompt render running longer is stopped.'),
  PROMPT_RENDER_MAX_OUTPUT: intSetting(1024, 256 * MIB, MIB, 'Largest rendered prompt in characters.'),
  PAGINATION_DEFAULT_PAGE_SIZE: intSetting(1, 10_000, 50, 'Items per page when `limit` is not given.'),
  PAGINATION_MAX_PAGE_SIZE: intSetting(1, 10_000, 500, 'Largest accepted `limit`.'),
  ENABLE_METRICS: boolSetting(true, 'Serve Prometheus metrics at /metrics.'),
  WELL_KNOWN_ENABLED: boolSetting(true, 'Serve /.well-known/* files.'),
  WELL_KNOWN_ROBOTS_TXT: stringSetting('User-agent: *\nDisallow: /\n', 'Content of /.well-known/robots.txt.'),
  WELL_KNOWN_SECURITY_TXT: optionalStringSetting(
    'Content of /.well-known/security.txt (RFC 9116); served only when set. An Expires line is added when missing.',
  ),
  WELL_KNOWN_CUSTOM_FILES: stringSetting(
    '{}',
    'JSON object of extra /.well-known/<name> files: {"name": "content"}.',
    { re: /^\s*\{[\s\S]*\}\s*$/, expected: 'a JSON object of file name to content' },
  ),
  WELL_KNOWN_CACHE_MAX_AGE: intSetting(0, 31_536_000, 3600, 'Cache-Control max-age of /.well-known files.'),
  LEGACY_API_ENABLED: boolSetting(
    false,
    'Also serve the /v1 REST routes at their unversioned ContextForge paths (/tools, /servers, …), marked deprecated.',
  ),
  LEGACY_API_SUNSET_DATE: stringSetting(
    '2027-06-30',
    'Sunset date announced on unversioned routes (YYYY-MM-DD).',
    {
      re: /^\d{4}-\d{2}-\d{2}$/,
      expected: 'a date as YYYY-MM-DD',
    },
  ),
  SHUTDOWN_GRACE_PERIOD_MS: intSetting(
    0,
    600_000,
    10_000,
    'Time in-flight requests get to finish on shutdown.',
  ),
  ...AUTH_SETTINGS,
  ...MCP_SETTINGS,
  ...PLUGIN_SETTINGS,
  ...REVERSE_PROXY_SETTINGS,
} as const satisfies Record<string, Setting>;

/** Names of every setting. */
export type SettingName = keyof typeof SETTINGS;

/** The validated configuration: one typed field per setting, named like the environment variable. */
export type GatewayConfig = {
  -readonly [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']>;
};
