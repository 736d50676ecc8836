import pino, { type DestinationStream, type Logger } from 'pino';

/** The gateway's structured logger (pino). */
export type GatewayLogger = Logger;

/**
 * Field paths whose values are replaced with `[redacted]` in every log line: credentials never reach
 * logs even when an object carrying them is logged whole.
 */
export const REDACTED_PATHS: readonly string[] = [
  'password',
  'token',
  'secret',
  'authorization',
  'auth_value',
  'auth_password',
  'auth_token',
  'auth_header_value',
  'auth_query_param_value',
  '*.password',
  '*.token',
  '*.secret',
  '*.authorization',
  '*.auth_value',
  '*.auth_password',
  '*.auth_token',
  '*.auth_header_value',
  '*.auth_query_param_value',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.JWT_SECRET_KEY',
  'config.AUTH_ENCRYPTION_SECRET',
  'config.PLATFORM_ADMIN_PASSWORD',
  'config.REDIS_URL',
  'config.DATABASE_URL',
];

/**
 * Creates a JSON logger at `level`, writing to stdout or `destination`.
 *
 * @param level pino level name (`info`, `debug`, …, `silent`)
 * @param destination optional stream (tests pass one to inspect output)
 */
export function createLogger(level: string, destination?: DestinationStream): GatewayLogger {
  return pino(
    {
      level,
      base: { service: 'contextforge' },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

/** Hides the password of a URL for logs and messages (`postgres://u:***@host/db`). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
