/** Log levels, most verbose first; `off` disables logging. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'off'] as const;

/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Minimal structured logger. Always writes to stderr so stdout stays a clean MCP stream. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  readonly level: LogLevel;
}

/**
 * Normalises user spellings (ContextForge's `critical`, `warning`, `none`, supergateway's `verbose`)
 * into a {@link LogLevel}.
 *
 * @throws Error naming the accepted values when the level is unknown
 */
export function parseLogLevel(value: string): LogLevel {
  const v = value.trim().toLowerCase();
  const aliases: Record<string, LogLevel> = {
    verbose: 'debug',
    trace: 'debug',
    warning: 'warn',
    critical: 'error',
    fatal: 'error',
    none: 'off',
    silent: 'off',
  };
  const level = (aliases[v] ?? v) as LogLevel;
  if (!LOG_LEVELS.includes(level)) {
    throw new Error(`unknown log level "${value}"; expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return level;
}

/**
 * Creates a logger that prints `time level [name] message {fields}` lines to stderr (or the given
 * writer). Values of fields named like secrets are redacted.
 */
export function createLogger(
  level: LogLevel = 'info',
  name = 'bridge',
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const emit = (at: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LOG_LEVELS.indexOf(at) < threshold || level === 'off') return;
    const extra = fields === undefined ? '' : ` ${JSON.stringify(redact(fields))}`;
    write(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${message}${extra}\n`);
  };
  return {
    level,
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  };
}

const SECRET = /auth|token|secret|password|bearer|api[-_]?key|cookie/i;

function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) out[key] = SECRET.test(key) ? '[redacted]' : value;
  return out;
}
