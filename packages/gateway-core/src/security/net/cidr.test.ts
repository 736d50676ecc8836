import { describe, expect, it } from 'vitest';
import { isSecurityError } from '../errors.js';
import { CidrSet, parseCidr } from './cidr.js';
import { embeddedIpv4, formatIp, parseIp } from './ip-address.js';

describe('parseIp / formatIp', () => {
  it('round-trips IPv4 and compressed IPv6', () => {
    expect(formatIp(parseIp('10.1.2.3')!)).toBe('10.1.2.3');
    expect(formatIp(parseIp('2001:0db8:0000:0000:0000:0000:0000:0001')!)).toBe('2001:db8::1');
    expect(formatIp(parseIp('[::1]')!)).toBe('::1');
    expect(formatIp(parseIp('fe80::1%eth0')!)).toBe('fe80::1');
  });

  it('parses an embedded IPv4 tail and finds the mapped address', () => {
    const ip = parseIp('::ffff:127.0.0.1')!;
    expect(ip.version).toBe(6);
    expect(formatIp(embeddedIpv4(ip)!)).toBe('127.0.0.1');
    expect(formatIp(embeddedIpv4(parseIp('64:ff9b::a00:1')!)!)).toBe('10.0.0.1');
    expect(formatIp(embeddedIpv4(parseIp('2002:a9fe:a9fe::1')!)!)).toBe('169.254.169.254');
    expect(embeddedIpv4(parseIp('::1')!)).toBeUndefined();
  });

  it('rejects host names and lenient IPv4 forms', () => {
    expect(parseIp('example.com')).toBeUndefined();
    expect(parseIp('0x7f.1')).toBeUndefined();
    expect(parseIp('2130706433')).toBeUndefined();
  });
});

describe('CidrSet', () => {
  it('matches IPv4 and IPv6 networks, including mapped IPv4 against IPv4 networks', () => {
    const set = new CidrSet(['10.0.0.0/8', '192.168.1.7', '2001:db8::/32']);
    expect(set.has('10.200.3.4')).toBe(true);
    expect(set.has('11.0.0.1')).toBe(false);
    expect(set.has('192.168.1.7')).toBe(true);
    expect(set.has('192.168.1.8')).toBe(false);
    expect(set.has('2001:db8:ffff::1')).toBe(true);
    expect(set.has('2001:db9::1')).toBe(false);
    expect(set.has('::ffff:10.9.9.9')).toBe(true);
    expect(set.has('not-an-ip')).toBe(false);
  });

  it('handles prefixes that are not byte-aligned', () => {
    const c = new CidrSet(['172.16.0.0/12', '100.64.0.0/10']);
    expect(c.has('172.31.255.255')).toBe(true);
    expect(c.has('172.32.0.0')).toBe(false);
    expect(c.has('100.127.0.1')).toBe(true);
    expect(c.has('100.128.0.1')).toBe(false);
  });

  it('names the bad entry of a list', () => {
    try {
      new CidrSet(['10.0.0.0/8', '10.0.0.0/33'], 'scope.ip_restrictions');
      expect.unreachable();
    } catch (err) {
      expect(isSecurityError(err) && err.field).toBe('scope.ip_restrictions.1');
    }
    expect(() => parseCidr('nope')).toThrow(/expected an IPv4\/IPv6 network/);
  });
});
