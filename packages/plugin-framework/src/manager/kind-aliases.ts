/**
 * ContextForge YAML names plugins by Python class path (`plugins.deny_filter.deny.DenyListPlugin`,
 * `cpex_pii_filter.PIIFilterPlugin`). When such a kind names a plugin we ship, it resolves to our
 * package, so a ContextForge `plugins/config.yaml` keeps working unchanged.
 */
const BY_CLASS: Readonly<Record<string, string>> = {
  PIIFilterPlugin: '@contextforge/plugin-pii-filter',
  DenyListPlugin: '@contextforge/plugin-deny-filter',
  SearchReplacePlugin: '@contextforge/plugin-regex-filter',
  ResourceFilterPlugin: '@contextforge/plugin-resource-filter',
  SecretsDetectionPlugin: '@contextforge/plugin-secrets-detection',
  OutputLengthGuardPlugin: '@contextforge/plugin-output-length-guard',
  HeaderFilterPlugin: '@contextforge/plugin-header-filter',
  RateLimiterPlugin: '@contextforge/plugin-rate-limiter',
};

/** The npm package a Python class-path kind stands for, or `undefined`. */
export function aliasForKind(kind: string): string | undefined {
  if (kind.startsWith('@') || kind.includes('/') || !kind.includes('.')) return undefined;
  const className = kind.slice(kind.lastIndexOf('.') + 1);
  return BY_CLASS[className];
}
