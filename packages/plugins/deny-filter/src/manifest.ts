/** Static description of the plugin. */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { SCANNED } from './deny-filter-plugin.js';

/** The deny filter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-deny-filter',
  description: 'Blocks prompts, tool calls and agent calls containing deny-listed words',
  availableHooks: Object.keys(SCANNED) as PluginManifest['availableHooks'],
  defaultConfig: { words: [], case_sensitive: false, whole_words: false },
  tags: ['filter', 'denylist'],
};
