import {
  type ClientCapabilities,
  SSEClientTransport,
  StreamableHTTPClientTransport as StreamableV2,
  Client as V2Client,
} from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { RunningServer } from '../../src/http/serve-app.js';
import { type TestGateway, testGateway } from '../gateway-helpers.js';
import { WsClientTransport } from './ws-client-transport.js';

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON-RPC shapes.
type Json = any;

/**
 * How a downstream client talks to the gateway:
 * - `streamable-2025`: streamable HTTP, 2025-11-25 session (`initialize`, `Mcp-Session-Id`, GET stream)
 * - `streamable-2026`: streamable HTTP pinned to 2026-07-28 (stateless, `server/discover`, MRTR)
 * - `sse`: the legacy HTTP+SSE transport (`…/sse` + `…/message`)
 * - `websocket`: one JSON-RPC message per frame on `…/ws` (2025-11-25 `initialize`)
 * - `websocket-2026`: the same socket, requests in the 2026-07-28 `_meta` envelope
 */
export type Downstream = 'streamable-2025' | 'streamable-2026' | 'sse' | 'websocket' | 'websocket-2026';

/** Every downstream transport an SDK client can use. */
export const DOWNSTREAMS: readonly Downstream[] = [
  'streamable-2025',
  'streamable-2026',
  'sse',
  'websocket',
  'websocket-2026',
];

/** Options of {@link ListeningGateway.connect}. */
export interface ConnectOptions {
  /** Virtual server id (`/servers/{id}/…`); the whole catalog (`/mcp`, `/sse`, `/ws`) when absent. */
  serverId?: string;
  capabilities?: ClientCapabilities;
  /** Registers handlers (sampling, elicitation, notifications) before the client connects. */
  setup?(client: V2Client): void;
}

/** A test gateway listening on 127.0.0.1 with MCP served, loopback upstreams allowed. */
export interface ListeningGateway extends TestGateway {
  server: RunningServer;
  url: string;
  /** An SDK v1 client (2025-11-25 era, streamable HTTP) of `path`, authenticated as the administrator. */
  client(path: string): Promise<Client>;
  /** An SDK v2 client over `kind`, authenticated as the administrator (closed with the gateway). */
  connect(kind: Downstream, options?: ConnectOptions): Promise<V2Client>;
  /** One JSON-RPC message (or batch) on `POST /rpc`, authenticated as the administrator. */
  rpc(body: unknown): Promise<Json>;
  /** Registers an upstream (`POST /v1/gateways`) and fails the test unless it was created. */
  register(body: Record<string, unknown>): Promise<Json>;
}

/** Starts a listening gateway on SQLite (or `kind`) with extra settings. */
export async function listeningGateway(
  env: Record<string, string> = {},
  kind: 'sqlite' | 'postgres' | 'mysql' = 'sqlite',
): Promise<ListeningGateway> {
  const t = await testGateway(kind, {
    SSRF_ALLOW_LOCALHOST: 'true',
    HEALTH_CHECK_INTERVAL: '3600',
    // SDK clients leave a pooled socket that never sends a request when they close; the HTTP server would
    // wait for it (undici drops it after 4 s) on every close. Tests end with nothing in flight.
    SHUTDOWN_GRACE_PERIOD_MS: '100',
    ...env,
  });
  const server = await t.gw.listen(0, '127.0.0.1');
  const closers: Array<{ close(): Promise<void> }> = [];
  const authorization = `Bearer ${t.adminToken}`;
  return {
    ...t,
    server,
    url: server.url,
    async client(path) {
      const client = new Client({ name: 'invoke-e2e', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(`${server.url}${path}`), {
          requestInit: { headers: { authorization } },
        }),
      );
      closers.push(client);
      return client;
    },
    async connect(kind, options = {}) {
      const prefix = options.serverId === undefined ? '' : `/servers/${options.serverId}`;
      const client = new V2Client(
        { name: `invoke-e2e-${kind}`, version: '1.0.0' },
        {
          capabilities: options.capabilities ?? {},
          ...(kind.endsWith('-2026') ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {}),
        },
      );
      options.setup?.(client);
      const headers = { authorization };
      const authProvider = { token: async () => t.adminToken };
      const transport =
        kind === 'sse'
          ? new SSEClientTransport(new URL(`${server.url}${prefix}/sse`), { authProvider })
          : kind.startsWith('websocket')
            ? new WsClientTransport(`${server.url.replace(/^http/, 'ws')}${prefix}/ws`, headers)
            : new StreamableV2(new URL(`${server.url}${prefix}/mcp`), { authProvider });
      await client.connect(transport);
      closers.push(client);
      return client;
    },
    async rpc(body) {
      const res = await fetch(`${server.url}/rpc`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await res.text();
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`POST /rpc answered HTTP ${res.status} with a non-JSON body: ${text.slice(0, 200)}`);
      }
    },
    async register(body) {
      const r = await t.call('POST', '/v1/gateways', body);
      if (r.status !== 201)
        throw new Error(`registering ${String(body.name)} answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async close() {
      await Promise.allSettled(closers.map((c) => c.close()));
      await t.close();
    },
  };
}
