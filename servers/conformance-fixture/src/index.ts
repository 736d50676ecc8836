/**
 * The ContextForge conformance fixture: an MCP server providing every tool, resource and prompt the
 * official conformance suite's server scenarios call, for the 2025-11-25 and 2026-07-28 eras, over
 * stdio and streamable HTTP.
 */
export { createFixtureContext, createFixtureServer, FIXTURE_SERVER_NAME } from './create-fixture-server.js';
export type { FixtureContext, FixtureLogger } from './fixture-options.js';
export { type HttpFixture, type HttpFixtureOptions, startHttpFixture } from './http/start-http-fixture.js';
export { type StdioFixtureOptions, serveStdioFixture } from './serve-stdio-fixture.js';
export { PACKAGE_NAME, VERSION } from './version.js';
