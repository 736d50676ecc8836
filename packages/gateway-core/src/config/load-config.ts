import { z } from 'zod';
import { GatewayError } from '../errors.js';
import { readEnvFile } from './env-file.js';
import { type GatewayConfig, SETTINGS, type SettingName } from './settings.js';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment to read (default `process.env`). It wins over the env file, as with dotenv. */
  env?: Record<string, string | undefined>;
  /** Env file to read: a path (must exist), `false` for none, or undefined for an optional `./.env`. */
  envFile?: string | false;
}

/** A validated configuration and the warnings produced while reading it. */
export interface LoadedConfig {
  config: GatewayConfig;
  /** Non-fatal findings (deprecated spellings, insecure development defaults). */
  warnings: string[];
}

/** ContextForge's Python log level names mapped to pino's. */
const LOG_LEVEL_ALIASES: Record<string, string> = {
  debug: 'debug',
  info: 'info',
  warning: 'warn',
  warn: 'warn',
  error: 'error',
  critical: 'fatal',
  fatal: 'fatal',
  trace: 'trace',
  silent: 'silent',
};

const schema = z.object(
  Object.fromEntries(Object.entries(SETTINGS).map(([name, setting]) => [name, setting.schema])) as {
    [K in SettingName]: (typeof SETTINGS)[K]['schema'];
  },
);

/**
 * Reads and validates every setting from the environment and an optional `.env` file.
 *
 * @throws GatewayError CONFIG_INVALID with one message naming every bad variable, what it expects and
 *   what it received (secrets shown as `<redacted>`).
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const fromFile =
    options.envFile === false ? {} : readEnvFile(options.envFile ?? '.env', options.envFile !== undefined);
  return parseConfig({ ...fromFile, ...(options.env ?? process.env) });
}

/**
 * Validates a flat map of raw settings (no file access). Unknown keys are ignored; empty values count as
 * unset.
 *
 * @throws GatewayError CONFIG_INVALID naming every bad variable.
 */
export function parseConfig(raw: Record<string, string | undefined>): LoadedConfig {
  const warnings: string[] = [];
  const input: Record<string, string> = {};
  for (const name of Object.keys(SETTINGS)) {
    const value = raw[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  if (input.LOG_LEVEL !== undefined) {
    input.LOG_LEVEL = LOG_LEVEL_ALIASES[input.LOG_LEVEL.toLowerCase()] ?? input.LOG_LEVEL;
  }
  if (input.CACHE_TYPE !== undefined) input.CACHE_TYPE = input.CACHE_TYPE.toLowerCase();
  const result = schema.safeParse(input);
  if (!result.success) {
    throw configError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]) as SettingName;
        return describeProblem(name, input[name]);
      }),
    );
  }
  const config = result.data as GatewayConfig;
  const problems: string[] = [];
  if (config.CACHE_TYPE === 'database') {
    warnings.push(
      'CACHE_TYPE=database is a ContextForge setting; this gateway uses the in-process cache (memory)',
    );
    config.CACHE_TYPE = 'memory';
  }
  if (config.PAGINATION_DEFAULT_PAGE_SIZE > config.PAGINATION_MAX_PAGE_SIZE) {
    problems.push(
      `PAGINATION_DEFAULT_PAGE_SIZE: expected at most PAGINATION_MAX_PAGE_SIZE (${config.PAGINATION_MAX_PAGE_SIZE}), received "${config.PAGINATION_DEFAULT_PAGE_SIZE}"`,
    );
  }
  const customFiles = parseCustomFiles(config.WELL_KNOWN_CUSTOM_FILES);
  if (typeof customFiles === 'string') problems.push(customFiles);
  if (config.AUTH_ENCRYPTION_SECRET === undefined) {
    if (config.ENVIRONMENT === 'production') {
      problems.push(
        'AUTH_ENCRYPTION_SECRET: expected a string of at least 32 characters (required when ENVIRONMENT=production), received nothing',
      );
    } else {
      warnings.push(
        'AUTH_ENCRYPTION_SECRET is not set: stored upstream credentials are encrypted with an insecure development key; set it (≥ 32 characters) before storing real credentials',
      );
    }
  }
  if (problems.length > 0) throw configError(problems);
  return { config, warnings };
}

/** The `WELL_KNOWN_CUSTOM_FILES` map, or an error line. */
export function parseCustomFiles(text: string): Record<string, string> | string {
  const problem = (why: string) =>
    `WELL_KNOWN_CUSTOM_FILES: expected a JSON object of file name to text content, received ${JSON.stringify(text.slice(0, 80))} (${why})`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return problem((error as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return problem('not an object');
  for (const [name, content] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(name)) return problem(`bad file name "${name}"`);
    if (typeof content !== 'string') return problem(`content of "${name}" is not a string`);
  }
  return parsed as Record<string, string>;
}

function describeProblem(name: SettingName, received: string | undefined): string {
  const setting = SETTINGS[name];
  const shown = received === undefined ? 'nothing' : setting.secret ? '<redacted>' : JSON.stringify(received);
  return `${name}: expected ${setting.expected}, received ${shown}`;
}

function configError(problems: string[]): GatewayError {
  return new GatewayError(
    'CONFIG_INVALID',
    `invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    { details: { problems } },
  );
}
