/**
 * @contextforge/reverse-proxy — `mcp-reverse-proxy`, publishes a local stdio MCP server through a
 * gateway from behind NAT.
 */
export { ConfigError, createProgram } from './program.js';
export {
  type ProxyConfig,
  type ProxyFlags,
  readConfigFile,
  resolveProxyConfig,
  tunnelUrl,
} from './proxy-config.js';
export { ProxyFatalError, ReverseProxyClient } from './reverse-proxy-client.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
