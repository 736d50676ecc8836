import type {
  CallToolResult,
  ElicitRequestFormParams,
  McpServer,
  ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';

type FormSchema = ElicitRequestFormParams['requestedSchema'];

/** Describes an error for a tool result without leaking a stack trace. */
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Sends `elicitation/create` on the tool call's stream and renders the answer as text. */
async function elicit(ctx: ServerContext, message: string, requestedSchema: FormSchema, label: string) {
  try {
    const result = await ctx.mcpReq.elicitInput({ message, requestedSchema });
    const text = `${label}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;
    return { content: [{ type: 'text', text }] } satisfies CallToolResult;
  } catch (error) {
    // A client without elicitation support answers with an error; report it as the tool's result.
    return {
      content: [{ type: 'text', text: `Elicitation not supported or error: ${describe(error)}` }],
    } satisfies CallToolResult;
  }
}

/**
 * Registers the tools that send server→client requests while they run (2025-era sessions):
 * `test_sampling` (`tools-call-sampling`), `test_elicitation` (`tools-call-elicitation`),
 * `test_elicitation_sep1034_defaults` (`elicitation-sep1034-defaults`) and
 * `test_elicitation_sep1330_enums` (`elicitation-sep1330-enums`).
 */
export function registerClientRequestTools(server: McpServer): void {
  server.registerTool(
    'test_sampling',
    {
      description: 'Asks the client for an LLM completion (sampling/createMessage) and returns its text',
      inputSchema: z.object({ prompt: z.string().describe('The prompt to send to the LLM') }),
    },
    async ({ prompt }, ctx): Promise<CallToolResult> => {
      try {
        const result = await ctx.mcpReq.requestSampling({
          messages: [{ role: 'user', content: { type: 'text', text: prompt } }],
          maxTokens: 100,
        });
        const content = Array.isArray(result.content) ? result.content[0] : result.content;
        const text = content?.type === 'text' ? content.text : 'No response';
        return { content: [{ type: 'text', text: `LLM response: ${text}` }] };
      } catch (error) {
        return { content: [{ type: 'text', text: `Sampling not supported or error: ${describe(error)}` }] };
      }
    },
  );

  server.registerTool(
    'test_elicitation',
    {
      description: 'Asks the user for a free-text response (elicitation/create) and echoes the answer',
      inputSchema: z.object({ message: z.string().describe('The message to show the user') }),
    },
    async ({ message }, ctx) =>
      elicit(
        ctx,
        message,
        {
          type: 'object',
          properties: { response: { type: 'string', description: "User's response" } },
          required: ['response'],
        },
        'User response',
      ),
  );

  server.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Elicits a form whose fields all carry defaults (SEP-1034)', inputSchema: z.object({}) },
    async (_args, ctx) =>
      elicit(
        ctx,
        'Please review and update the form fields with defaults',
        {
          type: 'object',
          properties: {
            name: { type: 'string', description: 'User name', default: 'John Doe' },
            age: { type: 'integer', description: 'User age', default: 30 },
            score: { type: 'number', description: 'User score', default: 95.5 },
            status: {
              type: 'string',
              description: 'User status',
              enum: ['active', 'inactive', 'pending'],
              default: 'active',
            },
            verified: { type: 'boolean', description: 'Verification status', default: true },
          },
          required: [],
        },
        'Elicitation completed',
      ),
  );

  server.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Elicits a form with every enum variant of SEP-1330', inputSchema: z.object({}) },
    async (_args, ctx) =>
      elicit(ctx, 'Please select options from the enum fields', sep1330EnumForm, 'Elicitation completed'),
  );
}

/** The five enum shapes of SEP-1330: untitled/titled single-select, legacy enumNames, untitled/titled multi-select. */
const sep1330EnumForm: FormSchema = {
  type: 'object',
  properties: {
    untitledSingle: {
      type: 'string',
      description: 'Select one option',
      enum: ['option1', 'option2', 'option3'],
    },
    titledSingle: {
      type: 'string',
      description: 'Select one option with titles',
      oneOf: [
        { const: 'value1', title: 'First Option' },
        { const: 'value2', title: 'Second Option' },
        { const: 'value3', title: 'Third Option' },
      ],
    },
    legacyEnum: {
      type: 'string',
      description: 'Select one option (legacy)',
      enum: ['opt1', 'opt2', 'opt3'],
      enumNames: ['Option One', 'Option Two', 'Option Three'],
    },
    untitledMulti: {
      type: 'array',
      description: 'Select multiple options',
      minItems: 1,
      maxItems: 3,
      items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
    },
    titledMulti: {
      type: 'array',
      description: 'Select multiple options with titles',
      minItems: 1,
      maxItems: 3,
      items: {
        anyOf: [
          { const: 'value1', title: 'First Choice' },
          { const: 'value2', title: 'Second Choice' },
          { const: 'value3', title: 'Third Choice' },
        ],
      },
    },
  },
  required: [],
};
