import { SecurityError } from '../errors.js';
import { CidrSet } from '../net/cidr.js';

/** SSRF settings (ContextForge names in brackets). */
export interface SsrfPolicyOptions {
  /** Master switch [SSRF_PROTECTION_ENABLED]; default true. */
  enabled?: boolean;
  /** Allow loopback addresses and localhost names [SSRF_ALLOW_LOCALHOST]; default false. */
  allowLocalhost?: boolean;
  /** Allow RFC 1918, link-local, ULA and CGNAT ranges [SSRF_ALLOW_PRIVATE_NETWORKS]; default false. */
  allowPrivateNetworks?: boolean;
  /** Networks always allowed (except metadata endpoints) [SSRF_ALLOWED_NETWORKS]. */
  allowedNetworks?: readonly string[];
  /** Extra networks always blocked [SSRF_BLOCKED_NETWORKS]. */
  blockedNetworks?: readonly string[];
  /** Extra host names always blocked (exact, case-insensitive) [SSRF_BLOCKED_HOSTS]. */
  blockedHosts?: readonly string[];
  /** URL schemes accepted; default `http`, `https`. */
  allowedSchemes?: readonly string[];
  /** Block when DNS resolution fails (fail closed) [SSRF_DNS_FAIL_CLOSED]; default true. */
  dnsFailClosed?: boolean;
}

/** A validated, immutable SSRF policy. */
export interface SsrfPolicy {
  readonly enabled: boolean;
  readonly allowLocalhost: boolean;
  readonly allowPrivateNetworks: boolean;
  readonly allowedNetworks: CidrSet;
  readonly blockedNetworks: CidrSet;
  readonly blockedHosts: ReadonlySet<string>;
  readonly allowedSchemes: ReadonlySet<string>;
  readonly dnsFailClosed: boolean;
}

/**
 * Validates options into a policy (secure defaults: only public addresses over http/https).
 * @throws SecurityError `CONFIG_INVALID` naming the bad network entry.
 */
export function createSsrfPolicy(options: SsrfPolicyOptions = {}): SsrfPolicy {
  return Object.freeze({
    enabled: options.enabled ?? true,
    allowLocalhost: options.allowLocalhost ?? false,
    allowPrivateNetworks: options.allowPrivateNetworks ?? false,
    allowedNetworks: new CidrSet(options.allowedNetworks ?? [], 'SSRF_ALLOWED_NETWORKS'),
    blockedNetworks: new CidrSet(options.blockedNetworks ?? [], 'SSRF_BLOCKED_NETWORKS'),
    blockedHosts: new Set((options.blockedHosts ?? []).map((h) => h.toLowerCase().replace(/\.$/, ''))),
    allowedSchemes: new Set(
      (options.allowedSchemes ?? ['http', 'https']).map((s) => s.toLowerCase().replace(/:$/, '')),
    ),
    dnsFailClosed: options.dnsFailClosed ?? true,
  });
}

/**
 * Builds a policy from ContextForge-named environment variables. Lists accept a JSON array or a
 * comma-separated string.
 * @throws SecurityError `CONFIG_INVALID` naming the variable.
 */
export function ssrfPolicyFromEnv(env: Record<string, string | undefined>): SsrfPolicy {
  return createSsrfPolicy({
    enabled: bool(env, 'SSRF_PROTECTION_ENABLED', true),
    allowLocalhost: bool(env, 'SSRF_ALLOW_LOCALHOST', false),
    allowPrivateNetworks: bool(env, 'SSRF_ALLOW_PRIVATE_NETWORKS', false),
    allowedNetworks: list(env, 'SSRF_ALLOWED_NETWORKS'),
    blockedNetworks: list(env, 'SSRF_BLOCKED_NETWORKS'),
    blockedHosts: list(env, 'SSRF_BLOCKED_HOSTS'),
    dnsFailClosed: bool(env, 'SSRF_DNS_FAIL_CLOSED', true),
  });
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['true', '1', 'yes', 'on'].includes(raw)) return true;
  if (['false', '0', 'no', 'off'].includes(raw)) return false;
  throw new SecurityError('CONFIG_INVALID', `${name}: expected true or false, got '${env[name]}'`, {
    field: name,
  });
}

function list(env: Record<string, string | undefined>, name: string): string[] {
  const raw = env[name]?.trim();
  if (!raw) return [];
  if (raw.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // fall through to the error below
    }
    throw new SecurityError('CONFIG_INVALID', `${name}: expected a JSON array of strings`, { field: name });
  }
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}
