import { createServer, connect as netConnect, type Server } from 'node:net';
import { describeWithServices, serviceUrls } from '@contextforge-internal/test-support';
import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors.js';
import { connectDatabase, isRetryableConnectError } from './connect-database.js';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('connectDatabase', () => {
  it('gives up after DB_MAX_RETRIES attempts on an unreachable server', async () => {
    const port = await freePort();
    const started = Date.now();
    const error = await connectDatabase({
      url: `postgres://postgres@127.0.0.1:${port}/x`,
      poolSize: 1,
      maxRetries: 2,
      retryIntervalMs: 20,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('DB_UNAVAILABLE');
    expect((error as GatewayError).message).toContain('unreachable after 3 attempts');
    expect(Date.now() - started).toBeGreaterThanOrEqual(60);
  });

  it('classifies refused connections as retryable and other errors as not', () => {
    expect(isRetryableConnectError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(
      isRetryableConnectError(new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })])),
    ).toBe(true);
    expect(isRetryableConnectError(Object.assign(new Error('auth'), { code: '28P01' }))).toBe(false);
  });
});

let proxy: Server | undefined;
afterEach(async () => {
  await new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined)));
  proxy = undefined;
});

await describeWithServices(['postgres'], 'connectDatabase against PostgreSQL', () => {
  it('retries with backoff until the database comes up', async () => {
    const port = await freePort();
    const target = new URL(serviceUrls.postgres);
    // The "database" appears 250 ms after the first attempt: a TCP relay to the real server.
    setTimeout(() => {
      proxy = createServer((socket) => {
        const upstream = netConnect(Number(target.port || 5432), target.hostname);
        socket.pipe(upstream).pipe(socket);
        const end = () => {
          socket.destroy();
          upstream.destroy();
        };
        socket.on('error', end);
        upstream.on('error', end);
      }).listen(port, '127.0.0.1');
    }, 250);
    const url = new URL(serviceUrls.postgres);
    url.port = String(port);
    const db = await connectDatabase({
      url: url.toString(),
      poolSize: 1,
      maxRetries: 10,
      retryIntervalMs: 50,
    });
    expect(await db.ping()).toBe(true);
    await db.close();
  });

  it('fails at once when the database does not exist (retrying cannot fix it)', async () => {
    const url = new URL(serviceUrls.postgres);
    url.pathname = '/no_such_database_cf';
    // With a 60 s retry interval a retry would run into the test timeout; the message names the path taken.
    const error = await connectDatabase({
      url: url.toString(),
      poolSize: 1,
      maxRetries: 5,
      retryIntervalMs: 60_000,
    }).catch((e: unknown) => e);
    expect((error as GatewayError).code).toBe('DB_UNAVAILABLE');
    expect((error as GatewayError).message).toContain('refused the connection');
  });
});
