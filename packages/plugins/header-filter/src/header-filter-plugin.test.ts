import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, createPlugin, manifest } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;
const plugin = (config: Record<string, unknown> = {}): Plugin =>
  createPlugin({ name: 'hdr', config, entry: {} as never, logger: silentLogger, configDir: '.' }) as Plugin;

describe('header-filter plugin', () => {
  it('strips credentials from pass-through headers by default (case-insensitive)', async () => {
    const out = await plugin().hooks.tool_pre_invoke!(
      { name: 't', args: {}, headers: { Authorization: 'Bearer x', Cookie: 'a=b', 'X-Request-Id': 'r1' } },
      context,
    );
    expect(out).toEqual({
      modifiedPayload: { name: 't', args: {}, headers: { 'X-Request-Id': 'r1' } },
      metadata: { header_filter: { removed: ['authorization', 'cookie'] } },
    });
  });

  it('applies patterns and the allowlist, and leaves payloads without headers alone', async () => {
    const p = plugin({
      strip_headers: [],
      strip_patterns: ['^x-internal-'],
      allow_headers: ['x-internal-trace'],
    });
    const out = await p.hooks.agent_pre_invoke!(
      {
        agent_id: 'a',
        messages: [],
        headers: { 'x-internal-secret': '1', 'X-Internal-Trace': '2', authorization: 'keep' },
      },
      context,
    );
    expect(out.modifiedPayload).toEqual({
      agent_id: 'a',
      messages: [],
      headers: { 'X-Internal-Trace': '2', authorization: 'keep' },
    });
    expect(await p.hooks.tool_pre_invoke!({ name: 't', args: {} }, context)).toEqual({});
  });

  it('removes spoofable identity headers from incoming requests only when configured', async () => {
    expect(plugin().hooks.http_pre_request).toBeUndefined();
    const p = plugin({ strip_incoming: ['x-forwarded-user'] });
    const out = await p.hooks.http_pre_request!(
      { path: '/mcp', method: 'POST', headers: { 'x-forwarded-user': 'admin@corp', accept: '*/*' } },
      context,
    );
    expect(out.modifiedPayload).toEqual({ accept: '*/*' });
  });

  it('rejects bad configuration naming the field', () => {
    expect(() => plugin({ strip_headers: ['bad header'] })).toThrow(
      'config.strip_headers[0]: must be an HTTP header name',
    );
    expect(() => plugin({ strip_patterns: ['('] })).toThrow(
      /config\.strip_patterns\[0\]: invalid regular expression/,
    );
    expect(manifest.availableHooks).toContain('http_pre_request');
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });
});
