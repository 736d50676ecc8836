// PLUGINS_CONFIG_WATCH: editing the YAML file swaps the plugins in without a restart; a broken edit is
// refused and the running plugins stay.
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import type { PluginManager } from '@contextforge/plugin-framework';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PluginGateway, pluginGateway, rpcError, texts, writePluginsConfig } from './support.js';

const deny = (word: string) => `plugins:
  - name: Deny
    kind: "@contextforge/plugin-deny-filter"
    hooks: [tool_pre_invoke]
    config: { words: ["${word}"] }
`;

describe('plugin configuration reload on file change', () => {
  let t: PluginGateway;
  let path: string;
  let manager: PluginManager;
  beforeAll(async () => {
    path = writePluginsConfig(deny('alpha'));
    t = await pluginGateway(path, { PLUGINS_CONFIG_WATCH: 'true' });
    manager = t.gw.gw.plugins as PluginManager;
  });
  afterAll(() => t?.close());

  const call = async (text: string) =>
    (await t.client(`/servers/${t.serverId}/mcp`)).callTool({ name: 'echo', arguments: { text } });

  it('applies an edited file to the next call, and keeps the running plugins when an edit is invalid', async () => {
    expect((await rpcError(call('alpha'))).data).toMatchObject({ plugin_name: 'Deny' });

    const reloaded = once(manager, 'reloaded');
    writeFileSync(path, deny('beta'));
    expect((await reloaded)[0]).toMatchObject({ restarted: ['Deny'] });
    expect(texts(await call('alpha'))).toEqual(['alpha']);
    expect((await rpcError(call('beta'))).data).toMatchObject({ plugin_name: 'Deny' });

    const failed = once(manager, 'reloadFailed');
    writeFileSync(path, `${deny('gamma')}    mode: enforcing\n`);
    expect(String((await failed)[0])).toContain('mode: must be one of');
    expect((await rpcError(call('beta'))).data).toMatchObject({ plugin_name: 'Deny' });
    expect(texts(await call('gamma'))).toEqual(['gamma']);
  });
});
