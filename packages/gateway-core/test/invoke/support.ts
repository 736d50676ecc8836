import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RunningServer } from '../../src/http/serve-app.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';

/** A test gateway listening on 127.0.0.1 with MCP served, loopback upstreams allowed. */
export interface ListeningGateway extends TestGateway {
  server: RunningServer;
  url: string;
  /** An SDK client (2025-11-25 era, streamable HTTP) of `path`, authenticated as the administrator. */
  client(path: string): Promise<Client>;
}

/** Starts a listening gateway on SQLite (or `kind`) with extra settings. */
export async function listeningGateway(
  env: Record<string, string> = {},
  kind: 'sqlite' | 'postgres' | 'mysql' = 'sqlite',
): Promise<ListeningGateway> {
  const t = await testGateway(kind, { SSRF_ALLOW_LOCALHOST: 'true', HEALTH_CHECK_INTERVAL: '3600', ...env });
  const server = await t.gw.listen(0, '127.0.0.1');
  const clients: Client[] = [];
  return {
    ...t,
    server,
    url: server.url,
    async client(path) {
      const client = new Client({ name: 'invoke-e2e', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), {
          requestInit: { headers: { authorization: `Bearer ${t.adminToken}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.allSettled(clients.map((c) => c.close()));
      await t.close();
    },
  };
}
