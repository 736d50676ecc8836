import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { type LogLevel, parseLogLevel } from '@contextforge/bridge';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Resolved settings of mcp-reverse-proxy. */
export interface ProxyConfig {
  /** Command line of the local stdio MCP server. */
  localStdio: string;
  /** WebSocket URL of the gateway's tunnel endpoint (…/reverse-proxy/ws). */
  gatewayUrl: string;
  /** Bearer token sent on the upgrade (never logged). */
  token?: string;
  /** First reconnect delay, ms (doubles per attempt up to 60 s). */
  reconnectDelayMs: number;
  /** Reconnect attempts before giving up; 0 = forever. */
  maxRetries: number;
  /** Heartbeat interval, ms (0 = off). */
  keepaliveMs: number;
  /** Name announced in `register`. */
  name: string;
  description?: string;
  logLevel: LogLevel;
}

/** Flags as commander parsed them; everything optional so the file and environment can fill in. */
export interface ProxyFlags {
  localStdio?: string;
  gateway?: string;
  token?: string;
  reconnectDelay?: string;
  maxRetries?: string;
  keepalive?: string;
  config?: string;
  name?: string;
  description?: string;
  logLevel?: string;
  verbose?: boolean;
}

const seconds = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d+(\.\d+)?$/)
      .transform(Number),
  ])
  .pipe(z.number().min(0));
const whole = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .pipe(z.number().int().min(0));

/** The config file: the flags' names in snake_case or camelCase. */
const FileSchema = z
  .object({
    local_stdio: z.string().min(1),
    localStdio: z.string().min(1),
    gateway: z.string().min(1),
    token: z.string().min(1),
    reconnect_delay: seconds,
    reconnectDelay: seconds,
    max_retries: whole,
    maxRetries: whole,
    keepalive: seconds,
    name: z.string().min(1).max(200),
    description: z.string().max(2000),
    log_level: z.string(),
    logLevel: z.string(),
  })
  .partial()
  .strict();

/** Reads a YAML or JSON config file. @throws Error naming the file and the bad key */
export function readConfigFile(path: string): z.infer<typeof FileSchema> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read --config ${path}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new Error(
      `--config ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  const result = FileSchema.safeParse(data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`--config ${path}: "${issue.path.join('.') || issue.code}" ${issue.message}`);
  }
  return result.data;
}

/** Turns `https://gw:4444` (or ws URLs, or a full tunnel URL) into the tunnel WebSocket URL. */
export function tunnelUrl(gateway: string): string {
  let url: URL;
  try {
    url = new URL(gateway);
  } catch {
    throw new Error(`--gateway "${gateway}" is not a valid URL; expected e.g. https://gateway:4444`);
  }
  const schemes: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const scheme = schemes[url.protocol];
  if (!scheme) throw new Error(`--gateway must be http(s):// or ws(s)://, received ${url.protocol}`);
  url.protocol = scheme;
  const path = url.pathname.replace(/\/+$/, '');
  url.pathname = path.endsWith('/reverse-proxy/ws') ? path : `${path}/reverse-proxy/ws`;
  return url.toString();
}

function num(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`${name} must be a non-negative number, received "${value}"`);
  return n;
}

/**
 * Merges flags over the config file over the environment (`REVERSE_PROXY_GATEWAY`,
 * `REVERSE_PROXY_TOKEN`, `REVERSE_PROXY_LOG_LEVEL`) over defaults (reconnect 1 s, retries 0 = forever,
 * keepalive 30 s). Durations are in seconds, as in ContextForge.
 *
 * @throws Error naming the missing or malformed setting
 */
export function resolveProxyConfig(flags: ProxyFlags, env: NodeJS.ProcessEnv = process.env): ProxyConfig {
  const file = flags.config ? readConfigFile(flags.config) : {};
  const localStdio = flags.localStdio ?? file.local_stdio ?? file.localStdio;
  if (!localStdio)
    throw new Error(
      'no local server: pass --local-stdio "npx -y some-mcp-server" (or local_stdio in --config)',
    );
  const gateway = flags.gateway ?? file.gateway ?? env.REVERSE_PROXY_GATEWAY;
  if (!gateway)
    throw new Error(
      'no gateway: pass --gateway https://gateway:4444 (or REVERSE_PROXY_GATEWAY, or gateway in --config)',
    );
  const level = flags.verbose
    ? 'debug'
    : (flags.logLevel ?? file.log_level ?? file.logLevel ?? env.REVERSE_PROXY_LOG_LEVEL ?? 'info');
  return {
    localStdio,
    gatewayUrl: tunnelUrl(gateway),
    token: flags.token ?? file.token ?? env.REVERSE_PROXY_TOKEN,
    reconnectDelayMs: Math.round(
      (num('--reconnect-delay', flags.reconnectDelay) ?? file.reconnect_delay ?? file.reconnectDelay ?? 1) *
        1000,
    ),
    maxRetries: Math.floor(
      num('--max-retries', flags.maxRetries) ?? file.max_retries ?? file.maxRetries ?? 0,
    ),
    keepaliveMs: Math.round((num('--keepalive', flags.keepalive) ?? file.keepalive ?? 30) * 1000),
    name: flags.name ?? file.name ?? localStdio.split(/\s+/).slice(-1)[0]!.slice(0, 200),
    description: flags.description ?? file.description,
    logLevel: parseLogLevel(level),
  };
}
