import type { CallToolResult, McpServer } from '@modelcontextprotocol/server';
import { PNG_PIXEL_BASE64, WAV_SILENCE_BASE64 } from '../fixture-media.js';

/**
 * Registers the tools whose results exercise each content block type (scenarios `tools-call-*`):
 * text, image, audio, embedded resource, a mix of three, and a tool that fails.
 */
export function registerContentTools(server: McpServer): void {
  server.registerTool(
    'test_simple_text',
    { description: 'Returns one text content block' },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
    }),
  );

  server.registerTool(
    'test_image_content',
    { description: 'Returns one image content block (a 1x1 PNG)' },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'image', data: PNG_PIXEL_BASE64, mimeType: 'image/png' }],
    }),
  );

  server.registerTool(
    'test_audio_content',
    { description: 'Returns one audio content block (a tiny WAV)' },
    async (): Promise<CallToolResult> => ({
      content: [{ type: 'audio', data: WAV_SILENCE_BASE64, mimeType: 'audio/wav' }],
    }),
  );

  server.registerTool(
    'test_embedded_resource',
    { description: 'Returns one embedded text resource' },
    async (): Promise<CallToolResult> => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  );

  server.registerTool(
    'test_multiple_content_types',
    { description: 'Returns text, image and embedded resource content in one result' },
    async (): Promise<CallToolResult> => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: PNG_PIXEL_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  // A tool that throws: the SDK turns the exception into a CallToolResult with isError: true, which is
  // what `tools-call-error` expects (a tool error, not a JSON-RPC error).
  server.registerTool(
    'test_error_handling',
    { description: 'Always fails; the failure is reported as a tool result with isError: true' },
    async (): Promise<CallToolResult> => {
      throw new Error('This tool intentionally returns an error for testing');
    },
  );
}
