/**
 * Minimal structured logger the upstream side writes to (adapt pino with
 * `{ warn: (msg, fields) => log.warn(fields ?? {}, msg), … }`). Fields never carry secrets:
 * headers, env values and tokens are not logged.
 */
export interface UpstreamLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default). */
export const silentLogger: UpstreamLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
