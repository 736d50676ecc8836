import { createServer } from 'node:net';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';

/**
 * Drives the features every direction must carry, against server-everything: list and call tools,
 * progress notifications, resources, prompts.
 */
export async function exercise(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((t) => t.name)).toEqual(
    expect.arrayContaining(['echo', 'trigger-long-running-operation']),
  );

  const echo = await client.callTool({ name: 'echo', arguments: { message: 'through the bridge' } });
  expect(echo.content).toEqual([{ type: 'text', text: 'Echo: through the bridge' }]);

  const progress: number[] = [];
  const long = await client.callTool(
    { name: 'trigger-long-running-operation', arguments: { duration: 0.3, steps: 3 } },
    undefined,
    { onprogress: (p) => progress.push(p.progress) },
  );
  expect(JSON.stringify(long.content)).toContain('Long running operation completed');
  // server-everything's last progress notification races its result even without any bridge
  // (checked with the SDK client over plain stdio), so the first steps are what can be required.
  expect(progress.slice(0, 2)).toEqual([1, 2]);

  const { resources } = await client.listResources();
  expect(resources.length).toBeGreaterThan(0);
  const read = await client.readResource({ uri: resources[0]!.uri });
  expect(read.contents[0]?.uri).toBe(resources[0]!.uri);

  const { prompts } = await client.listPrompts();
  expect(prompts.map((p) => p.name)).toContain('simple-prompt');
  const prompt = await client.getPrompt({ name: 'simple-prompt' });
  expect(prompt.messages.length).toBeGreaterThan(0);
}

/** A port that was free a moment ago (for third-party servers that cannot listen on port 0). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
