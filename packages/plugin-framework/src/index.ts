/**
 * @contextforge/plugin-framework — plugin hook contracts, manager and the `mcpplugins` CLI.
 */
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
