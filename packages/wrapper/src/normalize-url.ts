/**
 * Turns the URLs users paste into the streamable HTTP endpoint to call, as ContextForge's wrapper
 * does: `…/servers/<id>` → `…/servers/<id>/mcp`, `…/sse` (legacy) → `…/mcp`, `…/mcp` kept.
 *
 * @throws Error naming the value when it is not an http(s) URL
 */
export function normalizeServerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(
      `MCP_SERVER_URL / --url "${value}" is not a valid URL; expected e.g. https://gateway:4444/servers/<id>/mcp`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`MCP_SERVER_URL / --url must be http:// or https://, received ${url.protocol}`);
  }
  let path = url.pathname.replace(/\/+$/, '');
  if (/\/sse$/.test(path)) path = path.replace(/\/sse$/, '/mcp');
  else if (/\/servers\/[^/]+$/.test(path)) path = `${path}/mcp`;
  else if (!/\/mcp$/.test(path) && (path === '' || path === '/')) path = '/mcp';
  url.pathname = path;
  return url.toString();
}
