import { GitHubProvider } from './github-provider.js';
import { OidcProvider } from './oidc-provider.js';
import type { SsoProviderConfig } from './sso-presets.js';
import type { SsoDependencies, SsoProvider } from './sso-provider.js';

/** Builds the provider for a config from {@link SSO_PRESETS} (GitHub or any OIDC provider). */
export function createSsoProvider(config: SsoProviderConfig, deps: SsoDependencies): SsoProvider {
  return config.kind === 'github' ? new GitHubProvider(config, deps) : new OidcProvider(config, deps);
}
