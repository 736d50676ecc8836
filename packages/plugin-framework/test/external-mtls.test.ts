import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGlobalContext, PluginManager, parsePluginsYaml, silentLogger } from '../src/index.js';
import { type ServerProcess, serverYaml, startCliServer, writeTemp } from './support/external.js';
import { createTestPki, type TestPki } from './support/pki.js';

let pki: TestPki;
let server: ServerProcess;

beforeAll(async () => {
  pki = createTestPki();
  const config = writeTemp(
    'server.yaml',
    serverYaml(`server_settings:
  host: 127.0.0.1
  port: 0
  tls:
    certfile: ${pki.serverCert}
    keyfile: ${pki.serverKey}
    ca_bundle: ${pki.caCert}
    ssl_cert_reqs: 2
`),
  );
  server = await startCliServer(['--config', config]);
});

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

function gatewayManager(tls: string, url = server.url.replace('127.0.0.1', 'localhost')): PluginManager {
  return new PluginManager({
    config: parsePluginsYaml(`plugins:
  - name: guard
    kind: external
    on_error: fail
    mcp:
      proto: STREAMABLEHTTP
      url: ${url}
      tls: ${tls}
`),
    logger: silentLogger,
  });
}

describe('external plugin over mTLS (mcpplugins serve child process)', () => {
  it('serves https and blocks a tool call for a gateway presenting a certificate from the trusted CA', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/mcp$/);
    const manager = gatewayManager(
      `{ ca_bundle: ${pki.caCert}, certfile: ${pki.clientCert}, keyfile: ${pki.clientKey} }`,
    );
    await manager.initialize();
    try {
      const out = await manager.invokeHook(
        'tool_pre_invoke',
        { name: 'rm_rf', args: {} },
        createGlobalContext(),
      );
      expect(out.continueProcessing).toBe(false);
      expect(out.violation).toMatchObject({ code: 'TOOL_BLOCKED', pluginName: 'guard' });
      const ok = await manager.invokeHook(
        'tool_pre_invoke',
        { name: 'search', args: {} },
        createGlobalContext(),
      );
      expect(ok.continueProcessing).toBe(true);
    } finally {
      await manager.shutdown();
    }
  });

  it('is refused when the gateway presents a certificate from another CA', async () => {
    const manager = gatewayManager(
      `{ ca_bundle: ${pki.caCert}, certfile: ${pki.rogueCert}, keyfile: ${pki.rogueKey} }`,
    );
    await expect(manager.initialize()).rejects.toThrow(
      /external plugin "guard": cannot connect to https:\/\/localhost:\d+\/mcp: .*probably refused the client certificate/,
    );
  });

  it('is refused when the gateway presents no certificate', async () => {
    const manager = gatewayManager(`{ ca_bundle: ${pki.caCert} }`);
    await expect(manager.initialize()).rejects.toThrow(
      /external plugin "guard": cannot connect .*refused the client certificate/,
    );
  });

  it('refuses a server whose certificate does not chain to the configured CA', async () => {
    const manager = gatewayManager(
      `{ ca_bundle: ${pki.rogueCaCert}, certfile: ${pki.clientCert}, keyfile: ${pki.clientKey} }`,
    );
    await expect(manager.initialize()).rejects.toThrow(
      /external plugin "guard": cannot connect to .*(self.signed|unable to verify|UNABLE_TO_VERIFY|SELF_SIGNED)/i,
    );
  });

  it('checks the host name unless check_hostname is false', async () => {
    const url = server.url.replace('127.0.0.1', '127.0.0.2');
    const strict = gatewayManager(
      `{ ca_bundle: ${pki.caCert}, certfile: ${pki.clientCert}, keyfile: ${pki.clientKey} }`,
      url,
    );
    await expect(strict.initialize()).rejects.toThrow(/cannot connect/);
  });

  it('names the YAML field when a TLS file is missing', async () => {
    const manager = gatewayManager(`{ ca_bundle: /nonexistent/ca.crt }`);
    await expect(manager.initialize()).rejects.toThrow(
      'plugin "guard": mcp.tls.ca_bundle: cannot read /nonexistent/ca.crt',
    );
  });
});
