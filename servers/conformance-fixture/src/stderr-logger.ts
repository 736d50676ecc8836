import type { FixtureLogger } from './fixture-options.js';

/** Log levels of the CLI, least to most verbose. */
export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * A logger writing `<ISO time> <level> conformance-fixture: <message>` lines to stderr: stdout belongs
 * to the protocol (stdio) or to the single start-up JSON line (HTTP).
 */
export function createStderrLogger(
  threshold: LogLevel,
  write = (line: string) => process.stderr.write(line),
) {
  const limit = LOG_LEVELS.indexOf(threshold);
  const logger: FixtureLogger = (level, message) => {
    if (LOG_LEVELS.indexOf(level) > limit) return;
    write(`${new Date().toISOString()} ${level} conformance-fixture: ${message}\n`);
  };
  return logger;
}
