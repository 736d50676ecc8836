import { describe, expect, it } from 'vitest';
import { isSecurityError, type SecurityError } from '../errors.js';
import { SsrfGuard } from './ssrf-guard.js';
import { createSsrfPolicy, ssrfPolicyFromEnv } from './ssrf-policy.js';

// A resolver for names under `.test`, so no real DNS (and no traffic) is involved.
const zone: Record<string, string[]> = {
  'public.test': ['93.184.216.34'],
  'private.test': ['10.1.2.3'],
  'mixed.test': ['93.184.216.34', '192.168.0.5'],
  'loop.test': ['127.0.0.1'],
  'v6loop.test': ['::1'],
  'mapped.test': ['::ffff:169.254.169.254'],
};
const resolver = async (host: string) => {
  const list = zone[host];
  if (!list) throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
  return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};

async function refusal(guard: SsrfGuard, url: string): Promise<SecurityError> {
  try {
    await guard.checkUrl(url);
  } catch (err) {
    if (isSecurityError(err)) return err;
    throw err;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('SsrfGuard with the default (strict) policy', () => {
  const guard = new SsrfGuard(createSsrfPolicy(), { resolver });

  it.each([
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0x7f.0.0.1/',
    'http://017700000001/',
    'http://0177.0.0.1/',
    'http://[::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[0:0:0:0:0:ffff:127.0.0.1]/',
    'http://localhost/',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses the loopback form %s with a hint naming SSRF_ALLOW_LOCALHOST', async (url) => {
    const err = await refusal(guard, url);
    expect(err.code).toBe('URL_NOT_ALLOWED');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/loopback/);
    expect(err.message).toMatch(/SSRF_ALLOW_LOCALHOST/);
  });

  it.each([
    ['http://0.0.0.0/', 'unspecified'],
    ['http://0/', 'unspecified'],
    ['http://[::]/', 'unspecified'],
    ['http://169.254.169.254/latest/meta-data/', 'metadata'],
    ['http://[fd00:ec2::254]/', 'metadata'],
    ['http://100.100.100.200/', 'metadata'],
    ['http://[::ffff:a9fe:a9fe]/', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://metadata.google.internal./', 'metadata'],
    ['http://10.0.0.1/', 'private'],
    ['http://172.16.5.4/', 'private'],
    ['http://192.168.1.1/', 'private'],
    ['http://169.254.1.1/', 'link-local'],
    ['http://[fe80::1]/', 'link-local'],
    ['http://[fd12:3456::1]/', 'unique-local'],
    ['http://100.64.0.1/', 'cgnat'],
    ['http://224.0.0.1/', 'multicast'],
    ['http://[ff02::1]/', 'multicast'],
    ['http://255.255.255.255/', 'reserved'],
    ['http://[64:ff9b::a00:1]/', 'private'],
    ['http://[2002:c0a8:101::1]/', 'private'],
  ])('refuses %s as %s', async (url, reason) => {
    const err = await refusal(guard, url);
    expect(err.details?.reason).toBe(reason);
  });

  it('refuses names resolving to private addresses, naming the name and the address', async () => {
    const err = await refusal(guard, 'https://private.test/mcp');
    expect(err.message).toBe(
      'url: private.test resolves to 10.1.2.3 (private), which is not allowed; set SSRF_ALLOW_PRIVATE_NETWORKS=true or list it in SSRF_ALLOWED_NETWORKS',
    );
    expect((await refusal(guard, 'https://mixed.test/')).message).toMatch(/192\.168\.0\.5/);
    expect((await refusal(guard, 'https://v6loop.test/')).details?.reason).toBe('loopback');
    expect((await refusal(guard, 'https://mapped.test/')).details?.reason).toBe('metadata');
  });

  it('fails closed when the name does not resolve', async () => {
    expect((await refusal(guard, 'https://nowhere.test/')).details?.reason).toBe('dns');
  });

  it('refuses other schemes and non-URLs', async () => {
    expect((await refusal(guard, 'file:///etc/passwd')).details?.reason).toBe('scheme');
    expect((await refusal(guard, 'gopher://public.test/')).details?.reason).toBe('scheme');
    expect((await refusal(guard, '/relative')).details?.reason).toBe('invalid-url');
  });

  it('accepts public literals and names resolving to public addresses', async () => {
    const checked = await guard.checkUrl('https://public.test/path');
    expect(checked.addresses).toEqual([{ address: '93.184.216.34', family: 4 }]);
    await expect(guard.checkUrl('http://8.8.8.8/')).resolves.toBeTruthy();
    await expect(guard.checkUrl('http://[2606:4700::1111]/')).resolves.toBeTruthy();
  });
});

describe('SsrfGuard allowlists', () => {
  it('SSRF_ALLOW_LOCALHOST allows loopback but not metadata or private ranges', async () => {
    const guard = new SsrfGuard(ssrfPolicyFromEnv({ SSRF_ALLOW_LOCALHOST: 'true' }), { resolver });
    await expect(guard.checkUrl('http://localhost:8080/')).resolves.toBeTruthy();
    await expect(guard.checkUrl('http://[::1]/')).resolves.toBeTruthy();
    await expect(guard.checkUrl('http://loop.test/')).resolves.toBeTruthy();
    expect((await refusal(guard, 'http://10.0.0.1/')).details?.reason).toBe('private');
    expect((await refusal(guard, 'http://0.0.0.0/')).details?.reason).toBe('unspecified');
  });

  it('SSRF_ALLOW_PRIVATE_NETWORKS allows RFC 1918/ULA/CGNAT but never metadata endpoints', async () => {
    const guard = new SsrfGuard(ssrfPolicyFromEnv({ SSRF_ALLOW_PRIVATE_NETWORKS: '1' }), { resolver });
    await expect(guard.checkUrl('http://private.test/')).resolves.toBeTruthy();
    await expect(guard.checkUrl('http://[fd12::1]/')).resolves.toBeTruthy();
    await expect(guard.checkUrl('http://100.64.1.1/')).resolves.toBeTruthy();
    expect((await refusal(guard, 'http://169.254.169.254/')).details?.reason).toBe('metadata');
    expect((await refusal(guard, 'http://127.0.0.1/')).details?.reason).toBe('loopback');
  });

  it('SSRF_ALLOWED_NETWORKS allows exactly the listed networks (JSON or comma list)', async () => {
    const guard = new SsrfGuard(ssrfPolicyFromEnv({ SSRF_ALLOWED_NETWORKS: '["10.1.0.0/16"]' }), {
      resolver,
    });
    await expect(guard.checkUrl('http://private.test/')).resolves.toBeTruthy();
    expect((await refusal(guard, 'http://10.2.0.1/')).details?.reason).toBe('private');
    const commas = new SsrfGuard(
      ssrfPolicyFromEnv({ SSRF_ALLOWED_NETWORKS: '127.0.0.1/32, 169.254.169.254/32' }),
    );
    await expect(commas.checkUrl('http://127.0.0.1/')).resolves.toBeTruthy();
    expect((await refusal(commas, 'http://169.254.169.254/')).details?.reason).toBe('metadata');
  });

  it('blocked networks and hosts win over everything else', async () => {
    const guard = new SsrfGuard(
      createSsrfPolicy({ blockedNetworks: ['93.184.216.0/24'], blockedHosts: ['evil.example'] }),
      { resolver },
    );
    expect((await refusal(guard, 'http://public.test/')).details?.reason).toBe('blocked');
    expect((await refusal(guard, 'http://EVIL.example./')).details?.reason).toBe('blocked');
  });

  it('a disabled policy checks only the scheme', async () => {
    const guard = new SsrfGuard(ssrfPolicyFromEnv({ SSRF_PROTECTION_ENABLED: 'false' }), { resolver });
    await expect(guard.checkUrl('http://169.254.169.254/')).resolves.toBeTruthy();
    expect((await refusal(guard, 'ftp://x/')).details?.reason).toBe('scheme');
  });

  it('rejects bad settings naming the variable', () => {
    expect(() => ssrfPolicyFromEnv({ SSRF_ALLOW_LOCALHOST: 'maybe' })).toThrow(
      /SSRF_ALLOW_LOCALHOST: expected true or false/,
    );
    expect(() => ssrfPolicyFromEnv({ SSRF_ALLOWED_NETWORKS: '10.0.0.0/99' })).toThrow(
      /SSRF_ALLOWED_NETWORKS\.0/,
    );
  });
});
