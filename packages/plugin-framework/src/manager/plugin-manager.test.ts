import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gctx, managerFor } from '../../test/support/manager.js';
import { calls, gate } from '../../test/support/test-plugins.js';
import type { PluginManager } from './plugin-manager.js';

let manager: PluginManager | undefined;
beforeEach(() => {
  calls.length = 0;
});
afterEach(async () => {
  await manager?.shutdown();
  manager = undefined;
});

const tool = (args: Record<string, unknown> = {}) => ({ name: 'search', args });

describe('PluginManager execution order and modes', () => {
  it('runs plugins by phase, then priority, then file order, chaining modifications', async () => {
    manager = await managerFor(`
plugins:
  - { name: late, kind: tagger, priority: 200, config: { tag: L } }
  - { name: transform, kind: tagger, mode: transform, priority: 1, config: { tag: T } }
  - { name: first, kind: tagger, priority: 10, config: { tag: A } }
  - { name: second, kind: tagger, priority: 10, config: { tag: B } }
`);
    const out = await manager.invokeHook('tool_pre_invoke', tool(), gctx());
    expect(out.continueProcessing).toBe(true);
    expect(out.modified).toBe(true);
    expect(out.payload.args.trail).toBe('ABLT');
    expect(calls).toEqual(['first', 'second', 'late', 'transform']);
  });

  it('returns the very same payload when no plugin listens to the hook', async () => {
    manager = await managerFor('plugins:\n  - { name: t, kind: tagger, hooks: [prompt_pre_fetch] }\n');
    const payload = tool();
    const out = await manager.invokeHook('tool_pre_invoke', payload, gctx());
    expect(out.payload).toBe(payload);
    expect(out.modified).toBe(false);
    expect(manager.hasHooks('tool_pre_invoke')).toBe(false);
    expect(manager.hasHooks('prompt_pre_fetch')).toBe(true);
  });

  it('stops at the first sequential violation and names the plugin', async () => {
    manager = await managerFor(`
plugins:
  - { name: deny, kind: blocker, priority: 1, config: { word: evil } }
  - { name: after, kind: tagger, priority: 2 }
`);
    const out = await manager.invokeHook('tool_pre_invoke', tool({ text: 'an evil plan' }), gctx());
    expect(out.continueProcessing).toBe(false);
    expect(out.violation).toMatchObject({ code: 'DENY', pluginName: 'deny' });
    expect(calls).toEqual(['deny']);
    expect(manager.getPlugin('deny')?.stats).toMatchObject({ calls: 1, violations: 1 });
  });

  it('suppresses violations in transform and audit modes; audit modifications are discarded', async () => {
    manager = await managerFor(`
plugins:
  - { name: t-block, kind: blocker, mode: transform, config: { word: evil } }
  - { name: a-block, kind: blocker, mode: audit, config: { word: evil } }
  - { name: a-tag, kind: tagger, mode: audit, config: { tag: X } }
`);
    const out = await manager.invokeHook('tool_pre_invoke', tool({ text: 'evil', trail: '' }), gctx());
    expect(out.continueProcessing).toBe(true);
    expect(out.payload.args.trail).toBe('');
    expect(out.modified).toBe(false);
    expect(manager.getPlugin('t-block')?.stats.suppressedViolations).toBe(1);
    expect(manager.getPlugin('a-block')?.stats.suppressedViolations).toBe(1);
  });

  it('runs concurrent plugins in parallel after the serial phases: they block but never modify', async () => {
    manager = await managerFor(`
plugins:
  - { name: c-tag, kind: tagger, mode: concurrent }
  - { name: c-slow, kind: gated, mode: concurrent }
  - { name: c-deny, kind: blocker, mode: concurrent, config: { word: evil } }
  - { name: seq, kind: tagger, config: { tag: S } }
`);
    const blocked = await manager.invokeHook('tool_pre_invoke', tool({ text: 'evil' }), gctx());
    expect(blocked.violation?.pluginName).toBe('c-deny');
    // Fail-fast: the violation came back while the gated plugin is still waiting.
    expect(calls).toContain('c-slow:start');
    expect(calls).not.toContain('c-slow:end');
    expect(calls[0]).toBe('seq');
    gate.open();
    const clean = await manager.invokeHook('tool_pre_invoke', tool({ text: 'fine' }), gctx());
    expect(clean.payload.args.trail).toBe('S');
    expect(clean.continueProcessing).toBe(true);
  });

  it('runs fire_and_forget plugins in the background on a copy of the payload', async () => {
    manager = await managerFor(`
plugins:
  - { name: bg, kind: tagger, mode: fire_and_forget }
  - { name: bg-deny, kind: blocker, mode: fire_and_forget, config: { word: evil } }
`);
    const payload = tool({ text: 'evil', trail: '' });
    const out = await manager.invokeHook('tool_pre_invoke', payload, gctx());
    expect(out.continueProcessing).toBe(true);
    expect(out.payload).toBe(payload);
    await manager.shutdown();
    expect(calls.sort()).toEqual(['bg', 'bg-deny']);
  });

  it('skips disabled plugins without instantiating them, and enables them at runtime', async () => {
    manager = await managerFor(`
plugins:
  - { name: off, kind: blocker, mode: disabled, hooks: [tool_pre_invoke], config: { word: evil } }
`);
    expect(manager.getPlugin('off')).toMatchObject({ mode: 'disabled', loaded: false });
    expect(
      (await manager.invokeHook('tool_pre_invoke', tool({ text: 'evil' }), gctx())).continueProcessing,
    ).toBe(true);
    const info = await manager.setMode('off', 'enforce');
    expect(info).toMatchObject({
      mode: 'sequential',
      configuredMode: 'disabled',
      modeOverridden: true,
      loaded: true,
    });
    expect(
      (await manager.invokeHook('tool_pre_invoke', tool({ text: 'evil' }), gctx())).continueProcessing,
    ).toBe(false);
    await manager.setMode('off', 'permissive');
    expect(
      (await manager.invokeHook('tool_pre_invoke', tool({ text: 'evil' }), gctx())).continueProcessing,
    ).toBe(true);
    expect((await manager.resetMode('off')).mode).toBe('disabled');
  });

  it('rejects unknown plugin names and modes with clear errors', async () => {
    manager = await managerFor('plugins:\n  - { name: a, kind: tagger }\n');
    await expect(manager.setMode('nope', 'audit')).rejects.toThrow('no plugin named "nope" (configured: a)');
    await expect(manager.setMode('a', 'loud' as never)).rejects.toThrow('mode must be one of sequential');
  });
});

/** A plugin deciding `http_auth_check_permission` (or abstaining), recording that it ran. */
function decider(seen: string[], decision: { granted: boolean; reason?: string } | undefined) {
  return ({ name }: { name: string }) => ({
    name,
    hooks: {
      http_auth_check_permission: () => {
        seen.push(name);
        return decision ? { modifiedPayload: decision } : {};
      },
    },
  });
}

describe('PluginManager contexts and conditions', () => {
  it('shares a plugin context from the pre hook to the post hook of the same request', async () => {
    manager = await managerFor('plugins:\n  - { name: memo, kind: stateful }\n');
    const global = gctx();
    const pre = await manager.invokeHook('tool_pre_invoke', tool(), global);
    const post = await manager.invokeHook(
      'tool_post_invoke',
      { name: 'search', result: null },
      global,
      pre.contexts,
    );
    expect(post.payload.result).toEqual({ fromPre: 'search', shared: 'memo-was-here' });
    expect(global.state.shared).toBe('memo-was-here');
  });

  it('applies conditions: OR across entries, AND inside one, per hook subject', async () => {
    manager = await managerFor(`
plugins:
  - name: scoped
    kind: blocker
    config: { word: evil }
    conditions:
      - { server_ids: [s1], tools: [search] }
      - { user_patterns: ["^admin@"] }
`);
    const evil = (name: string) => ({ name, args: { text: 'evil' } });
    const run = async (name: string, ctx = gctx()) =>
      (await manager!.invokeHook('tool_pre_invoke', evil(name), ctx)).continueProcessing;
    expect(await run('search', gctx({ serverId: 's1' }))).toBe(false);
    expect(await run('other', gctx({ serverId: 's1' }))).toBe(true);
    expect(await run('search', gctx({ serverId: 's2' }))).toBe(true);
    expect(await run('other', gctx({ user: { email: 'admin@example.com' } }))).toBe(false);
    expect(manager.getPlugin('scoped')?.stats.skipped).toBe(2);
  });

  it('lets the first auth decision win and skips the rest', async () => {
    const { PluginManager } = await import('./plugin-manager.js');
    const { parsePluginsYaml, silentLogger } = await import('../index.js');
    const seen: string[] = [];
    manager = new PluginManager({
      config: parsePluginsYaml(
        'plugins:\n  - { name: abstain, kind: abstain, priority: 1 }\n  - { name: deny, kind: deny, priority: 2 }\n  - { name: grant, kind: grant, priority: 3 }\n',
      ),
      logger: silentLogger,
      factories: {
        abstain: decider(seen, undefined),
        deny: decider(seen, { granted: false, reason: 'off hours' }),
        grant: decider(seen, { granted: true }),
      },
    });
    await manager.initialize();
    const out = await manager.invokeHook(
      'http_auth_check_permission',
      { user_email: 'a@b.io', permission: 'tools.execute', is_admin: false },
      gctx(),
    );
    expect(out.modifiedPayload).toEqual({ granted: false, reason: 'off hours' });
    expect(out.payload).toEqual({ user_email: 'a@b.io', permission: 'tools.execute', is_admin: false });
    expect(seen).toEqual(['abstain', 'deny']);
  });

  it('chains http_pre_request header replacements', async () => {
    const { PluginManager } = await import('./plugin-manager.js');
    const { parsePluginsYaml, silentLogger } = await import('../index.js');
    manager = new PluginManager({
      config: parsePluginsYaml('plugins:\n  - { name: h1, kind: h1 }\n  - { name: h2, kind: h2 }\n'),
      logger: silentLogger,
      factories: {
        h1: ({ name }) => ({
          name,
          hooks: {
            http_pre_request: (p) => ({
              modifiedPayload: { ...p.headers, authorization: `Bearer ${p.headers['x-api-key']}` },
            }),
          },
        }),
        h2: ({ name }) => ({
          name,
          hooks: {
            http_pre_request: (p) => ({
              modifiedPayload: { ...p.headers, seen: p.headers.authorization ?? 'none' },
            }),
          },
        }),
      },
    });
    await manager.initialize();
    const out = await manager.invokeHook(
      'http_pre_request',
      { path: '/v1/tools', method: 'GET', headers: { 'x-api-key': 'k1' } },
      gctx(),
    );
    expect(out.modifiedPayload).toEqual({ 'x-api-key': 'k1', authorization: 'Bearer k1', seen: 'Bearer k1' });
    expect(out.payload.headers).toEqual(out.modifiedPayload);
  });
});
