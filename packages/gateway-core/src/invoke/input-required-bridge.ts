import { McpError } from '../mcp/errors.js';
import { ErrorCode, isModernVersion } from '../mcp/protocol.js';
import type { RequestContext } from '../mcp/types.js';

/** Rounds of client input fulfilled for one call before the upstream is deemed to loop. */
export const MAX_INPUT_ROUNDS = 8;

/** What a retried upstream call carries (2026-07-28 MRTR). */
export interface InputRetry {
  inputResponses?: Record<string, unknown>;
  requestState?: string;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Completes an upstream call whose 2026-07-28 upstream answers `input_required` (MRTR, SEP-2322) on
 * behalf of a 2025-era downstream client, which cannot read that result but can answer server→client
 * requests: each embedded request goes to the client through `ctx.request` (sampling, elicitation,
 * roots), and the call is retried with the answers and the byte-exact `requestState`, until the upstream
 * completes. A 2026-07-28 client gets the `input_required` result as is (it retries itself).
 *
 * @param call the upstream call; `retry` carries the inputs of a later round
 * @throws McpError -32603 when the client cannot be asked (no session stream, e.g. `POST /rpc`), when an
 *   input request is malformed, or after {@link MAX_INPUT_ROUNDS} rounds; the client's refusal as is
 */
export async function completeInputRequired(
  ctx: RequestContext,
  what: string,
  call: (retry?: InputRetry) => Promise<Record<string, unknown>>,
): Promise<Record<string, unknown>> {
  let result = await call();
  if (isModernVersion(ctx.protocolVersion)) return result;
  for (let round = 1; result.resultType === 'input_required'; round++) {
    const ask = ctx.request;
    if (ask === undefined)
      throw new McpError(
        ErrorCode.InternalError,
        `${what} needs input from the client (2026-07-28 input_required), but this connection cannot carry server→client requests: use a streamable HTTP session, HTTP+SSE, WebSocket or 2026-07-28`,
      );
    if (round > MAX_INPUT_ROUNDS)
      throw new McpError(
        ErrorCode.InternalError,
        `${what} still asks for client input after ${MAX_INPUT_ROUNDS} rounds; giving up`,
      );
    const requests = result.inputRequests ?? {};
    if (!isObject(requests))
      throw new McpError(
        ErrorCode.InternalError,
        `${what} answered input_required with malformed inputRequests`,
      );
    const retry: InputRetry = {};
    const responses: Record<string, unknown> = {};
    for (const [key, request] of Object.entries(requests)) {
      if (!isObject(request) || typeof request.method !== 'string')
        throw new McpError(
          ErrorCode.InternalError,
          `${what} answered input_required with an input request '${key}' that has no method`,
        );
      // One at a time: a person answers elicitations, and order matters to them.
      responses[key] = await ask(request.method, request.params ?? {}, { signal: ctx.signal });
    }
    if (Object.keys(responses).length > 0) retry.inputResponses = responses;
    if (typeof result.requestState === 'string') retry.requestState = result.requestState;
    result = await call(retry);
  }
  return result;
}
