import { describe, expect, it } from 'vitest';
import type { RequestContext } from '../mcp/types.js';
import { completeInputRequired, type InputRetry, MAX_INPUT_ROUNDS } from './input-required-bridge.js';

const base = {
  scope: { kind: 'all' },
  requestId: 1,
  signal: new AbortController().signal,
} as unknown as RequestContext;

const asking = (key: string, state: string) => ({
  resultType: 'input_required',
  inputRequests: { [key]: { method: 'elicitation/create', params: { message: key } } },
  requestState: state,
});

describe('completeInputRequired', () => {
  it('asks a 2025-era client round after round and retries with its answers and the state', async () => {
    const asked: string[] = [];
    const ctx = {
      ...base,
      protocolVersion: '2025-11-25',
      request: async (method: string, params: unknown) => {
        asked.push(`${method}:${(params as { message: string }).message}`);
        return { action: 'accept', content: { n: asked.length } };
      },
    } as RequestContext;
    const retries: Array<InputRetry | undefined> = [];
    const result = await completeInputRequired(ctx, 'tool x', async (retry) => {
      retries.push(retry);
      if (retries.length === 1) return asking('first', 's1');
      if (retries.length === 2) return asking('second', 's2');
      return { content: [] };
    });
    expect(result).toEqual({ content: [] });
    expect(asked).toEqual(['elicitation/create:first', 'elicitation/create:second']);
    expect(retries).toEqual([
      undefined,
      { inputResponses: { first: { action: 'accept', content: { n: 1 } } }, requestState: 's1' },
      { inputResponses: { second: { action: 'accept', content: { n: 2 } } }, requestState: 's2' },
    ]);
  });

  it('passes input_required through to a 2026-07-28 client', async () => {
    const ctx = { ...base, protocolVersion: '2026-07-28' } as RequestContext;
    expect(await completeInputRequired(ctx, 'tool x', async () => asking('k', 's'))).toEqual(
      asking('k', 's'),
    );
  });

  it('gives up after MAX_INPUT_ROUNDS rounds, and without a way to ask the client', async () => {
    const ctx = { ...base, protocolVersion: '2025-11-25', request: async () => ({}) } as RequestContext;
    let calls = 0;
    await expect(
      completeInputRequired(ctx, 'tool x', async () => {
        calls++;
        return asking('k', 's');
      }),
    ).rejects.toThrow(`tool x still asks for client input after ${MAX_INPUT_ROUNDS} rounds`);
    expect(calls).toBe(MAX_INPUT_ROUNDS + 1);
    const mute = { ...base, protocolVersion: '2025-11-25' } as RequestContext;
    await expect(completeInputRequired(mute, 'tool y', async () => asking('k', 's'))).rejects.toThrow(
      /tool y needs input from the client/,
    );
  });
});
