import {
  configJsonSchema,
  type GatewayError,
  loadConfig,
  parseConfig,
  readEnvFile,
  SETTINGS,
} from '@contextforge/gateway-core';

/** `contextforge config schema`: prints the JSON Schema of every setting. */
export function configSchemaCommand(): void {
  process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
}

/**
 * `contextforge config validate [file]`: validates a dotenv file on its own (defaults fill what it does not
 * set), or without a file the current environment plus `./.env`. Prints every setting it sets, secrets
 * redacted; exits 1 with the problems when something is invalid.
 */
export function configValidateCommand(file: string | undefined): void {
  const { config, warnings } = file ? parseConfig(readEnvFile(file, true)) : loadConfig();
  const source = file ?? 'environment and ./.env';
  for (const warning of warnings) process.stderr.write(`warning: ${warning}\n`);
  const raw = file ? readEnvFile(file, true) : process.env;
  const unknown = file ? Object.keys(raw).filter((k) => !(k in SETTINGS)) : [];
  process.stdout.write(`${source}: valid\n`);
  for (const [name, setting] of Object.entries(SETTINGS)) {
    if (raw[name] === undefined || raw[name] === '') continue;
    const value = config[name as keyof typeof config];
    process.stdout.write(`  ${name}=${setting.secret ? '<redacted>' : JSON.stringify(value)}\n`);
  }
  if (unknown.length > 0) process.stdout.write(`  (not gateway settings, ignored: ${unknown.join(', ')})\n`);
}

/** Re-throws configuration problems with a `config validate` hint. */
export function isConfigError(error: unknown): error is GatewayError {
  return error instanceof Error && (error as GatewayError).code === 'CONFIG_INVALID';
}
