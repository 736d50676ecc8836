/**
 * The resource filter: refuses reads of disallowed schemes and hosts before they happen, then caps
 * the size of what was read and redacts configured patterns in its text.
 */
import {
  type HookHandlers,
  type Plugin,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
  type ResourcePostFetchPayload,
  type ResourcePreFetchPayload,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';
import { contentSize } from './content-size.js';
import { checkUri } from './uri-policy.js';

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const filters = config.content_filters.map((f) => ({
    re: new RegExp(f.pattern, f.ignore_case ? 'giu' : 'gu'),
    replacement: f.replacement,
  }));
  const hooks: HookHandlers = {
    resource_pre_fetch(payload: ResourcePreFetchPayload): PluginResult<never> {
      const violation = checkUri(payload.uri, config);
      return violation ? { continueProcessing: false, violation } : {};
    },
    resource_post_fetch(payload: ResourcePostFetchPayload): PluginResult<never> {
      const violation = checkUri(payload.uri, config);
      if (violation) return { continueProcessing: false, violation };
      const size = contentSize(payload.content);
      if (config.max_content_size > 0 && size > config.max_content_size) {
        return {
          continueProcessing: false,
          violation: {
            reason: 'Content too large',
            description: `resource content is ${size} bytes; the limit is ${config.max_content_size}`,
            code: 'CONTENT_TOO_LARGE',
            details: { size, max_content_size: config.max_content_size },
          },
        };
      }
      if (filters.length === 0) return {};
      let redactions = 0;
      const { value, changed } = walkStrings(payload.content, (text, path) => {
        // Only text bodies are redacted: never URIs, MIME types or names.
        const key = path[path.length - 1];
        if (path.length > 0 && key !== 'text') return undefined;
        let out = text;
        for (const { re, replacement } of filters) {
          out = out.replace(re, () => {
            redactions++;
            return replacement;
          });
        }
        return out;
      });
      return changed
        ? {
            modifiedPayload: { ...payload, content: value } as never,
            metadata: { resource_filter: { redactions } },
          }
        : {};
    },
  };
  return { name: init.name, hooks };
}
