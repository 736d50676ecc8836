/**
 * @contextforge-internal/faulty-servers — MCP servers that misbehave on purpose, for tests of
 * the gateway's upstream side: a stdio server (crash, hang, garbage, slow, stderr flood,
 * grandchildren, server→client requests) and an HTTP server with switchable failure modes.
 */
import { fileURLToPath } from 'node:url';

export { type FaultyHttpMode, type FaultyHttpServer, startFaultyHttpServer } from './http-server.js';
export { type FaultyStdioFlags, parseFlags, runFaultyStdioServer } from './stdio-server.js';

/** Absolute path of the built faulty stdio server script (run it with `node <path> [flags]`). */
export const faultyStdioPath: string = fileURLToPath(new URL('./stdio.js', import.meta.url));
