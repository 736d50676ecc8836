import { type JsonRpcMessage, validateMessage } from '../core/json-rpc.js';

/** Parses a JSON text holding one message or an array of them; returns a reason string on failure. */
export function parseMessages(text: string): JsonRpcMessage[] | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const items = Array.isArray(parsed) ? parsed : [parsed];
  const out: JsonRpcMessage[] = [];
  for (const item of items) {
    const message = validateMessage(item);
    if (typeof message === 'string') return message;
    out.push(message);
  }
  return out;
}
