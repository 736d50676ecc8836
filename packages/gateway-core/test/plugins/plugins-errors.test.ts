// on_error as the framework defines it, end to end (fail → JSON-RPC error naming the plugin; ignore → the
// call goes on; disable → the call goes on and the plugin switches off), and start-up refusals of a bad
// plugin configuration with one message naming the file and the problem.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { GatewayError } from '../../src/errors.js';
import { createGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { TEST_ENV } from '../gateway-helpers.js';
import { type PluginGateway, pluginGateway, rpcError, texts, writePluginsConfig } from './support.js';

// Misbehaves when the tool's text contains its trigger: throws, or hangs until its timeout aborts it.
const TROUBLE = `
export function createPlugin({ name, config }) {
  return {
    name,
    hooks: {
      async tool_pre_invoke(payload, ctx) {
        if (!String(payload.args.text ?? '').includes(config.trigger)) return {};
        if (config.behaviour === 'throw') throw new Error(name + ' exploded');
        await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve));
        return {};
      },
    },
  };
}
`;

const entry = (name: string, behaviour: string, onError: string, extra = '') => `  - name: ${name}
    kind: ./trouble.mjs
    hooks: [tool_pre_invoke]
    on_error: ${onError}
${extra}    config: { trigger: "${name}!", behaviour: ${behaviour} }
`;

const YAML = `plugins:
${entry('boom-fail', 'throw', 'fail')}${entry('boom-ignore', 'throw', 'ignore')}${entry('boom-disable', 'throw', 'disable')}${entry('hang-fail', 'hang', 'fail', '    timeout: 0.2\n')}${entry('hang-ignore', 'hang', 'ignore', '    timeout: 0.2\n')}`;

describe('on_error policies on a real gateway', () => {
  let t: PluginGateway;
  beforeAll(async () => {
    t = await pluginGateway(writePluginsConfig(YAML, { 'trouble.mjs': TROUBLE }));
  });
  afterAll(() => t?.close());

  const call = async (text: string) =>
    (await t.client(`/servers/${t.serverId}/mcp`)).callTool({ name: 'echo', arguments: { text } });

  it('fail: a plugin that throws answers -32603 naming the plugin and hook; the upstream is not called', async () => {
    const before = t.echo.counts.get('tools/call') ?? 0;
    const e = await rpcError(call('boom-fail!'));
    expect(e.code).toBe(-32603);
    expect(e.message).toContain('plugin "boom-fail" failed in tool_pre_invoke: boom-fail exploded');
    expect(e.data).toEqual({ code: 'PLUGIN_EXECUTION_FAILED', plugin: 'boom-fail', hook: 'tool_pre_invoke' });
    expect(t.echo.counts.get('tools/call') ?? 0).toBe(before);
  });

  it('fail: a plugin that times out answers -32603 naming its timeout', async () => {
    const e = await rpcError(call('hang-fail!'));
    expect(e.code).toBe(-32603);
    expect(e.message).toContain('plugin "hang-fail" did not answer tool_pre_invoke within 200 ms');
    expect(e.data).toMatchObject({ code: 'PLUGIN_TIMEOUT', plugin: 'hang-fail' });
  });

  it('ignore: the call goes through when the plugin throws or times out, and the error is counted', async () => {
    expect(texts(await call('boom-ignore!'))).toEqual(['boom-ignore!']);
    expect(texts(await call('hang-ignore!'))).toEqual(['hang-ignore!']);
    const list = (await t.gw.call('GET', '/v1/plugins')).body.plugins as Array<{
      name: string;
      status: string;
      stats: { errors: number; timeouts: number; last_error?: { message: string } };
    }>;
    const byName = Object.fromEntries(list.map((p) => [p.name, p]));
    expect(byName['boom-ignore']).toMatchObject({ status: 'enabled', stats: { errors: 1, timeouts: 0 } });
    expect(byName['boom-ignore']?.stats.last_error?.message).toContain('boom-ignore exploded');
    expect(byName['hang-ignore']).toMatchObject({ status: 'enabled', stats: { errors: 1, timeouts: 1 } });
  });

  it('disable: the call goes through and the plugin switches itself off until re-enabled', async () => {
    expect(texts(await call('boom-disable!'))).toEqual(['boom-disable!']);
    const after = (await t.gw.call('GET', '/v1/plugins/boom-disable')).body;
    expect(after).toMatchObject({ status: 'disabled', mode: 'disabled', configured_mode: 'sequential' });
    expect(after.disabled_reason).toContain('boom-disable exploded');
    expect(texts(await call('boom-disable!'))).toEqual(['boom-disable!']);
    expect((await t.gw.call('GET', '/v1/plugins/boom-disable')).body.stats.calls).toBe(after.stats.calls);
    const again = await t.gw.call('PUT', '/v1/plugins/boom-disable', { mode: null });
    expect(again.body).toMatchObject({ status: 'enabled', mode: 'sequential' });
    expect(again.body.disabled_reason).toBeUndefined();
  });
});

describe('a bad plugin configuration stops start-up with one message naming the file and the problem', () => {
  const start = async (configPath: string, databaseUrl = 'sqlite::memory:') => {
    const { config } = parseConfig({
      ...TEST_ENV,
      DATABASE_URL: databaseUrl,
      AUTH_ENCRYPTION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
      PLUGINS_ENABLED: 'true',
      PLUGINS_CONFIG_FILE: configPath,
    });
    try {
      const gw = await createGateway(config, { logger: createLogger('silent') });
      await gw.close();
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError);
      expect((error as GatewayError).code).toBe('CONFIG_INVALID');
      return (error as Error).message;
    }
    throw new Error('expected createGateway to refuse the plugin configuration');
  };

  it('an invalid field, before the database is touched (no administrator whose password is never shown)', async () => {
    const path = writePluginsConfig(
      'plugins:\n  - name: deny\n    kind: "@contextforge/plugin-deny-filter"\n    mode: enforcing\n',
    );
    const database = join(dirname(path), 'gateway.db');
    const message = await start(path, `sqlite:///${database}`);
    expect(existsSync(database)).toBe(false);
    expect(message).toContain(`PLUGINS_CONFIG_FILE: invalid plugin configuration (${path})`);
    expect(message).toContain('plugins[0] "deny": mode: must be one of sequential');
    expect(message).toContain('(received "enforcing")');
  });

  it('a plugin package that is not installed, naming the package to install', async () => {
    const path = writePluginsConfig(
      'plugins:\n  - name: nope\n    kind: "@contextforge/plugin-not-installed"\n',
    );
    const message = await start(path);
    expect(message).toContain(
      `PLUGINS_CONFIG_FILE (${path}): plugin "nope": cannot find package "@contextforge/plugin-not-installed"`,
    );
    expect(message).toContain('install it with `npm install @contextforge/plugin-not-installed`');
  });

  it('a plugin whose config block is invalid, and a missing file', async () => {
    const bad = writePluginsConfig(
      'plugins:\n  - name: deny\n    kind: "@contextforge/plugin-deny-filter"\n    config: { words: [] }\n',
    );
    expect(await start(bad)).toContain(
      `PLUGINS_CONFIG_FILE (${bad}): invalid plugin configuration (plugin config):\n  - plugin "deny": config.words: needs at least one word`,
    );
    const missing = `${bad}.missing`;
    expect(await start(missing)).toContain(
      `PLUGINS_CONFIG_FILE: invalid plugin configuration (${missing}):\n  - cannot read the file`,
    );
  });
});
