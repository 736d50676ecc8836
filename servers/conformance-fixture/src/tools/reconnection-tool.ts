import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

/**
 * Registers `test_reconnection` (scenario `server-sse-polling`, SEP-1699): on a legacy streamable-HTTP
 * session with an event store, it closes the request's SSE stream mid-call, so the client must
 * reconnect with `Last-Event-ID` to receive the result the server sends afterwards.
 */
export function registerReconnectionTool(server: McpServer): void {
  server.registerTool(
    'test_reconnection',
    {
      description:
        'Closes its SSE stream mid-call; the result arrives after the client reconnects (SEP-1699)',
      inputSchema: z.object({}),
    },
    async (_args, ctx): Promise<CallToolResult> => {
      // Absent on transports without resumable streams (stdio, 2026-07-28 per-request exchanges).
      ctx.http?.closeSSE?.();
      await new Promise((resolve) => setTimeout(resolve, 100));
      return {
        content: [
          {
            type: 'text',
            text: 'Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.',
          },
        ],
      };
    },
  );
}
