/**
 * @contextforge/bridge — MCP transport toolkit shared by mcp-translate, mcp-wrapper and
 * mcp-reverse-proxy.
 */
export { PACKAGE_NAME, VERSION } from './version.js';
