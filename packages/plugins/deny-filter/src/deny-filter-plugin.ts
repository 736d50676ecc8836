/**
 * The deny filter: one compiled regular expression of every word; any match in the arguments of a
 * prompt, tool call or agent call blocks the request and names the argument (not the text).
 */
import {
  type HookHandlers,
  type Plugin,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema, type DenyFilterConfig } from './config-schema.js';

/** Hooks, the payload field each scans, and what is refused. */
export const SCANNED = {
  prompt_pre_fetch: { field: 'args', subject: 'Prompt' },
  tool_pre_invoke: { field: 'args', subject: 'Tool call' },
  agent_pre_invoke: { field: 'messages', subject: 'Agent call' },
} as const;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One regular expression matching any deny-listed word. */
export function compileDenyList(config: DenyFilterConfig): RegExp {
  const alternatives = [...config.words]
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|');
  const body = config.whole_words
    ? `(?<![\\p{L}\\p{N}_])(?:${alternatives})(?![\\p{L}\\p{N}_])`
    : alternatives;
  return new RegExp(body, config.case_sensitive ? 'u' : 'iu');
}

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const deny = compileDenyList(config);
  const hooks: HookHandlers = {};
  for (const [hook, { field, subject }] of Object.entries(SCANNED)) {
    (hooks as Record<string, unknown>)[hook] = (payload: Record<string, unknown>): PluginResult<never> => {
      let where: string | undefined;
      walkStrings(payload[field], (text, path) => {
        if (where === undefined && deny.test(text)) where = path.length > 0 ? path.join('.') : field;
        return undefined;
      });
      if (where === undefined) return {};
      init.logger.warn('deny-listed word found', { hook, argument: where });
      return {
        continueProcessing: false,
        violation: {
          reason: `${subject} not allowed`,
          description: `A deny-listed word was found in ${field === 'args' ? 'argument' : 'field'} "${where}"`,
          code: 'deny',
          details: { argument: where },
        },
      };
    };
  }
  return { name: init.name, hooks };
}
