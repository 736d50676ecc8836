import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, contentSize, createPlugin, manifest } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;
const plugin = (config: Record<string, unknown> = {}): Plugin =>
  createPlugin({ name: 'res', config, entry: {} as never, logger: silentLogger, configDir: '.' }) as Plugin;
const pre = (p: Plugin, uri: string) => p.hooks.resource_pre_fetch!({ uri, metadata: {} }, context);

describe('resource-filter plugin', () => {
  it('allows only configured protocols', async () => {
    const p = plugin({ allowed_protocols: ['https', 'time'] });
    expect(await pre(p, 'https://docs.example.com/a')).toEqual({});
    expect(await pre(p, 'time://now')).toEqual({});
    expect((await pre(p, 'file:///etc/passwd')).violation).toMatchObject({
      code: 'PROTOCOL_BLOCKED',
      description: 'resources with scheme "file" may not be read (allowed: https, time)',
    });
    expect((await pre(p, 'not a uri')).violation?.code).toBe('INVALID_URI');
  });

  it('applies the domain allowlist and blocklist, subdomains included', async () => {
    const p = plugin({ allowed_domains: ['example.com'], blocked_domains: ['evil.example.com'] });
    expect(await pre(p, 'https://api.example.com/x')).toEqual({});
    expect((await pre(p, 'https://x.evil.example.com/')).violation?.code).toBe('DOMAIN_BLOCKED');
    expect((await pre(p, 'https://example.org/')).violation).toMatchObject({
      code: 'DOMAIN_NOT_ALLOWED',
      details: { domain: 'example.org' },
    });
    expect(
      (await pre(plugin({ blocked_domains: ['*.corp.io'] }), 'https://corp.io/')).continueProcessing,
    ).toBeUndefined();
  });

  it('caps the content size (text as UTF-8, blobs decoded)', async () => {
    const p = plugin({ max_content_size: 10 });
    const post = (content: unknown) =>
      p.hooks.resource_post_fetch!({ uri: 'https://a.io/x', content }, context);
    expect(await post({ contents: [{ uri: 'https://a.io/x', text: 'héllo' }] })).toEqual({});
    expect((await post({ contents: [{ uri: 'https://a.io/x', text: 'ééééééé' }] })).violation).toMatchObject({
      code: 'CONTENT_TOO_LARGE',
      details: { size: 14, max_content_size: 10 },
    });
    expect(contentSize({ contents: [{ blob: 'QUJDREVGR0g=' }] })).toBe(8);
  });

  it('redacts configured patterns in text contents only', async () => {
    const p = plugin({
      content_filters: [{ pattern: 'password\\s*[:=]\\s*\\S+', replacement: 'password: [REDACTED]' }],
    });
    const out = await p.hooks.resource_post_fetch!(
      {
        uri: 'https://a.io/password=x',
        content: { contents: [{ uri: 'https://a.io/password=x', text: 'user=a\nPassword = hunter2\n' }] },
      },
      context,
    );
    expect(out).toEqual({
      modifiedPayload: {
        uri: 'https://a.io/password=x',
        content: { contents: [{ uri: 'https://a.io/password=x', text: 'user=a\npassword: [REDACTED]\n' }] },
      },
      metadata: { resource_filter: { redactions: 1 } },
    });
  });

  it('rejects bad configuration naming the field', () => {
    expect(() => plugin({ blocked_domains: ['http://x.com'] })).toThrow(
      'config.blocked_domains[0]: must be a host name',
    );
    expect(() => plugin({ content_filters: [{ pattern: '[' }] })).toThrow(
      /config\.content_filters\[0\]\.pattern: invalid regular expression/,
    );
  });

  it('publishes a manifest and JSON schema', () => {
    expect(manifest.defaultConfig).toMatchObject({
      allowed_protocols: ['http', 'https'],
      max_content_size: 1048576,
    });
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });
});
