import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { getRequestListener } from '@hono/node-server';
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

/**
 * Raw `node:http` handlers served before the Hono app (the MCP engine: streaming transports that must not
 * be buffered by a framework). Each returns true when it took the request.
 */
export interface RawHandler {
  handle?(req: IncomingMessage, res: ServerResponse): boolean;
  handleUpgrade?(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

/**
 * Serves `app` on `host:port` (port 0 picks a free one) with Node's HTTP server, after the raw handlers;
 * upgrades no handler takes are refused with 404. A `gate` (plugins' HTTP hooks) runs before any handler
 * when it returns a promise: true lets the request on, false means it answered.
 */
export function serveApp(
  app: Hono,
  host: string,
  port: number,
  raw: readonly RawHandler[] = [],
  gate?: (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | undefined,
): Promise<RunningServer> {
  const listener = getRequestListener(app.fetch);
  const dispatch = (req: IncomingMessage, res: ServerResponse) => {
    for (const h of raw) if (h.handle?.(req, res)) return;
    void listener(req, res);
  };
  const server = createServer((req, res) => {
    const gated = gate?.(req, res);
    if (gated === undefined) {
      dispatch(req, res);
      return;
    }
    gated.then(
      (go) => {
        if (go) dispatch(req, res);
      },
      () => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"detail":"Internal error"}');
      },
    );
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    for (const h of raw) if (h.handleUpgrade?.(req, socket, head)) return;
    socket.end('HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
  });
  // Keep idle keep-alive connections longer than clients and load balancers do (Node's 5 s default races a
  // client reusing a pooled connection just as the server closes it: "other side closed" on the next POST).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const info = server.address() as AddressInfo;
      const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shown}:${info.port}`,
        port: info.port,
        server,
        close: (graceMs = 10_000) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => server.closeAllConnections(), graceMs);
            timer.unref();
            server.close(() => {
              clearTimeout(timer);
              done();
            });
            server.closeIdleConnections();
          }),
      });
    });
  });
}
