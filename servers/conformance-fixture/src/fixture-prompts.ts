import {
  acceptedContent,
  type GetPromptResult,
  type InputRequiredResult,
  inputRequired,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import * as z from 'zod';
import { PNG_PIXEL_BASE64 } from './fixture-media.js';

/**
 * Registers the prompts of the `prompts-*` scenarios (`test_simple_prompt`,
 * `test_prompt_with_arguments`, `test_prompt_with_embedded_resource`, `test_prompt_with_image`) and
 * `test_input_required_result_prompt`, which shows that `prompts/get` may return an
 * `InputRequiredResult` too (scenario `input-required-result-non-tool-request`).
 */
export function registerFixturePrompts(server: McpServer): void {
  server.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    async (): Promise<GetPromptResult> => ({
      messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }],
    }),
  );

  server.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with two required arguments',
      argsSchema: z.object({
        arg1: z.string().describe('First test argument'),
        arg2: z.string().describe('Second test argument'),
      }),
    },
    async ({ arg1, arg2 }): Promise<GetPromptResult> => ({
      messages: [
        {
          role: 'user',
          content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` },
        },
      ],
    }),
  );

  server.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that embeds the resource named by its argument',
      argsSchema: z.object({ resourceUri: z.string().describe('URI of the resource to embed') }),
    },
    async ({ resourceUri }): Promise<GetPromptResult> => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: {
              uri: resourceUri,
              mimeType: 'text/plain',
              text: 'Embedded resource content for testing.',
            },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );

  server.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt that includes image content' },
    async (): Promise<GetPromptResult> => ({
      messages: [
        { role: 'user', content: { type: 'image', data: PNG_PIXEL_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  );

  server.registerPrompt(
    'test_input_required_result_prompt',
    { title: 'MRTR Prompt', description: 'Asks for context with an in-band elicitation before rendering' },
    // Without argsSchema the callback receives only the context; the overloads type it loosely.
    async (ctx: ServerContext): Promise<GetPromptResult | InputRequiredResult> => {
      const context = acceptedContent<{ context: unknown }>(
        ctx.mcpReq.inputResponses,
        'user_context',
      )?.context;
      if (typeof context !== 'string') {
        return inputRequired({
          inputRequests: {
            user_context: inputRequired.elicit({
              message: 'What context should the prompt use?',
              requestedSchema: {
                type: 'object',
                properties: { context: { type: 'string' } },
                required: ['context'],
              },
            }),
          },
        });
      }
      return {
        messages: [
          { role: 'user', content: { type: 'text', text: `Use the following context: ${context}` } },
        ],
      };
    },
  );
}
