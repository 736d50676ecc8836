/**
 * A JSON-RPC error answered over HTTP (transport-level problems: bad session, bad body, wrong media
 * type). `id` is null because the request id is unknown or the request could not be parsed.
 */
export function jsonRpcErrorResponse(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: null, error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}
