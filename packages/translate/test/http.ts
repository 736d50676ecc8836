/** Result of a raw JSON-RPC POST. */
export interface RpcResult {
  status: number;
  headers: Headers;
  body: unknown;
  text: string;
}

/** POSTs a JSON body (or raw text) and parses the answer (JSON or the first SSE message). */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<RpcResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown;
  const data = /^data: (.*)$/m.exec(text);
  try {
    parsed = JSON.parse(
      data && response.headers.get('content-type')?.includes('event-stream') ? data[1]! : text,
    );
  } catch {
    parsed = undefined;
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

/** Opens a legacy-era session with initialize + initialized; returns its id. */
export async function openSession(mcpUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const init = await post(
    mcpUrl,
    {
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } },
    },
    headers,
  );
  const id = init.headers.get('mcp-session-id');
  if (init.status !== 200 || !id) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  await post(
    mcpUrl,
    { jsonrpc: '2.0', method: 'notifications/initialized' },
    { ...headers, 'mcp-session-id': id },
  );
  return id;
}

/** A tools/call request body. */
export function call(id: number | string, name: string, args: Record<string, unknown> = {}) {
  return { jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } };
}
