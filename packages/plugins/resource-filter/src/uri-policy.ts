/** Checks a resource URI against the protocol and domain rules. */
import type { PluginViolation } from '@contextforge/plugin-framework';
import type { ResourceFilterConfig } from './config-schema.js';

/** Whether `host` is `rule` or a subdomain of it (`*.x.com` matches subdomains only). */
export function hostMatches(host: string, rule: string): boolean {
  if (rule.startsWith('*.')) return host.endsWith(rule.slice(1));
  return host === rule || host.endsWith(`.${rule}`);
}

/** The violation for `uri`, or `undefined` when it may be read. */
export function checkUri(uri: string, config: ResourceFilterConfig): PluginViolation | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return {
      reason: 'Invalid resource URI',
      description: `"${uri.slice(0, 200)}" is not a valid URI`,
      code: 'INVALID_URI',
    };
  }
  const scheme = url.protocol.slice(0, -1).toLowerCase();
  if (config.allowed_protocols.length > 0 && !config.allowed_protocols.includes(scheme)) {
    return {
      reason: 'Protocol not allowed',
      description: `resources with scheme "${scheme}" may not be read (allowed: ${config.allowed_protocols.join(', ')})`,
      code: 'PROTOCOL_BLOCKED',
      details: { protocol: scheme },
    };
  }
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (!host) return undefined;
  if (config.blocked_domains.some((d) => hostMatches(host, d))) {
    return {
      reason: 'Domain blocked',
      description: `resources on ${host} may not be read`,
      code: 'DOMAIN_BLOCKED',
      details: { domain: host },
    };
  }
  if (config.allowed_domains.length > 0 && !config.allowed_domains.some((d) => hostMatches(host, d))) {
    return {
      reason: 'Domain not allowed',
      description: `resources on ${host} may not be read (allowed: ${config.allowed_domains.join(', ')})`,
      code: 'DOMAIN_NOT_ALLOWED',
      details: { domain: host },
    };
  }
  return undefined;
}
