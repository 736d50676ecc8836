import type { IncomingMessage } from 'node:http';
import { headerMismatch } from './errors.js';
import { header } from './http-io.js';
import { NAME_FIELD } from './protocol.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes a header value that may use the `=?base64?…?=` sentinel (2026-07-28 streamable-http
 * §Value Encoding). Values without both markers are literal.
 *
 * @throws McpError -32020 when the sentinel wraps something that is not strict Base64.
 */
export function decodeHeaderValue(raw: string, name: string): string {
  const v = raw.trim();
  if (v.startsWith('=?base64?') && v.endsWith('?=') && v.length >= 11) {
    const b64 = v.slice(9, -2);
    if (!BASE64.test(b64)) throw headerMismatch(`${name} carries invalid Base64 ${JSON.stringify(b64)}`);
    return Buffer.from(b64, 'base64').toString('utf8');
  }
  return v;
}

/**
 * Checks the 2026-07-28 request metadata headers against the body (streamable-http §Server
 * Validation): `Mcp-Method` must equal `method`, and `Mcp-Name` must equal `params.name` /
 * `params.uri` for tools/call, prompts/get and resources/read. Header values are case-sensitive.
 *
 * @throws McpError -32020 (HTTP 400) naming the header, the header value and the body value.
 */
export function validateStandardHeaders(
  req: IncomingMessage,
  method: string,
  params: Record<string, unknown> | undefined,
): void {
  const mcpMethod = header(req, 'mcp-method');
  if (mcpMethod === undefined)
    throw headerMismatch(`required Mcp-Method header is missing (body method is '${method}')`);
  if (mcpMethod.trim() !== method) {
    throw headerMismatch(
      `Mcp-Method header value '${mcpMethod.trim()}' does not match body method '${method}'`,
    );
  }
  const field = NAME_FIELD[method];
  if (field === undefined) return;
  const bodyValue = params?.[field];
  const rawName = header(req, 'mcp-name');
  if (rawName === undefined) {
    if (bodyValue === undefined) return;
    throw headerMismatch(
      `required Mcp-Name header is missing (body params.${field} is ${JSON.stringify(bodyValue)})`,
    );
  }
  const name = decodeHeaderValue(rawName, 'Mcp-Name');
  if (name !== bodyValue) {
    throw headerMismatch(
      `Mcp-Name header value '${name}' does not match body params.${field} ${JSON.stringify(bodyValue)}`,
    );
  }
}
