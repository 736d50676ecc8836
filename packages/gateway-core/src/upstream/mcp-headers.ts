/**
 * 2026-07-28 HTTP request metadata: the `Mcp-Name` header and `Mcp-Param-{Name}` headers mirrored
 * from tool arguments whose input schema property carries `x-mcp-header` (SEP-2243). Servers that
 * read the body reject a missing or mismatching header with 400 / -32020, so the client must emit
 * exactly what the body says.
 */

const SENTINEL_PREFIX = '=?base64?';
const SENTINEL_SUFFIX = '?=';
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** True when `s` cannot travel as a plain ASCII header value (RFC 9110 §5.5) and needs the Base64 sentinel. */
function needsBase64(s: string): boolean {
  if (s.length === 0 || s !== s.trim()) return true;
  if (s.startsWith(SENTINEL_PREFIX) && s.endsWith(SENTINEL_SUFFIX)) return true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 9 && (c < 32 || c > 126)) return true;
  }
  return false;
}

/** Encodes a header value: plain ASCII passes, anything else becomes `=?base64?{utf8-b64}?=`. */
export function encodeHeaderValue(value: string): string {
  return needsBase64(value)
    ? `${SENTINEL_PREFIX}${Buffer.from(value, 'utf8').toString('base64')}${SENTINEL_SUFFIX}`
    : value;
}

/** One `x-mcp-header` declaration: the argument path and the header name suffix. */
export interface McpParamDeclaration {
  path: string[];
  header: string;
}

/**
 * Finds `x-mcp-header` declarations reachable through a chain of `properties` keys. Invalid
 * declarations (bad token, duplicates) are skipped: the client then sends no header for them
 * and the server decides.
 */
export function scanParamHeaders(inputSchema: unknown): McpParamDeclaration[] {
  const out: McpParamDeclaration[] = [];
  const seen = new Set<string>();
  const visit = (node: unknown, path: string[], depth: number) => {
    if (node === null || typeof node !== 'object' || depth > 16) return;
    const schema = node as Record<string, unknown>;
    const raw = schema['x-mcp-header'];
    if (path.length > 0 && typeof raw === 'string' && TOKEN.test(raw) && !seen.has(raw.toLowerCase())) {
      seen.add(raw.toLowerCase());
      out.push({ path, header: `mcp-param-${raw.toLowerCase()}` });
    }
    const props = schema.properties;
    if (props !== null && typeof props === 'object') {
      for (const [key, child] of Object.entries(props)) visit(child, [...path, key], depth + 1);
    }
  };
  visit(inputSchema, [], 0);
  return out;
}

/** Header values for one call's arguments (absent, null and non-primitive values emit nothing). */
export function paramHeaderValues(
  decls: readonly McpParamDeclaration[],
  args: unknown,
): Record<string, string> | undefined {
  let out: Record<string, string> | undefined;
  for (const d of decls) {
    let node: unknown = args;
    for (const key of d.path)
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    let text: string | undefined;
    if (typeof node === 'string') text = node;
    else if (typeof node === 'boolean') text = node ? 'true' : 'false';
    else if (
      typeof node === 'number' &&
      Number.isFinite(node) &&
      (!Number.isInteger(node) || Number.isSafeInteger(node))
    ) {
      text = String(node);
    }
    if (text === undefined) continue;
    out ??= {};
    out[d.header] = encodeHeaderValue(text);
  }
  return out;
}
