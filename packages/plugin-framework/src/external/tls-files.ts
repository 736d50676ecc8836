/**
 * Reads TLS material named in YAML (relative to the YAML file) into the options node and undici
 * take. Errors name the YAML field and the path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ClientTlsConfig, ServerTlsConfig } from '../config/schema.js';
import { PluginError } from '../errors.js';

/** TLS options for a client connection (undici `connect` / node `tls.connect`). */
export interface ClientTlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  passphrase?: string;
  rejectUnauthorized: boolean;
  checkServerIdentity?: () => undefined;
}

function read(baseDir: string, path: string, field: string, pluginName?: string): Buffer {
  const absolute = resolve(baseDir, path);
  try {
    return readFileSync(absolute);
  } catch (error) {
    throw new PluginError(
      'PLUGIN_CONFIG_INVALID',
      `${pluginName ? `plugin "${pluginName}": ` : ''}${field}: cannot read ${absolute}: ${(error as Error).message}`,
      { pluginName, cause: error },
    );
  }
}

/** Client TLS options from a plugin's `mcp.tls` block. */
export function clientTlsOptions(
  tls: ClientTlsConfig,
  baseDir: string,
  pluginName: string,
): ClientTlsOptions {
  const field = (f: string) => `mcp.tls.${f}`;
  return {
    ...(tls.ca_bundle ? { ca: read(baseDir, tls.ca_bundle, field('ca_bundle'), pluginName) } : {}),
    ...(tls.certfile ? { cert: read(baseDir, tls.certfile, field('certfile'), pluginName) } : {}),
    ...(tls.keyfile ? { key: read(baseDir, tls.keyfile, field('keyfile'), pluginName) } : {}),
    ...(tls.keyfile_password ? { passphrase: tls.keyfile_password } : {}),
    rejectUnauthorized: tls.verify,
    // check_hostname: false keeps chain verification but accepts any host name in the certificate.
    ...(tls.check_hostname ? {} : { checkServerIdentity: () => undefined }),
  };
}

/**
 * Client TLS settings from `PLUGINS_CLIENT_MTLS_*` (used when an https plugin has no `tls` block),
 * or `undefined` when none is set.
 */
export function clientTlsFromEnv(env: NodeJS.ProcessEnv): ClientTlsConfig | undefined {
  const get = (name: string) => env[`PLUGINS_CLIENT_MTLS_${name}`];
  const bool = (name: string, fallback: boolean) => {
    const v = get(name);
    return v === undefined ? fallback : !/^(0|false|no|off)$/i.test(v);
  };
  if (
    !['CERTFILE', 'KEYFILE', 'CA_BUNDLE', 'KEYFILE_PASSWORD', 'VERIFY', 'CHECK_HOSTNAME'].some(
      (n) => get(n) !== undefined,
    )
  ) {
    return undefined;
  }
  return {
    ...(get('CERTFILE') ? { certfile: get('CERTFILE') } : {}),
    ...(get('KEYFILE') ? { keyfile: get('KEYFILE') } : {}),
    ...(get('CA_BUNDLE') ? { ca_bundle: get('CA_BUNDLE') } : {}),
    ...(get('KEYFILE_PASSWORD') ? { keyfile_password: get('KEYFILE_PASSWORD') } : {}),
    verify: bool('VERIFY', true),
    check_hostname: bool('CHECK_HOSTNAME', true),
  };
}

/** `https.createServer` options from `server_settings.tls`. */
export function serverTlsOptions(tls: ServerTlsConfig, baseDir: string) {
  return {
    cert: read(baseDir, tls.certfile, 'server_settings.tls.certfile'),
    key: read(baseDir, tls.keyfile, 'server_settings.tls.keyfile'),
    ...(tls.ca_bundle ? { ca: read(baseDir, tls.ca_bundle, 'server_settings.tls.ca_bundle') } : {}),
    ...(tls.keyfile_password ? { passphrase: tls.keyfile_password } : {}),
    requestCert: tls.ssl_cert_reqs > 0,
    rejectUnauthorized: tls.ssl_cert_reqs === 2,
  };
}
