import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { echoStdioPath } from '../index.mjs';

/** Sends lines to a fresh echo-stdio process and collects the JSON lines it answers. */
async function exchange(lines: string[], expected: number): Promise<unknown[]> {
  const child = spawn(process.execPath, [echoStdioPath], { stdio: ['pipe', 'pipe', 'inherit'] });
  const out: unknown[] = [];
  let buffer = '';
  const done = new Promise<void>((resolve) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const part of parts) if (part) out.push(JSON.parse(part));
      if (out.length >= expected) resolve();
    });
  });
  for (const line of lines) child.stdin.write(`${line}\n`);
  await done;
  child.stdin.end();
  await new Promise((resolve) => child.once('exit', resolve));
  return out;
}

describe('echo-stdio', () => {
  it('answers initialize, tools/list and an echo call in order', async () => {
    const out = await exchange(
      [
        JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: { protocolVersion: '2025-06-18' },
        }),
        JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
        JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
        JSON.stringify({
          jsonrpc: '2.0',
          id: 3,
          method: 'tools/call',
          params: { name: 'echo', arguments: { text: 'hi' } },
        }),
      ],
      3,
    );
    expect(out[0]).toMatchObject({ id: 1, result: { protocolVersion: '2025-06-18' } });
    expect((out[1] as { result: { tools: unknown[] } }).result.tools.length).toBeGreaterThan(3);
    expect(out[2]).toEqual({ jsonrpc: '2.0', id: 3, result: { content: [{ type: 'text', text: 'hi' }] } });
  });

  it('answers a line that is not JSON with a -32700 parse error', async () => {
    const out = await exchange(['{not json'], 1);
    expect(out[0]).toMatchObject({ id: null, error: { code: -32700 } });
  });
});
