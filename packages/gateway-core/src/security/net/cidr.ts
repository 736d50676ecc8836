import { SecurityError } from '../errors.js';
import { embeddedIpv4, type IpAddress, parseIp } from './ip-address.js';

/** A parsed network prefix (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or /128. */
export interface Cidr {
  /** The network address (host bits cleared). */
  readonly network: IpAddress;
  /** Prefix length in bits. */
  readonly prefix: number;
  /** The text it was parsed from. */
  readonly source: string;
}

/**
 * Parses `addr/prefix` or a bare address.
 * @throws SecurityError `CONFIG_INVALID` naming `field` when the text is not a network.
 */
export function parseCidr(text: string, field = 'cidr'): Cidr {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const ip = parseIp(addrText);
  if (!ip) {
    throw new SecurityError(
      'CONFIG_INVALID',
      `${field}: expected an IPv4/IPv6 network like 10.0.0.0/8, got '${text}'`,
      {
        field,
      },
    );
  }
  const max = ip.version === 4 ? 32 : 128;
  const prefixText = slash < 0 ? String(max) : text.slice(slash + 1);
  const prefix = /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (!(prefix >= 0 && prefix <= max)) {
    throw new SecurityError('CONFIG_INVALID', `${field}: prefix length must be 0..${max}, got '${text}'`, {
      field,
    });
  }
  const bytes = ip.bytes.slice();
  for (let bit = prefix; bit < max; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return { network: { version: ip.version, bytes }, prefix, source: text };
}

/** True when `ip` lies in `cidr` (same IP version; IPv4-mapped IPv6 addresses match IPv4 networks). */
export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  let addr = ip;
  if (addr.version !== cidr.network.version) {
    const v4 = addr.version === 6 ? embeddedIpv4(addr) : undefined;
    if (!v4 || !isMapped(addr)) return false;
    addr = v4;
  }
  const full = cidr.prefix >> 3;
  const a = addr.bytes;
  const n = cidr.network.bytes;
  for (let i = 0; i < full; i++) if (a[i] !== n[i]) return false;
  const rest = cidr.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[full]! & mask) === n[full];
}

function isMapped(ip: IpAddress): boolean {
  const b = ip.bytes;
  return b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
}

/** A set of networks to test addresses against (allowlists, token IP restrictions). */
export class CidrSet {
  readonly #cidrs: readonly Cidr[];

  /** @throws SecurityError `CONFIG_INVALID` naming `field.<index>` for a bad entry. */
  constructor(entries: readonly string[], field = 'networks') {
    this.#cidrs = entries.map((e, i) => parseCidr(e.trim(), `${field}.${i}`));
  }

  /** Number of networks. */
  get size(): number {
    return this.#cidrs.length;
  }

  /** The first network containing `ip` (text or parsed), or `undefined`. Unparseable text matches nothing. */
  match(ip: string | IpAddress): Cidr | undefined {
    const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
    if (!parsed) return undefined;
    for (const c of this.#cidrs) if (cidrContains(c, parsed)) return c;
    return undefined;
  }

  /** True when some network contains `ip`. */
  has(ip: string | IpAddress): boolean {
    return this.match(ip) !== undefined;
  }
}
