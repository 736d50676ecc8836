/**
 * @contextforge/plugins-all — depends on every built-in plugin package so one install brings them
 * all, and maps each `kind` to its module so a plugin manager can load them without module lookup:
 *
 * ```ts
 * const manager = await PluginManager.fromFile('plugins/config.yaml', { factories: builtinPlugins });
 * ```
 */

import * as denyFilter from '@contextforge/plugin-deny-filter';
import type { PluginModule } from '@contextforge/plugin-framework';
import * as headerFilter from '@contextforge/plugin-header-filter';
import * as outputLengthGuard from '@contextforge/plugin-output-length-guard';
import * as piiFilter from '@contextforge/plugin-pii-filter';
import * as rateLimiter from '@contextforge/plugin-rate-limiter';
import * as regexFilter from '@contextforge/plugin-regex-filter';
import * as resourceFilter from '@contextforge/plugin-resource-filter';
import * as secretsDetection from '@contextforge/plugin-secrets-detection';

export { PACKAGE_NAME, VERSION } from './version.js';
export {
  denyFilter,
  headerFilter,
  outputLengthGuard,
  piiFilter,
  rateLimiter,
  regexFilter,
  resourceFilter,
  secretsDetection,
};

/** Every built-in plugin module by its npm name (the YAML `kind`). */
export const builtinPlugins: Readonly<Record<string, PluginModule>> = {
  '@contextforge/plugin-deny-filter': denyFilter,
  '@contextforge/plugin-header-filter': headerFilter,
  '@contextforge/plugin-output-length-guard': outputLengthGuard,
  '@contextforge/plugin-pii-filter': piiFilter,
  '@contextforge/plugin-rate-limiter': rateLimiter,
  '@contextforge/plugin-regex-filter': regexFilter,
  '@contextforge/plugin-resource-filter': resourceFilter,
  '@contextforge/plugin-secrets-detection': secretsDetection,
};

/** npm names of the built-in plugin packages this meta-package installs. */
export const PLUGIN_PACKAGES: readonly string[] = Object.keys(builtinPlugins);
