import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, McpServer, type ServerEventBus } from '@modelcontextprotocol/server';
import { type FixtureContext, type FixtureLogger, silentLogger } from './fixture-options.js';
import { registerFixturePrompts } from './fixture-prompts.js';
import { registerFixtureResources } from './fixture-resources.js';
import { registerFixtureUtilities } from './fixture-utilities.js';
import { registerClientRequestTools } from './tools/client-request-tools.js';
import { registerContentTools } from './tools/content-tools.js';
import { registerInputRequiredTools } from './tools/input-required-tools.js';
import { registerNotificationTools } from './tools/notification-tools.js';
import { registerReconnectionTool } from './tools/reconnection-tool.js';
import { registerSchemaTools } from './tools/schema-tools.js';
import { registerStatelessDiagnosticTools } from './tools/stateless-diagnostic-tools.js';
import { VERSION } from './version.js';

/** The name the fixture reports in `serverInfo` (2025) and `_meta` serverInfo (2026-07-28). */
export const FIXTURE_SERVER_NAME = 'contextforge-conformance-fixture';

/** Options of {@link createFixtureContext}. */
export interface FixtureContextOptions {
  /** The subscriptions/listen bus of an HTTP entry; omit on stdio. */
  bus?: ServerEventBus;
  /** Where to report activity; silent by default. */
  log?: FixtureLogger;
}

/**
 * Creates the process-wide state shared by every server instance of one fixture: a fresh random
 * 256-bit key for sealing `requestState`, the listen bus (HTTP) and the resource subscriptions.
 */
export function createFixtureContext(options: FixtureContextOptions = {}): FixtureContext {
  return {
    requestState: createRequestStateCodec<Record<string, unknown>>({ key: randomBytes(32) }),
    ...(options.bus ? { bus: options.bus } : {}),
    resourceSubscriptions: new Set<string>(),
    log: options.log ?? silentLogger,
  };
}

/**
 * Builds one fixture `McpServer` with every tool, resource and prompt the official conformance suite's
 * server scenarios call, for both protocol eras. Called once per 2025-era session or stdio connection
 * and once per 2026-07-28 HTTP request, so it must stay cheap and keep shared state in `fixture`.
 */
export function createFixtureServer(fixture: FixtureContext): McpServer {
  const server = new McpServer(
    { name: FIXTURE_SERVER_NAME, version: VERSION },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        // Deprecated in 2026-07-28 (the level travels in each request's _meta) but required by the
        // 2025-era `logging-set-level` scenario; the modern path ignores it.
        logging: {},
        completions: {},
      },
      // Non-default hints (SEP-2549) so intermediaries can be checked for passing them through.
      cacheHints: {
        'tools/list': { ttlMs: 300_000, cacheScope: 'public' },
        'prompts/list': { ttlMs: 300_000, cacheScope: 'public' },
        'resources/list': { ttlMs: 300_000, cacheScope: 'public' },
        'resources/templates/list': { ttlMs: 300_000, cacheScope: 'public' },
        'resources/read': { ttlMs: 60_000, cacheScope: 'private' },
      },
      // Every retried request carrying requestState is verified before its handler runs; a tampered
      // or expired state is answered with -32602 (scenario input-required-result-tampered-state).
      requestState: { verify: fixture.requestState.verify },
    },
  );
  registerContentTools(server);
  registerNotificationTools(server);
  registerClientRequestTools(server);
  registerSchemaTools(server);
  registerReconnectionTool(server);
  registerInputRequiredTools(server, fixture);
  registerStatelessDiagnosticTools(server, fixture);
  registerFixtureResources(server, fixture);
  registerFixturePrompts(server);
  registerFixtureUtilities(server, fixture);
  return server;
}
