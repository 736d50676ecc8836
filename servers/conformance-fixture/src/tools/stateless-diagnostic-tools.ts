import {
  type CallToolResult,
  type InputRequiredResult,
  inputRequired,
  type McpServer,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { FixtureContext } from '../fixture-options.js';

/**
 * Registers the diagnostic tools the `server-stateless` scenario (SEP-2575, 2026-07-28) calls by name:
 *
 * - `test_missing_capability` needs the `sampling` client capability: called with none declared, the
 *   server must answer -32021 (HTTP 400) before any input request is issued;
 * - `test_streaming_elicitation` must answer without an independent top-level JSON-RPC request on the
 *   response stream;
 * - `test_logging_tool` logs through the request-scoped channel, which stays silent unless the request
 *   set `_meta` `logLevel`;
 * - `test_trigger_tool_change` / `test_trigger_prompt_change` publish a list-changed event that open
 *   `subscriptions/listen` streams must receive (filtered by what each stream asked for).
 */
export function registerStatelessDiagnosticTools(server: McpServer, fixture: FixtureContext): void {
  const noArgs = z.object({});

  server.registerTool(
    'test_missing_capability',
    {
      description: 'Requires the sampling client capability (drives the -32021 rejection)',
      inputSchema: noArgs,
    },
    async (_args, ctx): Promise<CallToolResult | InputRequiredResult> => {
      if (ctx.mcpReq.inputResponses?.llm_answer === undefined) {
        return inputRequired({
          inputRequests: {
            llm_answer: inputRequired.createMessage({
              messages: [
                { role: 'user', content: { type: 'text', text: 'Reply with the single word: pong' } },
              ],
              maxTokens: 16,
            }),
          },
        });
      }
      return { content: [{ type: 'text', text: 'sampling round-trip complete' }] };
    },
  );

  server.registerTool(
    'test_streaming_elicitation',
    { description: 'Answers with result frames only, never a top-level request', inputSchema: noArgs },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: 'stream observed: result frames only, no top-level requests' }],
    }),
  );

  server.registerTool(
    'test_logging_tool',
    { description: 'Logs through the request-scoped channel gated by _meta logLevel', inputSchema: noArgs },
    async (_args, ctx): Promise<CallToolResult> => {
      await ctx.mcpReq.log('info', 'test_logging_tool ran (delivered only when the request set a logLevel)');
      return {
        content: [{ type: 'text', text: 'logged through the request-scoped, logLevel-gated channel' }],
      };
    },
  );

  const trigger = (kind: 'tools' | 'prompts') => async (): Promise<CallToolResult> => {
    if (fixture.bus) {
      // HTTP entry: the handler's listen router stamps subscription ids and filters per stream.
      fixture.bus.publish({ kind: kind === 'tools' ? 'tools_list_changed' : 'prompts_list_changed' });
    } else if (kind === 'tools') {
      // stdio: the connection's own router forwards the notification to matching listen subscriptions.
      server.sendToolListChanged();
    } else {
      server.sendPromptListChanged();
    }
    return { content: [{ type: 'text', text: `${kind} list_changed published` }] };
  };

  server.registerTool(
    'test_trigger_tool_change',
    { description: 'Publishes notifications/tools/list_changed to listening clients', inputSchema: noArgs },
    trigger('tools'),
  );
  server.registerTool(
    'test_trigger_prompt_change',
    { description: 'Publishes notifications/prompts/list_changed to listening clients', inputSchema: noArgs },
    trigger('prompts'),
  );
}
