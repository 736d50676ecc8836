/**
 * @contextforge/plugin-header-filter — strips sensitive headers before forwarding and spoofable ones
 * before authentication.
 *
 * YAML: `kind: "@contextforge/plugin-header-filter"`.
 */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { DEFAULT_STRIPPED } from './config-schema.js';

export {
  configJsonSchema,
  configSchema,
  DEFAULT_STRIPPED,
  type HeaderFilterConfig,
} from './config-schema.js';
export { createPlugin, stripHeaders } from './header-filter-plugin.js';
export { PACKAGE_NAME, VERSION } from './version.js';

/** The header filter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-header-filter',
  description:
    'Strips sensitive headers from requests forwarded to MCP servers and agents, and spoofable ones from incoming requests',
  availableHooks: ['tool_pre_invoke', 'agent_pre_invoke', 'http_pre_request'],
  defaultConfig: {
    strip_headers: DEFAULT_STRIPPED,
    strip_patterns: [],
    allow_headers: [],
    strip_incoming: [],
  },
  tags: ['headers', 'security'],
};
