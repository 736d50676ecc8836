import { isIPv4, isIPv6 } from 'node:net';

/** A parsed IP address: 4 bytes (IPv4) or 16 bytes (IPv6). */
export interface IpAddress {
  /** 4 or 6. */
  readonly version: 4 | 6;
  /** Network-order bytes. */
  readonly bytes: Uint8Array;
}

/**
 * Parses a textual IP address (dotted-quad IPv4, any RFC 4291 IPv6 form incl. embedded IPv4, with or
 * without `[]` and a `%zone`). Returns `undefined` for anything else — the caller decides whether that is
 * a hostname. Non-canonical IPv4 forms (`0x7f.1`, `2130706433`) are NOT accepted here on purpose: URLs
 * reach this function after the WHATWG parser normalised them, and raw strings must not be lenient.
 */
export function parseIp(text: string): IpAddress | undefined {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIPv4(s)) return { version: 4, bytes: parseV4(s) };
  if (isIPv6(s)) return { version: 6, bytes: parseV6(s) };
  return undefined;
}

function parseV4(s: string): Uint8Array {
  const out = new Uint8Array(4);
  const parts = s.split('.');
  for (let i = 0; i < 4; i++) out[i] = Number(parts[i]);
  return out;
}

function parseV6(s: string): Uint8Array {
  const out = new Uint8Array(16);
  // Embedded IPv4 tail (`::ffff:1.2.3.4`): convert it to two hex groups first.
  const lastColon = s.lastIndexOf(':');
  let text = s;
  if (s.indexOf('.', lastColon) > 0) {
    const v4 = parseV4(s.slice(lastColon + 1));
    const hi = ((v4[0]! << 8) | v4[1]!).toString(16);
    const lo = ((v4[2]! << 8) | v4[3]!).toString(16);
    text = `${s.slice(0, lastColon + 1)}${hi}:${lo}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...new Array(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  for (let i = 0; i < 8; i++) {
    const value = Number.parseInt(groups[i] ?? '0', 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  }
  return out;
}

/**
 * The IPv4 address embedded in an IPv6 one by a translation mechanism attackers use to reach IPv4
 * targets through an IPv6 literal: IPv4-mapped (`::ffff:0:0/96`), IPv4-compatible (`::/96`, deprecated),
 * NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`). Returns `undefined` when none applies.
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.version !== 6) return undefined;
  const b = ip.bytes;
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0);
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return { version: 4, bytes: b.slice(12, 16) };
  // `::a.b.c.d` but not `::` or `::1`, which are IPv6's own unspecified and loopback addresses.
  if (zeroUpTo(12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0 && (b[15] === 0 || b[15] === 1))) {
    return { version: 4, bytes: b.slice(12, 16) };
  }
  if (
    b[0] === 0x00 &&
    b[1] === 0x64 &&
    b[2] === 0xff &&
    b[3] === 0x9b &&
    b.subarray(4, 12).every((x) => x === 0)
  ) {
    return { version: 4, bytes: b.slice(12, 16) };
  }
  if (b[0] === 0x20 && b[1] === 0x02) return { version: 4, bytes: b.slice(2, 6) };
  return undefined;
}

/** Canonical text of an address (`127.0.0.1`, `::1`-style compressed IPv6). */
export function formatIp(ip: IpAddress): string {
  if (ip.version === 4) return Array.from(ip.bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((ip.bytes[i]! << 8) | ip.bytes[i + 1]!);
  // Compress the longest run of zero groups (RFC 5952 §4.2.3).
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
