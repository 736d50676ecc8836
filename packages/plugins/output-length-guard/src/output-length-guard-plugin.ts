/**
 * The output length guard: checks every text of a tool result (content blocks and strings inside
 * structuredContent); truncates or blocks texts over the maximum, blocks texts under the minimum.
 */
import {
  type Plugin,
  type PluginInit,
  type PluginResult,
  type PluginViolation,
  parsePluginConfig,
  type ToolPostInvokePayload,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';
import { charCount, limits, truncate } from './measure.js';

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const { min, max } = limits(config);
  const unit = config.limit_mode === 'token' ? 'tokens' : 'characters';
  const shown = (chars: number) =>
    config.limit_mode === 'token' ? Math.ceil(chars / config.chars_per_token) : chars;
  return {
    name: init.name,
    hooks: {
      tool_post_invoke(payload: ToolPostInvokePayload): PluginResult<never> {
        let violation: PluginViolation | undefined;
        let truncated = 0;
        let walked: { value: unknown; changed: boolean };
        try {
          walked = walkStrings(
            payload.result,
            (text, path) => {
              const key = path[path.length - 1];
              // Only human-readable text: MCP block types, MIME types and URIs are left alone.
              if (key === 'type' || key === 'mimeType' || key === 'uri' || violation) return undefined;
              if (text.length > config.max_text_length) {
                violation = tooLong(
                  'text exceeds max_text_length',
                  text.length,
                  config.max_text_length,
                  'characters',
                );
                return undefined;
              }
              const n = charCount(text);
              if (max !== null && n > max) {
                if (config.strategy === 'block') {
                  violation = tooLong('output too long', shown(n), shown(max), unit);
                  return undefined;
                }
                truncated++;
                return truncate(text, max, config);
              }
              if (min > 0 && n < min && config.strategy === 'block') {
                violation = {
                  reason: 'Output too short',
                  description: `a text of ${shown(n)} ${unit} is under the minimum of ${shown(min)}`,
                  code: 'OUTPUT_TOO_SHORT',
                  details: { length: shown(n), min: shown(min), unit },
                };
              }
              return undefined;
            },
            { maxDepth: config.max_recursion_depth, maxCollectionItems: config.max_structure_size },
          );
        } catch (error) {
          return { continueProcessing: false, violation: tooLong((error as Error).message, 0, 0, 'items') };
        }
        if (violation) return { continueProcessing: false, violation };
        if (!walked.changed) return {};
        return {
          modifiedPayload: { ...payload, result: walked.value } as never,
          metadata: { output_length_guard: { truncated, limit: shown(max ?? 0), unit } },
        };
      },
    },
  };
}

function tooLong(description: string, length: number, limit: number, unit: string): PluginViolation {
  return {
    reason: 'Output too long',
    description: length > 0 ? `${description}: ${length} ${unit}, limit ${limit}` : description,
    code: 'OUTPUT_TOO_LONG',
    details: { length, limit, unit },
  };
}
