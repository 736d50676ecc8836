import { modernHeaders, modernMeta } from '../../mcp/support/start-engine.js';

/**
 * The `fetch` options of a conformant 2026-07-28 MCP request (headers, `_meta`), with `Mcp-Name` from
 * `params.name` and the caller's credentials in `headers`.
 */
export function modernRequest(
  method: string,
  params: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): RequestInit {
  return {
    method: 'POST',
    headers: modernHeaders(method, params.name as string | undefined, headers),
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params: { ...params, _meta: modernMeta() } }),
  };
}
