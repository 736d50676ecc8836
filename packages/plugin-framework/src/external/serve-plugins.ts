/**
 * Serves an `ExternalPluginServer` over streamable HTTP (TCP with optional TLS/mTLS, or a Unix
 * domain socket) or stdio. `GET /health` answers `{"status":"healthy"}` on the HTTP transports.
 */
import { chmodSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';
import type { ServerSettings } from '../config/schema.js';
import type { PluginLogger } from '../util/logger.js';
import type { ExternalPluginServer } from './plugin-server.js';
import { serverTlsOptions } from './tls-files.js';

/** A running plugin server. */
export interface RunningPluginServer {
  /** `http(s)://host:port/mcp`, `unix:<path>` or `stdio`. */
  url: string;
  close(): Promise<void>;
}

/** Options of `servePlugins`. */
export interface ServePluginsOptions {
  transport: 'http' | 'stdio';
  /** Host/port/uds/TLS (HTTP only). */
  settings?: ServerSettings;
  /** Directory TLS paths resolve against. */
  baseDir?: string;
  logger: PluginLogger;
}

/** Starts serving; resolves once listening. */
export async function servePlugins(
  server: ExternalPluginServer,
  options: ServePluginsOptions,
): Promise<RunningPluginServer> {
  const factory = () => server.createMcpServer();
  if (options.transport === 'stdio') {
    const handle = serveStdio(factory);
    return { url: 'stdio', close: () => handle.close() };
  }
  const settings = options.settings ?? { host: '127.0.0.1', port: 8000 };
  const baseDir = options.baseDir ?? process.cwd();
  const handler = createMcpHandler(factory, {
    onerror: (e) => options.logger.warn('plugin server request failed', { error: e.message }),
  });
  const mcp = toNodeHandler(handler);
  const listener: http.RequestListener = (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"healthy"}');
      return;
    }
    if (path !== '/mcp' && path !== '/mcp/') {
      res
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ detail: `no route ${path}; the MCP endpoint is /mcp` }));
      return;
    }
    mcp(req, res).catch((error: Error) => {
      options.logger.error('plugin server handler failed', { error: error.message });
      if (!res.headersSent) res.writeHead(500).end();
    });
  };
  const tls = settings.tls && !settings.uds ? serverTlsOptions(settings.tls, baseDir) : undefined;
  const httpServer = tls ? https.createServer(tls, listener) : http.createServer(listener);
  if (tls) {
    httpServer.on('tlsClientError', (error) =>
      options.logger.warn('TLS handshake refused', { error: error.message }),
    );
  }
  let url: string;
  if (settings.uds) {
    const socketPath = resolve(baseDir, settings.uds);
    rmSync(socketPath, { force: true });
    await listen(httpServer, { path: socketPath });
    chmodSync(socketPath, 0o600);
    url = `unix:${socketPath}`;
  } else {
    await listen(httpServer, { host: settings.host, port: settings.port });
    const address = httpServer.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    url = `${tls ? 'https' : 'http'}://${host}:${address.port}/mcp`;
  }
  return {
    url,
    async close() {
      await handler.close?.();
      await new Promise<void>((r) => {
        httpServer.close(() => r());
        httpServer.closeAllConnections();
      });
      if (settings.uds) rmSync(resolve(baseDir, settings.uds), { force: true });
    },
  };
}

function listen(
  server: http.Server,
  target: { path: string } | { host: string; port: number },
): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
}
