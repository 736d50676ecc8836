/**
 * @contextforge/reverse-proxy — the `mcp-reverse-proxy` client.
 */
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
