import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { type FixtureLogger, silentLogger } from '../fixture-options.js';
import { createFixtureHttpHandler, type FixtureHttpHandlerOptions } from './fixture-http-handler.js';

/** Options of {@link startHttpFixture}. */
export interface HttpFixtureOptions extends Omit<FixtureHttpHandlerOptions, 'log'> {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port to bind; 0 (the default) picks a free one. */
  port?: number;
  /** Where to report activity; silent by default. */
  log?: FixtureLogger;
}

/** A running HTTP fixture. */
export interface HttpFixture {
  /** The streamable HTTP endpoint, e.g. `http://127.0.0.1:40123/mcp`. */
  readonly url: string;
  /** The legacy HTTP+SSE stream, e.g. `http://127.0.0.1:40123/sse` (messages go to `/message`). */
  readonly sseUrl: string;
  /** The bound port. */
  readonly port: number;
  /** Stops accepting connections, closes sessions and open streams, and resolves once the port is free. */
  close(): Promise<void>;
}

/**
 * Starts the conformance fixture on HTTP: one streamable HTTP endpoint (`/mcp` by default) serving
 * both the 2026-07-28 stateless era and 2025-era sessions, the legacy HTTP+SSE transport (`/sse` +
 * `/message`) and `GET /healthz`.
 *
 * @throws when the port cannot be bound (the listen error, e.g. EADDRINUSE)
 */
export async function startHttpFixture(options: HttpFixtureOptions = {}): Promise<HttpFixture> {
  const log = options.log ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const handler = createFixtureHttpHandler({ ...options, log });
  const server: Server = createServer(
    getRequestListener((request) => handler.fetch(request), {
      errorHandler: (error) => {
        log('error', `request failed: ${error instanceof Error ? error.message : String(error)}`);
        return new Response(null, { status: 500 });
      },
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}${options.mcpPath ?? '/mcp'}`;
  const sseUrl = `http://${urlHost}:${port}${options.ssePath ?? '/sse'}`;
  log('info', `listening on ${url}`);
  let closing: Promise<void> | undefined;
  return {
    url,
    sseUrl,
    port,
    close() {
      closing ??= (async () => {
        await handler.close();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        // Long-lived SSE and listen streams would otherwise keep the server open.
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
