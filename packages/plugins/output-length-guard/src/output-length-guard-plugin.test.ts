import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';
import { charCount, configJsonSchema, createPlugin, manifest } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;
const plugin = (config: Record<string, unknown> = {}): Plugin =>
  createPlugin({ name: 'len', config, entry: {} as never, logger: silentLogger, configDir: '.' }) as Plugin;
const run = (p: Plugin, result: unknown) => p.hooks.tool_post_invoke!({ name: 't', result }, context);
const text = (t: string) => ({ content: [{ type: 'text', text: t }] });

describe('output-length-guard plugin', () => {
  it('truncates long text content and structuredContent strings, keeping short ones', async () => {
    const out = await run(plugin({ max_chars: 10 }), {
      content: [
        { type: 'text', text: 'abcdefghijklmnop' },
        { type: 'text', text: 'short' },
      ],
      structuredContent: { summary: '0123456789ABC' },
    });
    expect(out).toEqual({
      modifiedPayload: {
        name: 't',
        result: {
          content: [
            { type: 'text', text: 'abcdefghi…' },
            { type: 'text', text: 'short' },
          ],
          structuredContent: { summary: '012345678…' },
        },
      },
      metadata: { output_length_guard: { truncated: 2, limit: 10, unit: 'characters' } },
    });
  });

  it('cuts at word boundaries when asked and counts characters, not UTF-16 units', async () => {
    const out = await run(
      plugin({ max_chars: 12, word_boundary: true, ellipsis: '...' }),
      text('the quick brown fox'),
    );
    expect((out.modifiedPayload as { result: unknown }).result).toEqual(text('the quick...'));
    expect(charCount('😀😀a')).toBe(3);
    expect(await run(plugin({ max_chars: 3 }), text('😀😀a'))).toEqual({});
  });

  it('blocks in block mode, in tokens when limit_mode is token', async () => {
    const out = await run(
      plugin({ strategy: 'block', limit_mode: 'token', max_tokens: 2, chars_per_token: 4 }),
      text('123456789'),
    );
    expect(out.violation).toEqual({
      reason: 'Output too long',
      description: 'output too long: 3 tokens, limit 2',
      code: 'OUTPUT_TOO_LONG',
      details: { length: 3, limit: 2, unit: 'tokens' },
    });
    const short = await run(plugin({ strategy: 'block', min_chars: 5 }), text('abc'));
    expect(short.violation?.code).toBe('OUTPUT_TOO_SHORT');
  });

  it('returns {} within bounds and when limits are disabled', async () => {
    expect(await run(plugin(), text('fine'))).toEqual({});
    expect(await run(plugin({ max_chars: 0 }), text('x'.repeat(50_000)))).toEqual({});
  });

  it('refuses oversized structures', async () => {
    const out = await run(plugin({ max_structure_size: 2 }), { content: [1, 2, 3] });
    expect(out.violation?.description).toBe('an array holds more than 2 items');
  });

  it('rejects bad configuration and publishes its schema', () => {
    expect(() => plugin({ strategy: 'cut' })).toThrow('config.strategy');
    expect(() => plugin({ chars_per_token: 20 })).toThrow('config.chars_per_token');
    expect(manifest.availableHooks).toEqual(['tool_post_invoke']);
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });
});
