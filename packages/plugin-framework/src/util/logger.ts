/** Minimal structured logger the framework writes to; the gateway passes its own (pino fits). */
export interface PluginLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line. */
  child(fields: Record<string, unknown>): PluginLogger;
}

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 } as const;

/** Log level names. */
export type LogLevel = keyof typeof LEVELS;

/**
 * A logger writing one JSON line per entry to stderr at `level` and above (stdout stays free for
 * stdio transports).
 */
export function createConsoleLogger(
  level: LogLevel = 'warn',
  bound: Record<string, unknown> = {},
): PluginLogger {
  const min = LEVELS[level];
  const write = (lvl: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>) => {
    if (LEVELS[lvl] < min) return;
    process.stderr.write(
      `${JSON.stringify({ level: lvl, time: new Date().toISOString(), msg: message, ...bound, ...fields })}\n`,
    );
  };
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    child: (fields) => createConsoleLogger(level, { ...bound, ...fields }),
  };
}

/** A logger that drops everything. */
export const silentLogger: PluginLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
};
