/** Header names the protocol and HTTP framing own: a caller cannot set them. */
const RESERVED = new Set([
  'content-type',
  'accept',
  'host',
  'content-length',
  'connection',
  'transfer-encoding',
]);

/**
 * Lower-cases passthrough header names and drops the reserved ones and any `mcp-*` (the
 * 2026-07-28 mirrored headers and the legacy session id are derived from the body and session).
 */
export function passthroughHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (RESERVED.has(key) || key.startsWith('mcp-') || typeof value !== 'string') continue;
    out[key] = value;
  }
  return out;
}
