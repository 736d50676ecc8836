import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** A listening HTTP server. */
export interface RunningServer {
  /** `http://host:port` (IPv6 hosts in brackets). */
  url: string;
  port: number;
  server: Server;
  /**
   * Stops accepting connections, lets in-flight requests finish for up to `graceMs`, then closes what is
   * left.
   */
  close(graceMs?: number): Promise<void>;
}

/** Serves `app` on `host:port` (port 0 picks a free one) with Node's HTTP server. */
export function serveApp(app: Hono, host: string, port: number): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port }, (info: AddressInfo) => {
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        port: info.port,
        server: server as Server,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const s = server as Server;
            const timer = setTimeout(() => s.closeAllConnections(), graceMs);
            timer.unref();
            s.close(() => {
              clearTimeout(timer);
              done();
            });
            s.closeIdleConnections();
          }),
      });
    }) as Server;
    server.once('error', reject);
  });
}
