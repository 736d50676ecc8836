// An external plugin over MCP with mutual TLS: a real plugin server (the framework's servePlugins, https,
// client certificates required) blocks a call made through a real gateway; a gateway presenting a
// certificate from another CA is refused at start, with a message saying so.
import { dirname } from 'node:path';
import {
  ExternalPluginServer,
  PluginManager,
  parsePluginsYaml,
  type RunningPluginServer,
  servePlugins,
  silentLogger,
} from '@contextforge/plugin-framework';
import { createTestPki, type TestPki } from '@contextforge-internal/test-support';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { createGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/observability/logger.js';
import { TEST_ENV } from '../gateway-helpers.js';
import { type PluginGateway, pluginGateway, rpcError, texts, writePluginsConfig } from './support.js';

const gatewayYaml = (url: string, cert: string, key: string, ca: string) => `plugins:
  - name: LaunchGuard
    kind: external
    hooks: [tool_pre_invoke]
    mode: enforce
    on_error: fail
    mcp:
      proto: STREAMABLEHTTP
      url: ${url}
      tls: { ca_bundle: "${ca}", certfile: "${cert}", keyfile: "${key}" }
`;

describe('an external plugin server over MCP with mTLS', () => {
  let pki: TestPki;
  let served: PluginManager;
  let server: RunningPluginServer;
  let url: string;
  let t: PluginGateway;

  beforeAll(async () => {
    pki = createTestPki();
    // The plugin server's own configuration; the gateway's entry names the plugin it serves.
    const servedYaml =
      'plugins:\n  - name: LaunchGuard\n    kind: "@contextforge/plugin-deny-filter"\n    config: { words: ["launch codes"] }\n';
    const serverConfig = writePluginsConfig(servedYaml);
    served = new PluginManager({
      config: parsePluginsYaml(servedYaml, serverConfig),
      logger: silentLogger,
      resolvePaths: [process.cwd()],
    });
    await served.initialize();
    server = await servePlugins(new ExternalPluginServer(served), {
      transport: 'http',
      settings: {
        host: '127.0.0.1',
        port: 0,
        tls: { certfile: pki.serverCert, keyfile: pki.serverKey, ca_bundle: pki.caCert, ssl_cert_reqs: 2 },
      },
      baseDir: dirname(serverConfig),
      logger: silentLogger,
    });
    // The server certificate names localhost.
    url = server.url.replace('127.0.0.1', 'localhost');
    t = await pluginGateway(writePluginsConfig(gatewayYaml(url, pki.clientCert, pki.clientKey, pki.caCert)));
  });
  afterAll(async () => {
    await t?.close();
    await server?.close();
    await served?.shutdown();
  });

  it('blocks a call through the gateway with the remote plugin’s violation and lets a clean one through', async () => {
    expect(url).toMatch(/^https:\/\/localhost:\d+\/mcp$/);
    const client = await t.client(`/servers/${t.serverId}/mcp`);
    const e = await rpcError(
      client.callTool({ name: 'echo', arguments: { text: 'the launch codes are 0000' } }),
    );
    expect(e.code).toBe(-32602);
    expect(e.message).toContain('Plugin Violation: A deny-listed word was found in argument "text"');
    expect(e.data).toMatchObject({ plugin_name: 'LaunchGuard', plugin_error_code: 'deny' });
    expect(texts(await client.callTool({ name: 'echo', arguments: { text: 'all quiet' } }))).toEqual([
      'all quiet',
    ]);
    const listed = (await t.gw.call('GET', '/v1/plugins/LaunchGuard')).body;
    expect(listed).toMatchObject({ kind: 'external', external: true, loaded: true, status: 'enabled' });
    expect(listed.stats.violations).toBe(1);
    expect(served.getPlugin('LaunchGuard')?.stats.calls).toBe(2);
  });

  it('refuses to start a gateway whose client certificate the plugin server does not trust', async () => {
    const path = writePluginsConfig(gatewayYaml(url, pki.rogueCert, pki.rogueKey, pki.caCert));
    const { config } = parseConfig({
      ...TEST_ENV,
      DATABASE_URL: 'sqlite::memory:',
      AUTH_ENCRYPTION_SECRET: 'test-secret-test-secret-test-secret-0123',
      LOG_LEVEL: 'silent',
      PLUGINS_ENABLED: 'true',
      PLUGINS_CONFIG_FILE: path,
    });
    const started = createGateway(config, { logger: createLogger('silent') });
    await expect(started).rejects.toThrow(
      new RegExp(
        `PLUGINS_CONFIG_FILE \\(${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\): external plugin "LaunchGuard": cannot connect to ${url}: .*refused the client certificate`,
      ),
    );
  });
});
