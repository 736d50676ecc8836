/**
 * `PLUGINS_SERVER_*` / `PLUGINS_TRANSPORT` / `PLUGINS_CONFIG_PATH` environment variables (CPEX
 * names) applied over a file's `server_settings`.
 */
import { type ServerSettings, serverSettingsSchema } from '../config/schema.js';
import { PluginConfigError } from '../errors.js';

/** Server settings with environment overrides applied (env wins). */
export function serverSettingsWithEnv(
  base: ServerSettings | undefined,
  env: NodeJS.ProcessEnv,
): ServerSettings {
  const merged: Record<string, unknown> = { ...(base ?? {}) };
  if (env.PLUGINS_SERVER_HOST) merged.host = env.PLUGINS_SERVER_HOST;
  if (env.PLUGINS_SERVER_PORT) merged.port = Number(env.PLUGINS_SERVER_PORT);
  if (env.PLUGINS_SERVER_UDS) merged.uds = env.PLUGINS_SERVER_UDS;
  if (/^(1|true|yes|on)$/i.test(env.PLUGINS_SERVER_SSL_ENABLED ?? '')) {
    const tls: Record<string, unknown> = { ...((base?.tls as Record<string, unknown> | undefined) ?? {}) };
    if (env.PLUGINS_SERVER_SSL_CERTFILE) tls.certfile = env.PLUGINS_SERVER_SSL_CERTFILE;
    if (env.PLUGINS_SERVER_SSL_KEYFILE) tls.keyfile = env.PLUGINS_SERVER_SSL_KEYFILE;
    if (env.PLUGINS_SERVER_SSL_CA_CERTS) tls.ca_bundle = env.PLUGINS_SERVER_SSL_CA_CERTS;
    if (env.PLUGINS_SERVER_SSL_KEYFILE_PASSWORD)
      tls.keyfile_password = env.PLUGINS_SERVER_SSL_KEYFILE_PASSWORD;
    if (env.PLUGINS_SERVER_SSL_CERT_REQS) tls.ssl_cert_reqs = Number(env.PLUGINS_SERVER_SSL_CERT_REQS);
    merged.tls = tls;
  }
  const parsed = serverSettingsSchema.safeParse(merged);
  if (!parsed.success) {
    throw new PluginConfigError(
      'server_settings (file + PLUGINS_SERVER_* environment)',
      parsed.error.issues.map((i) => `server_settings.${i.path.join('.')}: ${i.message}`),
    );
  }
  return parsed.data;
}

/** `PLUGINS_TRANSPORT`: `http` (default, also `streamablehttp`) or `stdio`. */
export function transportFromEnv(env: NodeJS.ProcessEnv): 'http' | 'stdio' | undefined {
  const value = env.PLUGINS_TRANSPORT?.toLowerCase();
  if (!value) return undefined;
  if (value === 'stdio') return 'stdio';
  if (value === 'http' || value === 'streamablehttp' || value === 'streamable-http') return 'http';
  throw new PluginConfigError('PLUGINS_TRANSPORT', [
    `PLUGINS_TRANSPORT must be http or stdio; received "${env.PLUGINS_TRANSPORT}"`,
  ]);
}
