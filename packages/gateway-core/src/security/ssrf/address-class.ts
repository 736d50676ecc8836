import { CidrSet } from '../net/cidr.js';
import { embeddedIpv4, type IpAddress } from '../net/ip-address.js';

/**
 * What kind of destination an address is, for the SSRF policy. `public` is the only class allowed by
 * default; `metadata` is never allowed; the rest are allowed only by the matching policy switch.
 */
export type AddressClass =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'cgnat'
  | 'metadata'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

// Cloud instance-metadata endpoints: AWS/GCP/Azure/OpenStack (169.254.169.254), AWS IPv6
// (fd00:ec2::254), Alibaba (100.100.100.200), Azure wireserver (168.63.129.16), Oracle (192.0.0.192).
const METADATA = new CidrSet([
  '169.254.169.254/32',
  'fd00:ec2::254/128',
  '100.100.100.200/32',
  '168.63.129.16/32',
  '192.0.0.192/32',
]);

const TABLE: ReadonlyArray<readonly [AddressClass, CidrSet]> = [
  ['unspecified', new CidrSet(['0.0.0.0/8', '::/128'])],
  ['loopback', new CidrSet(['127.0.0.0/8', '::1/128'])],
  ['private', new CidrSet(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'])],
  ['link-local', new CidrSet(['169.254.0.0/16', 'fe80::/10'])],
  ['unique-local', new CidrSet(['fc00::/7', 'fec0::/10'])],
  ['cgnat', new CidrSet(['100.64.0.0/10'])],
  ['multicast', new CidrSet(['224.0.0.0/4', 'ff00::/8'])],
  [
    'reserved',
    new CidrSet([
      '192.0.0.0/24', // IETF protocol assignments
      '192.0.2.0/24', // TEST-NET-1
      '198.18.0.0/15', // benchmarking
      '198.51.100.0/24', // TEST-NET-2
      '203.0.113.0/24', // TEST-NET-3
      '240.0.0.0/4', // future use, incl. 255.255.255.255 broadcast
      '100::/64', // discard-only
      '2001:db8::/32', // documentation
      '2001::/32', // Teredo: tunnels to arbitrary IPv4 hosts
    ]),
  ],
];

/**
 * Classifies an address. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are
 * classified by the IPv4 address inside, so `::ffff:127.0.0.1` is loopback, not public.
 */
export function classifyAddress(ip: IpAddress): AddressClass {
  if (METADATA.has(ip)) return 'metadata';
  const inner = embeddedIpv4(ip);
  if (inner) return classifyAddress(inner);
  for (const [cls, set] of TABLE) if (set.has(ip)) return cls;
  return 'public';
}

/** Host names that always mean a metadata service or this machine, whatever DNS says. */
export const METADATA_HOSTNAMES: ReadonlySet<string> = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'metadata.azure.com',
  'metadata.internal',
]);

/** True for `localhost`, `*.localhost` (RFC 6761 §6.3) and `localhost.localdomain`. */
export function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || host === 'localhost.localdomain';
}
