import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createGlobalContext,
  ExternalPluginServer,
  PluginManager,
  parsePluginsYaml,
  type RunningPluginServer,
  servePlugins,
  silentLogger,
} from '../src/index.js';
import { serverYaml } from './support/external.js';

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

let hosted: PluginManager;
let tcp: RunningPluginServer;
let uds: RunningPluginServer;
let socketPath: string;

beforeAll(async () => {
  hosted = new PluginManager({ config: parsePluginsYaml(serverYaml()), logger: silentLogger });
  await hosted.initialize();
  const server = new ExternalPluginServer(hosted);
  tcp = await servePlugins(server, {
    transport: 'http',
    settings: { host: '127.0.0.1', port: 0 },
    logger: silentLogger,
  });
  socketPath = join(mkdtempSync(join(tmpdir(), 'cf-uds-')), 'plugins.sock');
  uds = await servePlugins(server, {
    transport: 'http',
    settings: { host: '127.0.0.1', port: 0, uds: socketPath },
    logger: silentLogger,
  });
});

afterAll(async () => {
  await tcp?.close();
  await uds?.close();
  await hosted?.shutdown();
});

async function gateway(mcp: string, extra = ''): Promise<PluginManager> {
  const manager = new PluginManager({
    config: parsePluginsYaml(`plugins:\n  - name: guard\n    kind: external\n${extra}    mcp: ${mcp}\n`),
    logger: silentLogger,
  });
  await manager.initialize();
  return manager;
}

describe('external plugin over streamable HTTP', () => {
  it('answers health probes and refuses unknown paths', async () => {
    const base = tcp.url.replace(/\/mcp$/, '');
    expect(await (await fetch(`${base}/health`)).json()).toEqual({ status: 'healthy' });
    const missing = await fetch(`${base}/nope`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ detail: 'no route /nope; the MCP endpoint is /mcp' });
  });

  it('learns hooks from the server, blocks a call and modifies a payload', async () => {
    const manager = await gateway(`{ proto: STREAMABLEHTTP, url: "${tcp.url}" }`);
    try {
      expect(manager.getPlugin('guard')).toMatchObject({
        external: true,
        hooks: ['tool_pre_invoke', 'tool_post_invoke', 'prompt_pre_fetch'],
      });
      const blocked = await manager.invokeHook(
        'tool_pre_invoke',
        { name: 'rm_rf', args: {} },
        createGlobalContext(),
      );
      expect(blocked.continueProcessing).toBe(false);
      expect(blocked.violation).toEqual({
        reason: 'Tool not allowed',
        description: 'tool rm_rf is blocked',
        code: 'TOOL_BLOCKED',
        details: { tool: 'rm_rf' },
        pluginName: 'guard',
      });
      const prompt = await manager.invokeHook(
        'prompt_pre_fetch',
        { prompt_id: 'p', args: { a: 'quiet' } },
        createGlobalContext(),
      );
      expect(prompt.payload.args).toEqual({ a: 'QUIET' });
    } finally {
      await manager.shutdown();
    }
  });

  it('carries the plugin context from the pre hook to the post hook across the wire', async () => {
    const manager = await gateway(`{ proto: STREAMABLEHTTP, url: "${tcp.url}" }`);
    try {
      const g = createGlobalContext();
      const pre = await manager.invokeHook('tool_pre_invoke', { name: 'search', args: {} }, g);
      const post = await manager.invokeHook(
        'tool_post_invoke',
        { name: 'search', result: { ok: true } },
        g,
        pre.contexts,
      );
      expect(post.payload.result).toEqual({ ok: true, checkedBy: 'guard', pre: 'pre:search' });
    } finally {
      await manager.shutdown();
    }
  });

  it('works over a Unix domain socket', async () => {
    expect(uds.url).toBe(`unix:${socketPath}`);
    const manager = await gateway(
      `{ proto: STREAMABLEHTTP, url: "http://localhost/mcp", uds: "${socketPath}" }`,
    );
    try {
      const out = await manager.invokeHook(
        'tool_pre_invoke',
        { name: 'rm_rf', args: {} },
        createGlobalContext(),
      );
      expect(out.violation?.code).toBe('TOOL_BLOCKED');
    } finally {
      await manager.shutdown();
    }
  });

  it('fails loading with a clear error when the server does not host the plugin', async () => {
    const manager = new PluginManager({
      config: parsePluginsYaml(
        `plugins:\n  - { name: other, kind: external, mcp: { proto: STREAMABLEHTTP, url: "${tcp.url}" } }\n`,
      ),
      logger: silentLogger,
    });
    await expect(manager.initialize()).rejects.toThrow(
      'external plugin "other": the plugin server has no plugin named "other" (it serves: guard)',
    );
  });

  it('fails loading with a clear error when nothing listens', async () => {
    const port = await closedPort();
    const manager = new PluginManager({
      config: parsePluginsYaml(
        `plugins:\n  - { name: guard, kind: external, mcp: { proto: STREAMABLEHTTP, url: "http://127.0.0.1:${port}/mcp" } }\n`,
      ),
      logger: silentLogger,
    });
    await expect(manager.initialize()).rejects.toThrow(
      new RegExp(
        `external plugin "guard": cannot connect to http://127\\.0\\.0\\.1:${port}/mcp: .*ECONNREFUSED`,
      ),
    );
  });

  it('answers invoke_hook errors on the wire for unknown hooks and plugins', async () => {
    const server = new ExternalPluginServer(hosted);
    expect(await server.invokeHook('tool_pre_invok', 'guard', {}, {})).toMatchObject({
      error: { code: 'INVALID_HOOK' },
    });
    expect(await server.invokeHook('tool_pre_invoke', 'nobody', { name: 'x', args: {} }, {})).toMatchObject({
      error: { code: 'PLUGIN_NOT_FOUND', message: expect.stringContaining('no plugin named "nobody"') },
    });
    expect(server.getPluginConfig('nobody')).toEqual({});
    expect(server.getPluginConfigs().map((c) => c.name)).toEqual(['guard']);
  });
});

describe('external plugin reconnection', () => {
  it('keeps working when its plugin server restarts', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cf-uds-restart-')), 'p.sock');
    const serve = () =>
      servePlugins(new ExternalPluginServer(hosted), {
        transport: 'http',
        settings: { host: '127.0.0.1', port: 0, uds: path },
        logger: silentLogger,
      });
    let server = await serve();
    const manager = await gateway(
      `{ proto: STREAMABLEHTTP, url: "http://localhost/mcp", uds: "${path}", reconnect_attempts: 5, reconnect_delay: 0.05 }`,
    );
    try {
      const call = () =>
        manager.invokeHook('tool_pre_invoke', { name: 'rm_rf', args: {} }, createGlobalContext());
      expect((await call()).violation?.code).toBe('TOOL_BLOCKED');
      await server.close();
      server = await serve();
      expect((await call()).violation?.code).toBe('TOOL_BLOCKED');
    } finally {
      await manager.shutdown();
      await server.close();
    }
  });

  it('follows on_error when its plugin server is gone', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'cf-uds-gone-')), 'p.sock');
    const server = await servePlugins(new ExternalPluginServer(hosted), {
      transport: 'http',
      settings: { host: '127.0.0.1', port: 0, uds: path },
      logger: silentLogger,
    });
    const mcp = `{ proto: STREAMABLEHTTP, url: "http://localhost/mcp", uds: "${path}", reconnect_attempts: 1, reconnect_delay: 0.01 }`;
    const failing = await gateway(mcp);
    const ignoring = await gateway(mcp, '    on_error: ignore\n');
    await server.close();
    try {
      const call = (m: PluginManager) =>
        m.invokeHook('tool_pre_invoke', { name: 'rm_rf', args: {} }, createGlobalContext());
      await expect(call(failing)).rejects.toMatchObject({
        code: 'PLUGIN_EXECUTION_FAILED',
        pluginName: 'guard',
        message: expect.stringMatching(
          /plugin "guard" failed in tool_pre_invoke: .*reconnect failed after 1 attempt\(s\).*ENOENT/,
        ),
      });
      expect((await call(ignoring)).continueProcessing).toBe(true);
      expect(ignoring.getPlugin('guard')?.stats.errors).toBe(1);
    } finally {
      await failing.shutdown();
      await ignoring.shutdown();
    }
  });
});
