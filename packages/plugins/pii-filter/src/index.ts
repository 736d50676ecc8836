/**
 * @contextforge/plugin-pii-filter — PII detection and masking backed by a Rust scanner.
 *
 * YAML: `kind: "@contextforge/plugin-pii-filter"` (or ContextForge's `cpex_pii_filter.PIIFilterPlugin`).
 */
export { configJsonSchema, configSchema, DETECTOR_NAMES, type PiiFilterConfig } from './config-schema.js';
export { manifest } from './manifest.js';
export { loadPiiBinding, type NativeScannerConfig, type PiiBinding } from './native.js';
export { createPlugin } from './pii-filter-plugin.js';
export { PiiScanner, type PiiScanResult } from './pii-scanner.js';
export { PACKAGE_NAME, VERSION } from './version.js';
