import { type McpServer, type ReadResourceResult, ResourceTemplate } from '@modelcontextprotocol/server';
import { PNG_PIXEL_BASE64 } from './fixture-media.js';
import type { FixtureContext } from './fixture-options.js';

/**
 * Registers the resources the `resources-*` scenarios read: `test://static-text`,
 * `test://static-binary`, the template `test://template/{id}/data` and `test://watched-resource`,
 * plus the `resources/subscribe` / `resources/unsubscribe` handlers of 2025-era sessions. Unknown URIs
 * are answered by the SDK with -32602 and the URI in `data` (SEP-2164).
 */
export function registerFixtureResources(server: McpServer, fixture: FixtureContext): void {
  server.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static Text Resource', description: 'A static text resource', mimeType: 'text/plain' },
    async (): Promise<ReadResourceResult> => ({
      contents: [
        {
          uri: 'test://static-text',
          mimeType: 'text/plain',
          text: 'This is the content of the static text resource.',
        },
      ],
    }),
  );

  server.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static Binary Resource', description: 'A 1x1 PNG served as a blob', mimeType: 'image/png' },
    async (): Promise<ReadResourceResult> => ({
      contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: PNG_PIXEL_BASE64 }],
    }),
  );

  server.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    {
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json',
    },
    async (uri, variables): Promise<ReadResourceResult> => ({
      contents: [
        {
          uri: uri.toString(),
          mimeType: 'application/json',
          text: JSON.stringify({
            id: variables.id,
            templateTest: true,
            data: `Data for ID: ${variables.id}`,
          }),
        },
      ],
    }),
  );

  server.registerResource(
    'watched-resource',
    'test://watched-resource',
    {
      title: 'Watched Resource',
      description: 'A resource clients can subscribe to',
      mimeType: 'text/plain',
      // A per-resource hint (SEP-2549) so 2026-07-28 reads carry a non-default, checkable value.
      cacheHint: { ttlMs: 1_000, cacheScope: 'private' },
    },
    async (): Promise<ReadResourceResult> => ({
      contents: [
        { uri: 'test://watched-resource', mimeType: 'text/plain', text: 'Watched resource content' },
      ],
    }),
  );

  server.server.setRequestHandler('resources/subscribe', async (request) => {
    fixture.resourceSubscriptions.add(request.params.uri);
    fixture.log('debug', `subscribed to ${request.params.uri}`);
    return {};
  });

  server.server.setRequestHandler('resources/unsubscribe', async (request) => {
    fixture.resourceSubscriptions.delete(request.params.uri);
    fixture.log('debug', `unsubscribed from ${request.params.uri}`);
    return {};
  });
}
