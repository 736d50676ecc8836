import type { IncomingMessage } from 'node:http';
import { BridgeError } from '../core/bridge-error.js';

/** One `--header-to-env HEADER=ENV` mapping. */
export interface HeaderEnvMapping {
  /** Request header, lower-cased. */
  header: string;
  /** Environment variable set in the session's child. */
  env: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
// Variables that change how the child's runtime loads code: never settable from a request.
const FORBIDDEN = new Set([
  'PATH',
  'HOME',
  'SHELL',
  'NODE_OPTIONS',
  'NODE_PATH',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'DYLD_INSERT_LIBRARIES',
  'PYTHONPATH',
  'PYTHONSTARTUP',
  'BASH_ENV',
  'ENV',
  'IFS',
]);
/** Longest header value copied into the environment. */
export const MAX_ENV_VALUE_LENGTH = 4096;

/**
 * Parses `HEADER=ENV` mappings, rejecting names that are not valid header/env names and variables
 * that would let a caller change how the child loads code (PATH, NODE_OPTIONS, LD_PRELOAD, …).
 *
 * @throws BridgeError INVALID_OPTION naming the bad mapping
 */
export function parseHeaderToEnv(specs: readonly string[]): HeaderEnvMapping[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    const header = spec.slice(0, eq).trim();
    const env = spec.slice(eq + 1).trim();
    if (eq <= 0 || !HEADER_NAME.test(header) || !ENV_NAME.test(env)) {
      throw new BridgeError(
        'INVALID_OPTION',
        `--header-to-env expects HEADER=ENV_NAME (e.g. X-Api-Key=API_KEY), received "${spec}"`,
      );
    }
    if (
      FORBIDDEN.has(env.toUpperCase()) ||
      env.toUpperCase().startsWith('LD_') ||
      env.toUpperCase().startsWith('DYLD_')
    ) {
      throw new BridgeError(
        'INVALID_OPTION',
        `--header-to-env may not set ${env}: it controls how programs are loaded`,
      );
    }
    return { header: header.toLowerCase(), env };
  });
}

/**
 * Builds a session's child environment from its request headers. Values must be printable and at
 * most {@link MAX_ENV_VALUE_LENGTH} characters.
 *
 * @returns the environment, or an error message naming the offending header
 */
export function envFromHeaders(
  req: IncomingMessage,
  mappings: readonly HeaderEnvMapping[],
): Record<string, string> | string {
  const env: Record<string, string> = {};
  for (const { header, env: name } of mappings) {
    const raw = req.headers[header];
    if (raw === undefined) continue;
    const value = Array.isArray(raw) ? raw.join(',') : raw;
    if (value.length > MAX_ENV_VALUE_LENGTH) {
      return `header ${header} is ${value.length} characters long; at most ${MAX_ENV_VALUE_LENGTH} are passed to the server`;
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(value)) return `header ${header} contains control characters`;
    env[name] = value;
  }
  return env;
}
