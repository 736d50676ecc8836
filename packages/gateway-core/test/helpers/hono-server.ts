import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';

/** Serves a Hono app on 127.0.0.1:0 with @hono/node-server (the adapter the gateway uses). */
export async function serveApp(app: Hono): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: 0, serverOptions: { maxHeaderSize: 65_536 } },
      () => resolve(s as Server),
    );
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
