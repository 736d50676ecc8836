import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { SecurityError } from '../errors.js';
import { formatIp, type IpAddress, parseIp } from '../net/ip-address.js';
import { type AddressClass, classifyAddress, isLocalhostName, METADATA_HOSTNAMES } from './address-class.js';
import { createSsrfPolicy, type SsrfPolicy } from './ssrf-policy.js';

/** Resolves a host name to all its addresses (default: the OS resolver via `dns.lookup`). */
export type HostResolver = (hostname: string) => Promise<ReadonlyArray<{ address: string; family: number }>>;

/** A URL that passed the guard, with the addresses it resolved to at check time. */
export interface CheckedUrl {
  readonly url: URL;
  readonly addresses: ReadonlyArray<{ address: string; family: number }>;
}

/** `net.connect`-compatible lookup (`lookup(hostname, options, callback)`), as undici passes it through. */
export type ConnectLookup = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

const defaultResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

const HINT: Partial<Record<AddressClass, string>> = {
  loopback: 'set SSRF_ALLOW_LOCALHOST=true to allow it',
  private: 'set SSRF_ALLOW_PRIVATE_NETWORKS=true or list it in SSRF_ALLOWED_NETWORKS',
  'link-local': 'set SSRF_ALLOW_PRIVATE_NETWORKS=true or list it in SSRF_ALLOWED_NETWORKS',
  'unique-local': 'set SSRF_ALLOW_PRIVATE_NETWORKS=true or list it in SSRF_ALLOWED_NETWORKS',
  cgnat: 'set SSRF_ALLOW_PRIVATE_NETWORKS=true or list it in SSRF_ALLOWED_NETWORKS',
};

/**
 * Server-side request forgery guard for every outbound URL the gateway fetches on a user's behalf
 * (upstream MCP servers, REST tools, OAuth/OIDC endpoints, JWKS). It checks the scheme, host names that
 * always mean "this machine" or "metadata service", literal addresses in any encoding the WHATWG URL
 * parser accepts (decimal, octal, hex, IPv4-mapped IPv6…), and every address a name resolves to.
 *
 * The check alone is racy against DNS rebinding (the name can resolve differently when the connection
 * is made), so {@link SsrfGuard.lookup} is also the connect-time resolver of the dispatcher from
 * `createSsrfSafeDispatcher`: the addresses that are validated are the ones connected to.
 */
export class SsrfGuard {
  /** The policy in force. */
  readonly policy: SsrfPolicy;
  readonly #resolve: HostResolver;

  constructor(policy: SsrfPolicy = createSsrfPolicy(), options: { resolver?: HostResolver } = {}) {
    this.policy = policy;
    this.#resolve = options.resolver ?? defaultResolver;
  }

  /**
   * Throws unless `ip` may be connected to under the policy.
   * @throws SecurityError `URL_NOT_ALLOWED` naming the address, its class and the setting that allows it.
   */
  checkAddress(ip: string | IpAddress, field = 'url', host?: string): void {
    const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
    if (!parsed) throw deny(field, `'${String(ip)}' is not an IP address`, 'invalid-address');
    if (!this.policy.enabled) return;
    const text = formatIp(parsed);
    const where = host && host !== text ? `${host} resolves to ${text}` : `destination ${text}`;
    if (this.policy.blockedNetworks.has(parsed))
      throw deny(field, `${where}, which is in a blocked network`, 'blocked');
    const cls = classifyAddress(parsed);
    if (cls === 'metadata')
      throw deny(field, `${where}, a cloud metadata endpoint, which is never allowed`, cls);
    if (this.policy.allowedNetworks.has(parsed) || cls === 'public') return;
    if (cls === 'loopback' && this.policy.allowLocalhost) return;
    if (['private', 'link-local', 'unique-local', 'cgnat'].includes(cls) && this.policy.allowPrivateNetworks)
      return;
    const hint = HINT[cls];
    throw deny(field, `${where} (${cls}), which is not allowed${hint ? `; ${hint}` : ''}`, cls);
  }

  /**
   * Parses and checks a URL without touching the network: scheme, localhost and metadata names, blocked
   * hosts and literal addresses. Returns the parsed URL.
   * @throws SecurityError `URL_NOT_ALLOWED` naming `field`.
   */
  checkUrlSyntax(input: string | URL, field = 'url'): URL {
    let url: URL;
    try {
      url = typeof input === 'string' ? new URL(input) : new URL(input.href);
    } catch {
      throw deny(field, `'${String(input).slice(0, 200)}' is not an absolute URL`, 'invalid-url');
    }
    const scheme = url.protocol.slice(0, -1);
    if (!this.policy.allowedSchemes.has(scheme)) {
      throw deny(
        field,
        `scheme '${scheme}' is not allowed; expected ${[...this.policy.allowedSchemes].join(' or ')}`,
        'scheme',
      );
    }
    if (!this.policy.enabled) return url;
    const host = normaliseHost(url.hostname);
    const literal = parseIp(host);
    if (literal) {
      this.checkAddress(literal, field);
      return url;
    }
    if (METADATA_HOSTNAMES.has(host))
      throw deny(field, `host '${host}' is a cloud metadata endpoint`, 'metadata');
    if (this.policy.blockedHosts.has(host)) throw deny(field, `host '${host}' is blocked`, 'blocked');
    if (isLocalhostName(host) && !this.policy.allowLocalhost) {
      throw deny(field, `host '${host}' is this machine (loopback); ${HINT.loopback}`, 'loopback');
    }
    return url;
  }

  /**
   * Full check: {@link checkUrlSyntax} plus DNS resolution; every resolved address must be allowed
   * (one bad address in a round-robin set is enough to refuse).
   * @throws SecurityError `URL_NOT_ALLOWED` naming `field`.
   */
  async checkUrl(input: string | URL, field = 'url'): Promise<CheckedUrl> {
    const url = this.checkUrlSyntax(input, field);
    const host = normaliseHost(url.hostname);
    const literal = parseIp(host);
    if (literal) return { url, addresses: [{ address: formatIp(literal), family: literal.version }] };
    const addresses = await this.resolveChecked(host, field);
    return { url, addresses };
  }

  /**
   * Resolves `hostname` and checks every address. With the policy disabled, resolution still happens
   * (the result is what the caller connects to) but nothing is refused.
   * @throws SecurityError `URL_NOT_ALLOWED` when resolution fails (fail closed) or an address is refused.
   */
  async resolveChecked(hostname: string, field = 'url'): Promise<Array<{ address: string; family: number }>> {
    const host = normaliseHost(hostname);
    const literal = parseIp(host);
    if (literal) {
      this.checkAddress(literal, field, host);
      return [{ address: formatIp(literal), family: literal.version }];
    }
    let resolved: ReadonlyArray<{ address: string; family: number }>;
    // RFC 6761 §6.3: localhost names are loopback by definition; never ask DNS (or /etc/hosts) about them.
    if (isLocalhostName(host)) {
      resolved = [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ];
      for (const r of resolved) this.checkAddress(r.address, field, host);
      return [...resolved];
    }
    try {
      resolved = await this.#resolve(host);
    } catch (cause) {
      if (!this.policy.enabled || !this.policy.dnsFailClosed) throw cause;
      throw deny(field, `host '${host}' could not be resolved`, 'dns', cause);
    }
    if (resolved.length === 0) throw deny(field, `host '${host}' resolved to no address`, 'dns');
    for (const r of resolved) this.checkAddress(r.address, field, host);
    return resolved.map((r) => ({ address: r.address, family: r.family }));
  }

  /**
   * A `net.connect` lookup that resolves through the guard, for undici's `connect.lookup`. Handles both
   * the single-address and the `all: true` (happy eyeballs) calling conventions.
   */
  readonly lookup: ConnectLookup = (hostname, options, callback) => {
    this.resolveChecked(hostname).then(
      (all) => {
        const family = options.family === 4 || options.family === 6 ? options.family : 0;
        const usable = family === 0 ? all : all.filter((a) => a.family === family);
        if (usable.length === 0) {
          const err: NodeJS.ErrnoException = new Error(`no IPv${family} address for ${hostname}`);
          err.code = 'ENOTFOUND';
          callback(err, '', 0);
          return;
        }
        if (options.all)
          callback(
            null,
            usable.map((a) => ({ address: a.address, family: a.family })),
          );
        else callback(null, usable[0]!.address, usable[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

function normaliseHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  // `localhost.` and `metadata.google.internal.` are the same names as without the root dot.
  while (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

function deny(field: string, message: string, reason: string, cause?: unknown): SecurityError {
  return new SecurityError('URL_NOT_ALLOWED', `${field}: ${message}`, {
    field,
    details: { reason },
    ...(cause === undefined ? {} : { cause }),
  });
}
