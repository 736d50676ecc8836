/**
 * @contextforge/plugin-secrets-detection — credential detection backed by a Rust scanner.
 *
 * YAML: `kind: "@contextforge/plugin-secrets-detection"` (or ContextForge's
 * `cpex_secrets_detection.SecretsDetectionPlugin`).
 */
export {
  configJsonSchema,
  configSchema,
  enabledKinds,
  SECRET_KIND_DEFAULTS,
  type SecretsDetectionConfig,
} from './config-schema.js';
export { manifest } from './manifest.js';
export { loadSecretsBinding, type SecretsBinding } from './native.js';
export { createPlugin, SCANNED_FIELDS } from './secrets-detection-plugin.js';
export { SecretsScanner, type SecretsScanResult } from './secrets-scanner.js';
export { PACKAGE_NAME, VERSION } from './version.js';
