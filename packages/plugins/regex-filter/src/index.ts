/**
 * @contextforge/plugin-regex-filter — regex search-and-replace on prompts and tool I/O.
 *
 * YAML: `kind: "@contextforge/plugin-regex-filter"` (or `plugins.regex_filter.search_replace.SearchReplacePlugin`).
 */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { REWRITTEN_FIELDS } from './regex-filter-plugin.js';

export { configJsonSchema, configSchema, type RegexFilterConfig } from './config-schema.js';
export { compileRules, createPlugin, REWRITTEN_FIELDS } from './regex-filter-plugin.js';
export { PACKAGE_NAME, VERSION } from './version.js';

/** The regex filter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-regex-filter',
  description:
    'Rewrites prompt arguments, rendered prompts and tool arguments/results with regular expressions',
  availableHooks: Object.keys(REWRITTEN_FIELDS) as PluginManifest['availableHooks'],
  defaultConfig: { words: [] },
  tags: ['transformer', 'regex'],
};
