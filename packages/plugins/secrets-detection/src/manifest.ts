/** Static description of the plugin. */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';
import { SCANNED_FIELDS } from './secrets-detection-plugin.js';

/** The secrets detector's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-secrets-detection',
  description:
    'Detects credentials in prompts, tool arguments and results, and resources; blocks or redacts them',
  availableHooks: Object.keys(SCANNED_FIELDS) as PluginManifest['availableHooks'],
  defaultConfig: configSchema.parse({}),
  tags: ['security', 'secrets', 'dlp'],
};
