import type { McpServer } from '@modelcontextprotocol/server';
import type { FixtureContext } from './fixture-options.js';

/**
 * Registers `logging/setLevel` (scenario `logging-set-level`, 2025-era only: 2026-07-28 moved the log
 * level into each request's `_meta`) and `completion/complete` (`completion-complete`), which answers
 * an empty, well-formed completion.
 */
export function registerFixtureUtilities(server: McpServer, fixture: FixtureContext): void {
  server.server.setRequestHandler('logging/setLevel', async (request) => {
    fixture.log('debug', `log level set to ${request.params.level}`);
    // Confirm on the session's log channel, as a real server would; a closed client is not an error.
    server.server
      .notification({
        method: 'notifications/message',
        params: {
          level: 'info',
          logger: 'conformance-fixture',
          data: `Log level set to: ${request.params.level}`,
        },
      })
      .catch(() => {});
    return {};
  });

  server.server.setRequestHandler('completion/complete', async () => ({
    completion: { values: [], total: 0, hasMore: false },
  }));
}
