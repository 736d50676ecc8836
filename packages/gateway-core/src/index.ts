/**
 * @contextforge/gateway-core — the gateway engine as an embeddable library.
 *
 * Registries, the MCP engine, the upstream pool, auth, storage and cache arrive with their own
 * issues; this entry point is the package's only public surface.
 */

export * from './upstream/index.js';
export { PACKAGE_NAME, VERSION } from './version.js';
