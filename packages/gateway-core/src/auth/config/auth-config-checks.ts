import type { GatewayConfig } from '../../config/settings.js';
import { isSymmetric } from '../../security/jwt/jwt-keys.js';
import { AUTH_SETTINGS } from './auth-settings.js';
import { parseList } from './parse-list.js';

const LIST_SETTINGS = Object.entries(AUTH_SETTINGS)
  .filter(([, s]) => s.expected.startsWith('a JSON array of strings or'))
  .map(([name]) => name as keyof GatewayConfig);

/** SSO providers that need a client id (and the settings naming their issuer, when they have one). */
const SSO_REQUIRED: ReadonlyArray<readonly [keyof GatewayConfig, ReadonlyArray<keyof GatewayConfig>]> = [
  ['SSO_GITHUB_ENABLED', ['SSO_GITHUB_CLIENT_ID', 'SSO_GITHUB_CLIENT_SECRET']],
  ['SSO_GOOGLE_ENABLED', ['SSO_GOOGLE_CLIENT_ID']],
  ['SSO_OKTA_ENABLED', ['SSO_OKTA_CLIENT_ID', 'SSO_OKTA_ISSUER']],
  ['SSO_KEYCLOAK_ENABLED', ['SSO_KEYCLOAK_CLIENT_ID', 'SSO_KEYCLOAK_BASE_URL']],
  ['SSO_ENTRA_ENABLED', ['SSO_ENTRA_CLIENT_ID', 'SSO_ENTRA_TENANT_ID']],
  ['SSO_GENERIC_ENABLED', ['SSO_GENERIC_CLIENT_ID', 'SSO_GENERIC_ISSUER']],
];

/**
 * Cross-setting checks of the security settings that zod cannot express per variable. Returns one line per
 * problem (`NAME: expected …, received …`), the format `loadConfig` reports; empty when all is well.
 */
export function authConfigProblems(config: GatewayConfig): string[] {
  const problems: string[] = [];
  for (const name of LIST_SETTINGS) {
    try {
      parseList(config[name] as string);
    } catch (error) {
      problems.push(
        `${name}: expected a JSON array of strings or a comma-separated list (${(error as Error).message})`,
      );
    }
  }
  try {
    const rules = JSON.parse(config.SSO_GROUP_MAPPINGS) as unknown;
    if (!Array.isArray(rules) || !rules.every((r) => r && typeof r === 'object' && !Array.isArray(r)))
      throw new Error('not an array of objects');
  } catch (error) {
    problems.push(`SSO_GROUP_MAPPINGS: expected a JSON array of mapping rules (${(error as Error).message})`);
  }
  if (config.PASSWORD_MAX_LENGTH < config.PASSWORD_MIN_LENGTH) {
    problems.push(
      `PASSWORD_MAX_LENGTH: expected at least PASSWORD_MIN_LENGTH (${config.PASSWORD_MIN_LENGTH}), received "${config.PASSWORD_MAX_LENGTH}"`,
    );
  }
  if (!isSymmetric(config.JWT_ALGORITHM) && !config.JWT_PUBLIC_KEY_PATH && !config.JWT_JWKS_URL) {
    problems.push(
      `JWT_PUBLIC_KEY_PATH: expected a PEM public key file (or JWT_JWKS_URL) for JWT_ALGORITHM=${config.JWT_ALGORITHM}, received nothing`,
    );
  }
  if (config.ENVIRONMENT === 'production') {
    if (!config.AUTH_REQUIRED)
      problems.push('AUTH_REQUIRED: expected true when ENVIRONMENT=production, received "false"');
    if (isSymmetric(config.JWT_ALGORITHM) && (config.JWT_SECRET_KEY?.length ?? 0) < 32) {
      problems.push(
        'JWT_SECRET_KEY: expected a string of at least 32 characters when ENVIRONMENT=production, received ' +
          (config.JWT_SECRET_KEY === undefined ? 'nothing' : '<redacted>'),
      );
    }
  }
  for (const [enabled, required] of SSO_REQUIRED) {
    if (!config[enabled]) continue;
    for (const name of required) {
      if (!config[name]) problems.push(`${name}: expected a value because ${enabled}=true, received nothing`);
    }
  }
  return problems;
}

/** Non-fatal findings about the security settings (printed at start). */
export function authConfigWarnings(config: GatewayConfig): string[] {
  const warnings: string[] = [];
  if (!config.AUTH_REQUIRED) {
    warnings.push(
      'AUTH_REQUIRED=false: requests without credentials are served as an anonymous user who sees PUBLIC entities only. Use this for local development only.',
    );
  }
  if (config.INSECURE_ALLOW_QUERYPARAM_AUTH) {
    warnings.push(
      'INSECURE_ALLOW_QUERYPARAM_AUTH=true: upstream credentials may travel in URL query strings (they end up in logs)',
    );
  }
  if (!config.SSRF_PROTECTION_ENABLED) {
    warnings.push(
      'SSRF_PROTECTION_ENABLED=false: upstream URLs may point at private networks and cloud metadata',
    );
  }
  return warnings;
}
