/** Static description of the plugin (used by `mcpplugins list` and documentation). */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';
import { SCANNED_FIELDS } from './payload-fields.js';

/** The PII filter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-pii-filter',
  description:
    'Detects PII in prompts, tool arguments and results, resources and agent messages; masks or blocks it',
  availableHooks: Object.keys(SCANNED_FIELDS) as PluginManifest['availableHooks'],
  defaultConfig: configSchema.parse({}),
  tags: ['security', 'pii', 'compliance'],
};
