import { type GatewayConfig, loadConfig } from '@contextforge/gateway-core';

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
