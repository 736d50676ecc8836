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
  createPlugin({ name: 'deny', config, entry: {} as never, logger: silentLogger, configDir: '.' }) as Plugin;

describe('deny-filter plugin', () => {
  it('blocks a prompt whose argument contains a denied word, naming the argument', async () => {
    const out = await plugin({ words: ['innovative', 'groundbreaking'] }).hooks.prompt_pre_fetch!(
      { prompt_id: 'pitch', args: { topic: 'cats', style: 'A truly Innovative approach' } },
      context,
    );
    expect(out).toEqual({
      continueProcessing: false,
      violation: {
        reason: 'Prompt not allowed',
        description: 'A deny-listed word was found in argument "style"',
        code: 'deny',
        details: { argument: 'style' },
      },
    });
  });

  it('lets clean prompts through and checks nested tool arguments and agent messages', async () => {
    const p = plugin({ words: ['drop table'] });
    expect(await p.hooks.prompt_pre_fetch!({ prompt_id: 'p', args: { q: 'hello' } }, context)).toEqual({});
    const tool = await p.hooks.tool_pre_invoke!(
      { name: 'sql', args: { steps: [{ sql: 'DROP TABLE users' }] } },
      context,
    );
    expect(tool.violation).toMatchObject({
      reason: 'Tool call not allowed',
      details: { argument: 'steps.0.sql' },
    });
    const agent = await p.hooks.agent_pre_invoke!(
      { agent_id: 'a', messages: [{ text: 'please drop table x' }] },
      context,
    );
    expect(agent.violation?.description).toBe('A deny-listed word was found in field "0.text"');
  });

  it('supports case-sensitive and whole-word matching', async () => {
    const cs = plugin({ words: ['Secret'], case_sensitive: true });
    expect(await cs.hooks.prompt_pre_fetch!({ prompt_id: 'p', args: { a: 'a secret' } }, context)).toEqual(
      {},
    );
    const whole = plugin({ words: ['art'], whole_words: true });
    expect(
      await whole.hooks.prompt_pre_fetch!({ prompt_id: 'p', args: { a: 'party start' } }, context),
    ).toEqual({});
    expect(
      (await whole.hooks.prompt_pre_fetch!({ prompt_id: 'p', args: { a: 'modern art.' } }, context))
        .violation,
    ).toBeDefined();
    const special = plugin({ words: ['a+b (c)'] });
    expect(
      (await special.hooks.prompt_pre_fetch!({ prompt_id: 'p', args: { a: 'x a+b (c) y' } }, context))
        .violation,
    ).toBeDefined();
  });

  it('rejects a configuration without words', () => {
    expect(() => plugin({})).toThrow(
      'plugin "deny": config.words: Invalid input: expected array, received undefined',
    );
    expect(() => plugin({ words: [] })).toThrow('config.words: needs at least one word');
    expect(() => plugin({ words: ['x'], wholeWords: true })).toThrow('Unrecognized key: "wholeWords"');
  });

  it('publishes a manifest and JSON schema', () => {
    expect(manifest.availableHooks).toEqual(['prompt_pre_fetch', 'tool_pre_invoke', 'agent_pre_invoke']);
    expect(configJsonSchema).toMatchObject({ required: ['words'] });
  });
});
