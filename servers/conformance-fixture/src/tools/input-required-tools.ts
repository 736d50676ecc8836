import { randomUUID } from 'node:crypto';
import {
  acceptedContent,
  type CallToolResult,
  CLIENT_CAPABILITIES_META_KEY,
  type ClientCapabilities,
  type InputRequest,
  type InputRequests,
  type InputRequiredResult,
  inputRequired,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import type { FixtureContext } from '../fixture-options.js';

type ToolOutcome = Promise<CallToolResult | InputRequiredResult>;

const text = (value: string): CallToolResult => ({ content: [{ type: 'text', text: value }] });

/** An embedded `elicitation/create` asking for one required string (or boolean) field. */
function askFor(message: string, field: string, type: 'string' | 'boolean' = 'string'): InputRequest {
  const property = type === 'string' ? { type: 'string' as const } : { type: 'boolean' as const };
  return inputRequired.elicit({
    message,
    requestedSchema: { type: 'object', properties: { [field]: property }, required: [field] },
  });
}

/** The client capabilities the request's 2026-07-28 `_meta` envelope declares. */
function declaredCapabilities(ctx: ServerContext): ClientCapabilities | undefined {
  const envelope = (ctx.mcpReq.envelope ?? ctx.mcpReq._meta) as Record<string, unknown> | undefined;
  const declared = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return declared !== null && typeof declared === 'object' ? (declared as ClientCapabilities) : undefined;
}

/**
 * Registers the multi-round-trip tools of SEP-2322 (2026-07-28, scenarios `input-required-result-*`).
 * Each tool returns an `InputRequiredResult` until the retried call carries the `inputResponses` it
 * asked for, then completes. `requestState` is minted with the fixture's HMAC codec; the server's
 * `requestState.verify` hook rejects tampered state with -32602 before a handler runs.
 */
export function registerInputRequiredTools(server: McpServer, fixture: FixtureContext): void {
  const noArgs = z.object({});
  const mint = (payload: Record<string, unknown>) =>
    fixture.requestState.mint({ ...payload, nonce: randomUUID() });

  server.registerTool(
    'test_input_required_result_elicitation',
    { description: 'Asks for the caller name with an in-band elicitation', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      const name = acceptedContent<{ name: unknown }>(ctx.mcpReq.inputResponses, 'user_name')?.name;
      // Anything but an accepted answer with a string name (missing, declined, wrong type) re-asks.
      if (typeof name !== 'string') {
        return inputRequired({ inputRequests: { user_name: askFor('What is your name?', 'name') } });
      }
      return text(`Hello, ${name}!`);
    },
  );

  server.registerTool(
    'test_input_required_result_sampling',
    { description: 'Asks for an LLM completion with an in-band sampling request', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      const answer = ctx.mcpReq.inputResponses?.capital_question as
        | { content?: { text?: unknown } }
        | undefined;
      if (answer === undefined) {
        return inputRequired({
          inputRequests: {
            capital_question: inputRequired.createMessage({
              messages: [{ role: 'user', content: { type: 'text', text: 'What is the capital of France?' } }],
              maxTokens: 100,
            }),
          },
        });
      }
      const reply = typeof answer.content?.text === 'string' ? answer.content.text : JSON.stringify(answer);
      return text(`Sampling response: ${reply}`);
    },
  );

  server.registerTool(
    'test_input_required_result_list_roots',
    { description: 'Asks for the client roots with an in-band roots/list request', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      const roots = (ctx.mcpReq.inputResponses?.client_roots as { roots?: unknown } | undefined)?.roots;
      if (!Array.isArray(roots)) {
        return inputRequired({ inputRequests: { client_roots: inputRequired.listRoots() } });
      }
      return text(`Client exposed ${roots.length} root(s)`);
    },
  );

  server.registerTool(
    'test_input_required_result_request_state',
    { description: 'Round-trips integrity-protected requestState with an elicitation', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      const state = ctx.mcpReq.requestState<Record<string, unknown>>();
      const confirmed = acceptedContent(ctx.mcpReq.inputResponses, 'confirm');
      if (state?.tool === 'request_state' && confirmed !== undefined) {
        return text('state-ok: requestState verified and confirmation received');
      }
      return inputRequired({
        inputRequests: { confirm: askFor('Please confirm', 'ok', 'boolean') },
        requestState: await mint({ tool: 'request_state' }),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_multiple_inputs',
    { description: 'Asks for elicitation, sampling and roots input in one round', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      const responses = ctx.mcpReq.inputResponses;
      const name = acceptedContent<{ name: unknown }>(responses, 'user_name')?.name;
      const greeting = (responses?.greeting as { content?: { text?: unknown } } | undefined)?.content?.text;
      const roots = (responses?.client_roots as { roots?: unknown } | undefined)?.roots;
      if (typeof name === 'string' && typeof greeting === 'string' && Array.isArray(roots)) {
        return text(`${greeting} ${name}: ${roots.length} root(s) visible`);
      }
      return inputRequired({
        inputRequests: {
          user_name: askFor('What is your name?', 'name'),
          greeting: inputRequired.createMessage({
            messages: [{ role: 'user', content: { type: 'text', text: 'Generate a greeting' } }],
            maxTokens: 50,
          }),
          client_roots: inputRequired.listRoots(),
        },
        requestState: await mint({ tool: 'multiple_inputs' }),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_multi_round',
    { description: 'Two elicitation rounds with evolving requestState, then completes', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      // The round lives in the sealed requestState: the 2026-07-28 path keeps no state between requests.
      const state = ctx.mcpReq.requestState<Record<string, unknown>>();
      const round = state?.tool === 'multi_round' && typeof state.round === 'number' ? state.round : 0;
      if (round === 0) {
        return inputRequired({
          inputRequests: { step1: askFor('Step 1: What is your name?', 'name') },
          requestState: await mint({ tool: 'multi_round', round: 1 }),
        });
      }
      if (round === 1) {
        const name = acceptedContent<{ name: unknown }>(ctx.mcpReq.inputResponses, 'step1')?.name;
        return inputRequired({
          inputRequests: { step2: askFor('Step 2: What is your favorite color?', 'color') },
          requestState: await mint({ tool: 'multi_round', round: 2, name: String(name ?? 'unknown') }),
        });
      }
      const color = acceptedContent<{ color: unknown }>(ctx.mcpReq.inputResponses, 'step2')?.color;
      return text(`Multi-round complete: ${String(state?.name)} likes ${String(color ?? 'unknown')}`);
    },
  );

  server.registerTool(
    'test_input_required_result_tampered_state',
    { description: 'Rejects a retry whose requestState fails integrity verification', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      // Reaching the handler with state means the verify hook accepted it.
      const state = ctx.mcpReq.requestState<Record<string, unknown>>();
      if (state?.tool === 'tampered_state' && acceptedContent(ctx.mcpReq.inputResponses, 'confirm')) {
        return text('integrity-ok: requestState verified');
      }
      return inputRequired({
        inputRequests: { confirm: askFor('Please confirm', 'ok', 'boolean') },
        requestState: await mint({ tool: 'tampered_state' }),
      });
    },
  );

  server.registerTool(
    'test_input_required_result_capabilities',
    { description: 'Only requests input kinds the declared client capabilities cover', inputSchema: noArgs },
    async (_args, ctx): ToolOutcome => {
      if (ctx.mcpReq.inputResponses !== undefined) return text('Capability-aware input requests fulfilled');
      const declared = declaredCapabilities(ctx);
      const inputRequests: InputRequests = {};
      if (declared?.elicitation !== undefined) inputRequests.user_name = askFor('What is your name?', 'name');
      if (declared?.sampling !== undefined) {
        inputRequests.greeting = inputRequired.createMessage({
          messages: [{ role: 'user', content: { type: 'text', text: 'Generate a short greeting' } }],
          maxTokens: 50,
        });
      }
      if (declared?.roots !== undefined) inputRequests.client_roots = inputRequired.listRoots();
      if (Object.keys(inputRequests).length === 0) {
        return text('No declared client capability supports an in-band input request');
      }
      return inputRequired({ inputRequests });
    },
  );
}
