import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import * as z from 'zod';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Registers the tools that emit notifications while they run: `test_tool_with_logging`
 * (`notifications/message`, scenario `tools-call-with-logging`) and `test_tool_with_progress`
 * (`notifications/progress`, scenario `tools-call-with-progress`).
 */
export function registerNotificationTools(server: McpServer): void {
  server.registerTool(
    'test_tool_with_logging',
    { description: 'Emits three log notifications while it runs', inputSchema: z.object({}) },
    async (_args, ctx): Promise<CallToolResult> => {
      const steps = ['Tool execution started', 'Tool processing data', 'Tool execution completed'];
      for (const [index, data] of steps.entries()) {
        // Sent as related notifications of this request so they travel on the request's own stream.
        await ctx.mcpReq.notify({ method: 'notifications/message', params: { level: 'info', data } });
        if (index < steps.length - 1) await pause(50);
      }
      return { content: [{ type: 'text', text: 'Tool with logging executed successfully' }] };
    },
  );

  server.registerTool(
    'test_tool_with_progress',
    {
      description: 'Reports progress 0, 50 and 100 of 100 when called with a progressToken',
      inputSchema: z.object({}),
    },
    async (_args, ctx): Promise<CallToolResult> => {
      const progressToken = ctx.mcpReq._meta?.progressToken;
      // The spec forbids progress notifications without a client-supplied token.
      if (progressToken !== undefined) {
        for (const progress of [0, 50, 100]) {
          await ctx.mcpReq.notify({
            method: 'notifications/progress',
            params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
          });
          if (progress < 100) await pause(50);
        }
      }
      return { content: [{ type: 'text', text: String(progressToken ?? 'no-progress-token') }] };
    },
  );
}
