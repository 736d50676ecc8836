/**
 * @contextforge/wrapper — `mcp-wrapper`, a stdio MCP server that forwards to a remote gateway.
 */
export { normalizeServerUrl } from './normalize-url.js';
export { ConfigError, createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { runWrapper } from './run-wrapper.js';
export { PACKAGE_NAME, VERSION } from './version.js';
export { resolveConfig, type WrapperConfig, type WrapperFlags } from './wrapper-config.js';
