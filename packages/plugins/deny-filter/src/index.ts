/**
 * @contextforge/plugin-deny-filter — blocks requests containing deny-listed words.
 *
 * YAML: `kind: "@contextforge/plugin-deny-filter"` (or `plugins.deny_filter.deny.DenyListPlugin`).
 */
export { configJsonSchema, configSchema, type DenyFilterConfig } from './config-schema.js';
export { compileDenyList, createPlugin, SCANNED } from './deny-filter-plugin.js';
export { manifest } from './manifest.js';
export { PACKAGE_NAME, VERSION } from './version.js';
