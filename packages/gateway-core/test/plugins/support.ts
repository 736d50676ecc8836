import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EchoServer, startEchoServer } from '@contextforge-internal/echo-http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { expect } from 'vitest';
import { type ListeningGateway, listeningGateway } from '../invoke/support.js';

/** Writes `plugins/config.yaml` (and any plugin modules beside it) into a fresh temp folder; returns its path. */
export function writePluginsConfig(yaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cf-gw-plugins-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  const path = join(dir, 'config.yaml');
  writeFileSync(path, yaml);
  return path;
}

/** A listening gateway with plugins, an echo upstream and a virtual server exposing its tool as `echo`. */
export interface PluginGateway {
  gw: ListeningGateway;
  echo: EchoServer;
  serverId: string;
  /** The echo tool's registry entry. */
  tool: { id: string; name: string; team_id: string | null };
  /** An SDK client of `path` (administrator's token) sending extra headers. */
  client(path: string, headers?: Record<string, string>): Promise<Client>;
  close(): Promise<void>;
}

/**
 * Starts the echo upstream and a gateway with `PLUGINS_ENABLED=true` and `PLUGINS_CONFIG_FILE=configPath`,
 * registers the upstream (discovery creates `echo-upstream-echo`) and a virtual server aliasing it `echo`.
 */
export async function pluginGateway(
  configPath: string,
  env: Record<string, string> = {},
): Promise<PluginGateway> {
  const echo = await startEchoServer();
  const gw = await listeningGateway({ PLUGINS_ENABLED: 'true', PLUGINS_CONFIG_FILE: configPath, ...env });
  const reg = await gw.call('POST', '/v1/gateways', {
    name: 'Echo Upstream',
    url: echo.url,
    transport: 'STREAMABLEHTTP',
  });
  expect(reg.status, JSON.stringify(reg.body)).toBe(201);
  const tools = await gw.call('GET', `/v1/tools?gateway_id=${reg.body.id}`);
  const tool = tools.body.find((t: { original_name: string }) => t.original_name === 'echo');
  const srv = await gw.call('POST', '/v1/servers', {
    name: 'echo-server',
    associated_tools: [{ id: tool.id, alias: 'echo' }],
  });
  expect(srv.status, JSON.stringify(srv.body)).toBe(201);
  const clients: Client[] = [];
  return {
    gw,
    echo,
    serverId: srv.body.id,
    tool,
    async client(path, headers = {}) {
      const client = new Client({ name: 'plugins-e2e', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${gw.url}${path}`), {
          requestInit: { headers: { authorization: `Bearer ${gw.adminToken}`, ...headers } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await gw.close();
      await echo.close();
    },
  };
}

/** The text items of a CallToolResult-like value. */
export function texts(result: unknown): string[] {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  return content.filter((c) => c.type === 'text').map((c) => c.text ?? '');
}

/** Runs `work` and returns the JSON-RPC error it rejected with (`code`, `message`, `data`). */
export async function rpcError(
  work: Promise<unknown>,
): Promise<{ code: number; message: string; data: Record<string, unknown> | undefined }> {
  try {
    await work;
  } catch (error) {
    const e = error as { code: number; message: string; data?: Record<string, unknown> };
    return { code: e.code, message: e.message, data: e.data };
  }
  throw new Error('expected the request to fail with a JSON-RPC error');
}
