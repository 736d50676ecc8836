import { isJsonContentType, readRequestBody } from '@modelcontextprotocol/server';
import { jsonRpcErrorResponse } from './json-rpc-response.js';

/**
 * Reads a POST body as JSON, bounded by `maxBytes`. Resolves with the parsed value, or with the HTTP
 * error to answer: 415 for a non-JSON media type, 413 for an oversize body, 400 (-32700) for bad JSON.
 */
export async function readJsonBody(
  request: Request,
  maxBytes: number,
): Promise<{ body: unknown } | { error: Response }> {
  if (!isJsonContentType(request.headers.get('content-type'))) {
    return {
      error: jsonRpcErrorResponse(
        415,
        -32000,
        'Unsupported Media Type: Content-Type must be application/json',
      ),
    };
  }
  const read = await readRequestBody(request, maxBytes);
  if (read.tooLarge)
    return { error: jsonRpcErrorResponse(413, -32000, `Request body exceeds ${maxBytes} bytes`) };
  try {
    return { body: JSON.parse(read.text) };
  } catch (error) {
    return { error: jsonRpcErrorResponse(400, -32700, `Parse error: ${(error as Error).message}`) };
  }
}
