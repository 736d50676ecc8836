import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gctx, managerFor, testDir } from '../../test/support/manager.js';
import { lifecycle } from '../../test/support/test-plugins.js';
import { parsePluginsYaml } from '../config/load-config.js';
import { silentLogger } from '../util/logger.js';
import { PluginManager } from './plugin-manager.js';

let manager: PluginManager | undefined;
beforeEach(() => {
  Object.assign(lifecycle, { created: 0, initialized: 0, shutdown: 0 });
});
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

describe('hot reload', () => {
  it('keeps unchanged plugins (instance, stats, mode override) and restarts changed ones', async () => {
    manager = await managerFor('plugins:\n  - { name: a, kind: counted }\n  - { name: b, kind: counted }\n');
    await manager.invokeHook('tool_pre_invoke', { name: 't', args: {} }, gctx());
    await manager.setMode('a', 'audit');
    const report = await manager.reload(
      parsePluginsYaml(
        'plugins:\n  - { name: a, kind: counted }\n  - { name: b, kind: counted, priority: 5 }\n  - { name: c, kind: counted }\n',
      ),
    );
    expect(report).toEqual({ added: ['c'], removed: [], restarted: ['b'], kept: ['a'] });
    expect(manager.getPlugin('a')).toMatchObject({ mode: 'audit', stats: { calls: 1 } });
    expect(manager.getPlugin('b')?.stats.calls).toBe(0);
    expect(lifecycle).toMatchObject({ created: 4, initialized: 4 });
    await new Promise((r) => setImmediate(r));
    expect(lifecycle.shutdown).toBe(1);
  });

  it('lets in-flight requests finish on the old plugins before shutting removed ones down', async () => {
    let release = () => {};
    const events: string[] = [];
    manager = new PluginManager({
      config: parsePluginsYaml('plugins:\n  - { name: slow, kind: slow }\n'),
      logger: silentLogger,
      factories: {
        slow: ({ name }) => ({
          name,
          hooks: {
            tool_post_invoke: async (payload) => {
              events.push('hook:start');
              await new Promise<void>((r) => {
                release = r;
              });
              events.push('hook:end');
              return { modifiedPayload: { ...payload, result: 'checked' } };
            },
          },
          shutdown: () => {
            events.push('shutdown');
          },
        }),
      },
    });
    await manager.initialize();
    const inflight = manager.invokeHook('tool_post_invoke', { name: 't', result: 'raw' }, gctx());
    await new Promise((r) => setImmediate(r));
    const report = await manager.reload(parsePluginsYaml('plugins: []\n'));
    expect(report.removed).toEqual(['slow']);
    // The new configuration serves new requests at once…
    const fresh = await manager.invokeHook('tool_post_invoke', { name: 't', result: 'raw' }, gctx());
    expect(fresh.payload.result).toBe('raw');
    // …while the request that started before the reload still completes on the old plugin.
    expect(events).toEqual(['hook:start']);
    release();
    expect((await inflight).payload.result).toBe('checked');
    await new Promise((r) => setImmediate(r));
    expect(events).toEqual(['hook:start', 'hook:end', 'shutdown']);
  });

  it('keeps the running configuration when a reload fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-reload-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'plugins:\n  - { name: a, kind: counted }\n');
    manager = await PluginManager.fromFile(file, {
      factories: { counted: (await import('../../test/support/test-plugins.js')).counted },
      logger: silentLogger,
    });
    writeFileSync(file, 'plugins:\n  - { name: a, kind: counted, mode: nonsense }\n');
    const failed = once(manager, 'reloadFailed');
    await expect(manager.reload()).rejects.toThrow('plugins[0] "a": mode: must be one of');
    await failed;
    expect(manager.listPlugins().map((p) => p.name)).toEqual(['a']);
    writeFileSync(
      file,
      'plugins:\n  - { name: a, kind: counted }\n  - { name: b, kind: missing-package-xyz }\n',
    );
    await expect(manager.reload()).rejects.toThrow('cannot find package "missing-package-xyz"');
    expect(manager.listPlugins().map((p) => p.name)).toEqual(['a']);
  });

  it('watch() reloads when the file changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cf-watch-'));
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'plugins:\n  - { name: a, kind: counted }\n');
    manager = await PluginManager.fromFile(file, {
      factories: { counted: (await import('../../test/support/test-plugins.js')).counted },
      logger: silentLogger,
    });
    const stop = manager.watch({ debounceMs: 20 });
    const reloaded = once(manager, 'reloaded');
    writeFileSync(file, 'plugins:\n  - { name: a, kind: counted }\n  - { name: b, kind: counted }\n');
    const [report] = await reloaded;
    stop();
    expect(report).toMatchObject({ added: ['b'], kept: ['a'] });
  });
});

describe('plugin loading', () => {
  it('loads a plugin from a path relative to the YAML file', async () => {
    manager = await managerFor(
      'plugins:\n  - { name: up, kind: ./fixtures/upper-plugin.mjs, hooks: [prompt_pre_fetch] }\n',
    );
    const out = await manager.invokeHook(
      'prompt_pre_fetch',
      { prompt_id: 'p', args: { topic: 'cats' } },
      gctx(),
    );
    expect(out.payload.args).toEqual({ topic: 'CATS' });
    expect(manager.getPlugin('up')?.hooks).toEqual(['prompt_pre_fetch']);
  });

  it('explains a missing package and an unimplemented hook, and maps ContextForge class paths', async () => {
    await expect(managerFor('plugins:\n  - { name: x, kind: "@acme/not-installed" }\n')).rejects.toThrow(
      'plugin "x": cannot find package "@acme/not-installed"',
    );
    // A ContextForge class path resolves to the package we ship under that class name.
    const aliased = new PluginManager({
      config: parsePluginsYaml('plugins:\n  - { name: pii, kind: cpex_pii_filter.PIIFilterPlugin }\n'),
      logger: silentLogger,
      factories: {
        '@contextforge/plugin-pii-filter': ({ name }) => ({ name, hooks: { tool_pre_invoke: () => ({}) } }),
      },
    });
    await aliased.initialize();
    expect(aliased.getPlugin('pii')).toMatchObject({
      kind: 'cpex_pii_filter.PIIFilterPlugin',
      hooks: ['tool_pre_invoke'],
    });
    await aliased.shutdown();
    await expect(
      managerFor(
        'plugins:\n  - { name: up, kind: ./fixtures/upper-plugin.mjs, hooks: [resource_pre_fetch] }\n',
      ),
    ).rejects.toThrow(
      'hooks lists resource_pre_fetch, which ./fixtures/upper-plugin.mjs does not implement (it implements tool_pre_invoke, tool_post_invoke, prompt_pre_fetch)',
    );
    expect(testDir).toContain('plugin-framework');
  });
});
