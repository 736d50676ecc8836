/**
 * @contextforge/plugin-output-length-guard — bounds tool output length (truncate or block).
 *
 * YAML: `kind: "@contextforge/plugin-output-length-guard"` (or `plugins.output_length_guard.output_length_guard.OutputLengthGuardPlugin`).
 */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';

export { configJsonSchema, configSchema, type OutputLengthGuardConfig } from './config-schema.js';
export { charCount, limits, truncate } from './measure.js';
export { createPlugin } from './output-length-guard-plugin.js';
export { PACKAGE_NAME, VERSION } from './version.js';

/** The output length guard's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-output-length-guard',
  description: 'Truncates or blocks tool outputs outside character or token bounds',
  availableHooks: ['tool_post_invoke'],
  defaultConfig: configSchema.parse({}),
  tags: ['guard', 'length'],
};
