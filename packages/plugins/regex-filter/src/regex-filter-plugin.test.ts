import {
  createGlobalContext,
  type Plugin,
  type PluginContext,
  silentLogger,
} from '@contextforge/plugin-framework';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, createPlugin, manifest } from './index.js';

const context = { state: {}, metadata: {}, globalContext: createGlobalContext() } as PluginContext;
const plugin = (config: Record<string, unknown>): Plugin =>
  createPlugin({
    name: 'replace',
    config,
    entry: {} as never,
    logger: silentLogger,
    configDir: '.',
  }) as Plugin;

describe('regex-filter plugin', () => {
  it('applies rules in order, chaining their output (ContextForge example)', async () => {
    const p = plugin({
      words: [
        { search: 'crap', replace: 'crud' },
        { search: 'crud', replace: 'yikes' },
      ],
    });
    const out = await p.hooks.prompt_pre_fetch!(
      { prompt_id: 'p', args: { a: 'what crap', b: 'fine' } },
      context,
    );
    expect(out).toEqual({
      modifiedPayload: { prompt_id: 'p', args: { a: 'what yikes', b: 'fine' } },
      metadata: { regex_filter: { replaced: 1 } },
    });
  });

  it('rewrites tool results with groups and case-insensitive rules', async () => {
    const p = plugin({
      words: [
        { search: '(\\d{3})-(\\d{4})', replace: 'XXX-$2' },
        { search: 'internal', replace: '[hidden]', ignore_case: true },
      ],
    });
    const out = await p.hooks.tool_post_invoke!(
      { name: 't', result: { content: [{ type: 'text', text: 'call 555-1234, INTERNAL only' }] } },
      context,
    );
    expect(out.modifiedPayload).toEqual({
      name: 't',
      result: { content: [{ type: 'text', text: 'call XXX-1234, [hidden] only' }] },
    });
  });

  it('returns {} when nothing matches', async () => {
    const p = plugin({ words: [{ search: 'zzz', replace: 'y' }] });
    expect(await p.hooks.tool_pre_invoke!({ name: 't', args: { a: 'abc' } }, context)).toEqual({});
  });

  it('rejects an invalid regular expression naming the rule', () => {
    expect(() =>
      plugin({
        words: [
          { search: 'ok', replace: '' },
          { search: '(', replace: '' },
        ],
      }),
    ).toThrow(/plugin "replace": config\.words\[1\]\.search: invalid regular expression/);
    expect(() => plugin({ words: [{ search: 'a' }] })).toThrow(
      'config.words[0].replace: Invalid input: expected string, received undefined',
    );
  });

  it('publishes a manifest and JSON schema', () => {
    expect(manifest.availableHooks).toHaveLength(4);
    expect(configJsonSchema).toMatchObject({ type: 'object' });
  });
});
