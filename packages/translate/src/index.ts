/**
 * @contextforge/translate — the `mcp-translate` transport bridge.
 */
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
