import type { Readable, Writable } from 'node:stream';
import { type StdioServerHandle, StdioServerTransport, serveStdio } from '@modelcontextprotocol/server/stdio';
import { createFixtureContext, createFixtureServer } from './create-fixture-server.js';
import { type FixtureLogger, silentLogger } from './fixture-options.js';

/** Options of {@link serveStdioFixture}. */
export interface StdioFixtureOptions {
  /** Input stream; defaults to `process.stdin`. */
  stdin?: Readable;
  /** Output stream (protocol messages only); defaults to `process.stdout`. */
  stdout?: Writable;
  /** Where to report activity (never stdout); silent by default. */
  log?: FixtureLogger;
}

/**
 * Serves the conformance fixture over stdio. The opening message picks the era for the connection's
 * lifetime: `initialize` pins a 2025-era instance, `server/discover` or any request with the
 * 2026-07-28 `_meta` envelope serves the stateless era (including `subscriptions/listen`).
 */
export function serveStdioFixture(options: StdioFixtureOptions = {}): StdioServerHandle {
  const log = options.log ?? silentLogger;
  const fixture = createFixtureContext({ log });
  return serveStdio(() => createFixtureServer(fixture), {
    transport: new StdioServerTransport(options.stdin, options.stdout),
    onerror: (error) => log('warn', `stdio: ${error.message}`),
  });
}
