import { connectDatabase, createLogger, type GatewayConfig, loadConfig } from '@contextforge/gateway-core';

/** Reads the configuration for a command, printing warnings to stderr. */
export function configFor(
  envFile: string | undefined,
  overrides: Record<string, string | undefined> = {},
): GatewayConfig {
  const { config, warnings } = loadConfig({
    env: {
      ...process.env,
      ...Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)),
    },
    ...(envFile !== undefined ? { envFile } : {}),
  });
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  return config;
}

/**
 * One connection to the configured database for a one-shot command, retrying as configured; `info`
 * logs are quietened to `warn` so the command's own output stays readable.
 */
export function commandDatabase(config: GatewayConfig): ReturnType<typeof connectDatabase> {
  return connectDatabase({
    url: config.DATABASE_URL,
    poolSize: 1,
    maxRetries: config.DB_MAX_RETRIES,
    retryIntervalMs: config.DB_RETRY_INTERVAL_MS,
    logger: createLogger(config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL),
  });
}
