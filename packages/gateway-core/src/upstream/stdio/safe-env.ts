/**
 * Variables a spawned stdio server inherits from the gateway by default: enough to find programs
 * and behave normally, never the gateway's own secrets (JWT keys, database URLs, tokens).
 */
const INHERITED = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TERM',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'SYSTEMROOT',
  'APPDATA',
  'LOCALAPPDATA',
  'PROGRAMDATA',
  'USERPROFILE',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
];

/** How much of the gateway's environment a spawned server sees. */
export type EnvInheritance = 'safe' | 'all' | 'none';

/**
 * Builds a child environment: the inherited part (by policy) plus the spec's own variables,
 * which win. `LC_*` locale variables count as safe.
 */
export function buildChildEnv(
  extra: Record<string, string> | undefined,
  inherit: EnvInheritance,
  source: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  if (inherit === 'all') {
    for (const [k, v] of Object.entries(source)) if (v !== undefined) env[k] = v;
  } else if (inherit === 'safe') {
    for (const k of INHERITED) {
      const v = source[k];
      if (v !== undefined) env[k] = v;
    }
    for (const [k, v] of Object.entries(source)) if (k.startsWith('LC_') && v !== undefined) env[k] = v;
  }
  return { ...env, ...extra };
}
