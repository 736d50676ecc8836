/**
 * @contextforge/translate — the `mcp-translate` transport bridge.
 */
export { normalizeArgv } from './legacy-argv.js';
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { type RunningServer, runServer } from './run-server.js';
export { PACKAGE_NAME, VERSION } from './version.js';
