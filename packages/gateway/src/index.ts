/**
 * @contextforge/gateway — the runnable ContextForge gateway distribution (CLI `contextforge`).
 */
export { createProgram } from './program.js';
export { runCli } from './run-cli.js';
export { PACKAGE_NAME, VERSION } from './version.js';
