import type { ToolOutput } from '../registry/tools/tool-schemas.js';
import type { FetchLike } from '../security/ssrf/safe-fetch.js';

/** Bound on a REST tool's response body (larger answers are an error, not a truncated result). */
const MAX_REST_RESPONSE_BYTES = 16 * 1024 * 1024;

/** What one REST call needs besides the tool. */
export interface RestCall {
  args: Record<string, unknown>;
  headers: Record<string, string>;
  /** The URL to call (the tool's, possibly with a query-parameter credential). */
  url: string;
  fetch: FetchLike;
  signal: AbortSignal;
  timeoutMs: number;
}

/**
 * Calls a REST tool (`integration_type: REST`): arguments become the query string of GET and DELETE
 * requests and the JSON body of the others. The answer becomes an MCP CallToolResult: JSON bodies as
 * text plus `structuredContent` (objects only, as MCP requires), others as text; HTTP errors are tool
 * errors (`isError`) the model can read, not protocol errors.
 */
export async function invokeRestTool(tool: ToolOutput, call: RestCall): Promise<Record<string, unknown>> {
  const method = String(tool.request_type ?? 'POST').toUpperCase();
  const url = new URL(call.url);
  const init: RequestInit = {
    method,
    headers: { accept: 'application/json, text/plain;q=0.9, */*;q=0.5', ...call.headers },
    signal: AbortSignal.any([call.signal, AbortSignal.timeout(call.timeoutMs)]),
    redirect: 'follow',
  };
  if (method === 'GET' || method === 'DELETE') {
    for (const [k, v] of Object.entries(call.args)) {
      if (v === undefined || v === null) continue;
      url.searchParams.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
    }
  } else {
    init.body = JSON.stringify(call.args);
    (init.headers as Record<string, string>)['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await call.fetch(url, init);
  } catch (error) {
    const reason =
      (error as Error).name === 'TimeoutError'
        ? `timed out after ${call.timeoutMs} ms`
        : (error as Error).message;
    return toolError(`REST call to ${url.origin}${url.pathname} failed: ${reason}`);
  }
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > MAX_REST_RESPONSE_BYTES) {
    await res.body?.cancel();
    return toolError(`REST response of ${declared} bytes exceeds the ${MAX_REST_RESPONSE_BYTES}-byte limit`);
  }
  const text = await res.text();
  if (text.length > MAX_REST_RESPONSE_BYTES)
    return toolError(`REST response exceeds the ${MAX_REST_RESPONSE_BYTES}-byte limit`);
  if (!res.ok) return toolError(`HTTP ${res.status} ${res.statusText}: ${text.slice(0, 4096)}`);
  if ((res.headers.get('content-type') ?? '').includes('json')) {
    try {
      const value: unknown = JSON.parse(text);
      const result: Record<string, unknown> = { content: [{ type: 'text', text }] };
      if (typeof value === 'object' && value !== null && !Array.isArray(value))
        result.structuredContent = value;
      return result;
    } catch {
      // Not JSON after all: hand it over as text.
    }
  }
  return { content: [{ type: 'text', text }] };
}

function toolError(text: string): Record<string, unknown> {
  return { content: [{ type: 'text', text }], isError: true };
}
