import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gctx, managerFor } from '../../test/support/manager.js';
import { calls } from '../../test/support/test-plugins.js';
import { PluginExecutionError, PluginTimeoutError } from '../errors.js';
import type { PluginManager } from './plugin-manager.js';

let manager: PluginManager | undefined;
beforeEach(() => {
  calls.length = 0;
});
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

const call = () => manager!.invokeHook('tool_pre_invoke', { name: 'search', args: { trail: '' } }, gctx());

describe('on_error policies', () => {
  it('fail: a throwing plugin fails the request with a typed error naming it', async () => {
    manager = await managerFor(
      'plugins:\n  - { name: broken, kind: troublemaker, on_error: fail, config: { behaviour: throw } }\n',
    );
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginExecutionError);
    expect(error).toMatchObject({
      code: 'PLUGIN_EXECUTION_FAILED',
      pluginName: 'broken',
      hook: 'tool_pre_invoke',
    });
    expect((error as Error).message).toBe('plugin "broken" failed in tool_pre_invoke: boom');
    expect(manager.getPlugin('broken')?.stats).toMatchObject({
      errors: 1,
      lastError: { hook: 'tool_pre_invoke' },
    });
  });

  it('fail: a plugin that times out fails the request and sees its abort signal fire', async () => {
    manager = await managerFor(
      'plugins:\n  - { name: stuck, kind: troublemaker, timeout: 0.05, config: { behaviour: hang } }\n',
    );
    const error = await call().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PluginTimeoutError);
    expect((error as Error).message).toBe('plugin "stuck" did not answer tool_pre_invoke within 50 ms');
    expect(manager.getPlugin('stuck')?.stats).toMatchObject({ timeouts: 1, errors: 1 });
  });

  it('ignore: the error is logged and the next plugins still run', async () => {
    manager = await managerFor(`
plugins:
  - { name: broken, kind: troublemaker, on_error: ignore, priority: 1, config: { behaviour: throw } }
  - { name: stuck, kind: troublemaker, on_error: ignore, priority: 2, timeout: 0.05, config: { behaviour: hang } }
  - { name: tag, kind: tagger, priority: 3, config: { tag: ok } }
`);
    const out = await call();
    expect(out.payload.args.trail).toBe('ok');
    expect(manager.getPlugin('broken')?.mode).toBe('sequential');
  });

  it('disable: the plugin is switched off after its first error and skipped afterwards', async () => {
    manager = await managerFor(`
plugins:
  - { name: flaky, kind: troublemaker, on_error: disable, config: { behaviour: throw } }
  - { name: tag, kind: tagger }
`);
    const disabled: unknown[] = [];
    manager.on('pluginDisabled', (e) => disabled.push(e));
    expect((await call()).payload.args.trail).toBe('tag');
    expect(manager.getPlugin('flaky')).toMatchObject({
      mode: 'disabled',
      disabledReason: expect.stringContaining('boom'),
    });
    await call();
    expect(calls.filter((c) => c === 'flaky')).toHaveLength(1);
    expect(disabled).toEqual([{ name: 'flaky', error: 'plugin "flaky" failed in tool_pre_invoke: boom' }]);
    expect((await manager.resetMode('flaky')).mode).toBe('sequential');
  });

  it('fail_on_plugin_error overrides ignore', async () => {
    manager = await managerFor(`
plugin_settings: { fail_on_plugin_error: true }
plugins:
  - { name: broken, kind: troublemaker, on_error: ignore, config: { behaviour: throw } }
`);
    await expect(call()).rejects.toBeInstanceOf(PluginExecutionError);
  });

  it('a plugin that returns a non-object is an error, undefined means continue', async () => {
    const { PluginManager } = await import('./plugin-manager.js');
    const { parsePluginsYaml, silentLogger } = await import('../index.js');
    manager = new PluginManager({
      config: parsePluginsYaml('plugins:\n  - { name: odd, kind: odd }\n  - { name: quiet, kind: quiet }\n'),
      logger: silentLogger,
      factories: {
        odd: ({ name }) => ({ name, hooks: { prompt_pre_fetch: () => 'yes' as never } }),
        quiet: ({ name }) => ({ name, hooks: { tool_pre_invoke: () => undefined as never } }),
      },
    });
    await manager.initialize();
    await expect(
      manager.invokeHook('prompt_pre_fetch', { prompt_id: 'p', args: {} }, gctx()),
    ).rejects.toThrow(
      'plugin "odd" failed in prompt_pre_fetch: returned string, expected a PluginResult object',
    );
    expect((await call()).continueProcessing).toBe(true);
  });
});
