import type { Context } from 'hono';
import { CidrSet } from '../../security/net/cidr.js';
import { formatIp, parseIp } from '../../security/net/ip-address.js';

/**
 * Decides the client address of a request: the socket peer, unless the peer is a trusted proxy
 * (TRUSTED_PROXIES), in which case the right-most X-Forwarded-For entry that is not itself a trusted proxy
 * (entries further left are client-controlled). IPv4-mapped IPv6 addresses are shown as IPv4.
 */
export function createClientIpResolver(trustedProxies: readonly string[]): (c: Context) => string {
  const trusted = trustedProxies.length > 0 ? new CidrSet(trustedProxies, 'TRUSTED_PROXIES') : undefined;
  return (c) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const peer = normalise(env?.incoming?.socket?.remoteAddress);
    if (!trusted || !peer || !trusted.has(peer)) return peer;
    const chain = (c.req.header('x-forwarded-for') ?? '')
      .split(',')
      .map((s) => normalise(s.trim()))
      .filter(Boolean);
    for (let i = chain.length - 1; i >= 0; i--) if (!trusted.has(chain[i]!)) return chain[i]!;
    return chain[0] ?? peer;
  };
}

function normalise(address: string | undefined): string {
  if (!address) return '';
  const ip = parseIp(address);
  if (!ip) return '';
  const b = ip.bytes;
  // Dual-stack sockets report IPv4 peers as ::ffff:a.b.c.d; show (and match) them as IPv4.
  if (ip.version === 6 && b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff)
    return formatIp({ version: 4, bytes: b.slice(12, 16) });
  return formatIp(ip);
}
