/**
 * @contextforge/wrapper — the `mcp-wrapper` stdio client for remote gateways.
 */
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
