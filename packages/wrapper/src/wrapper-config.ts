import { type LogLevel, parseLogLevel } from '@contextforge/bridge';
import { normalizeServerUrl } from './normalize-url.js';

/** Everything mcp-wrapper needs, from flags over environment over defaults. */
export interface WrapperConfig {
  /** Streamable HTTP endpoint (normalised). */
  url: string;
  /** Value of the Authorization header (e.g. "Bearer …"), if any. */
  auth?: string;
  /** Extra request headers. */
  headers: Record<string, string>;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Retries after network errors and 502/503/504. */
  retries: number;
  logLevel: LogLevel;
}

/** Flag values as commander parsed them (all optional: environment fills the gaps). */
export interface WrapperFlags {
  url?: string;
  auth?: string;
  timeout?: string;
  concurrency?: string;
  retries?: string;
  logLevel?: string;
  header?: string[];
}

function positiveNumber(name: string, value: string, allowZero = false): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    throw new Error(
      `${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, received "${value}"`,
    );
  }
  return n;
}

/**
 * Resolves the configuration: flags win over the ContextForge environment variables
 * (`MCP_SERVER_URL`, `MCP_AUTH`, `MCP_TOOL_CALL_TIMEOUT` in seconds, `MCP_WRAPPER_LOG_LEVEL`,
 * `CONCURRENCY`), which win over defaults (timeout 60 s, concurrency 10, 2 retries, level info).
 *
 * @throws Error naming the variable or flag that is missing or malformed
 */
export function resolveConfig(flags: WrapperFlags, env: NodeJS.ProcessEnv = process.env): WrapperConfig {
  const rawUrl = flags.url ?? env.MCP_SERVER_URL;
  if (!rawUrl)
    throw new Error('no server URL: set MCP_SERVER_URL or pass --url https://gateway:4444/servers/<id>/mcp');
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const colon = h.indexOf(':');
    if (colon <= 0) throw new Error(`--header expects "Name: value", received "${h}"`);
    headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  const auth = flags.auth ?? env.MCP_AUTH;
  const level = flags.logLevel ?? env.MCP_WRAPPER_LOG_LEVEL ?? 'info';
  return {
    url: normalizeServerUrl(rawUrl),
    auth: auth ? auth.trim() : undefined,
    headers,
    timeoutMs: Math.round(
      positiveNumber(
        'MCP_TOOL_CALL_TIMEOUT / --timeout (seconds)',
        flags.timeout ?? env.MCP_TOOL_CALL_TIMEOUT ?? '60',
        true,
      ) * 1000,
    ),
    concurrency: Math.floor(
      positiveNumber('CONCURRENCY / --concurrency', flags.concurrency ?? env.CONCURRENCY ?? '10'),
    ),
    retries: Math.floor(positiveNumber('--retries', flags.retries ?? env.MCP_WRAPPER_RETRIES ?? '2', true)),
    logLevel: parseLogLevel(level),
  };
}
