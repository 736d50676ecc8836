/**
 * @contextforge/plugin-resource-filter — protocol/domain policy, size cap and redaction for resources.
 *
 * YAML: `kind: "@contextforge/plugin-resource-filter"` (or `plugins.resource_filter.resource_filter.ResourceFilterPlugin`).
 */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';

export { configJsonSchema, configSchema, type ResourceFilterConfig } from './config-schema.js';
export { contentSize } from './content-size.js';
export { createPlugin } from './resource-filter-plugin.js';
export { checkUri, hostMatches } from './uri-policy.js';
export { PACKAGE_NAME, VERSION } from './version.js';

/** The resource filter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-resource-filter',
  description:
    'Protocol and domain allowlists, blocked domains, a size cap and content redaction for resource reads',
  availableHooks: ['resource_pre_fetch', 'resource_post_fetch'],
  defaultConfig: configSchema.parse({}),
  tags: ['resources', 'security'],
};
