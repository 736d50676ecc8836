/** The regex filter: applies every rule to every string of the scanned payload fields. */
import {
  type HookHandlers,
  type Plugin,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema, type RegexFilterConfig } from './config-schema.js';

/** Hooks and the payload field each rewrites. */
export const REWRITTEN_FIELDS = {
  prompt_pre_fetch: 'args',
  prompt_post_fetch: 'result',
  tool_pre_invoke: 'args',
  tool_post_invoke: 'result',
} as const;

/** A function applying the rules to one string (the same string when nothing matched). */
export function compileRules(config: RegexFilterConfig): (text: string) => string {
  const rules = config.words.map((r) => ({
    re: new RegExp(r.search, r.ignore_case ? 'giu' : 'gu'),
    replace: r.replace,
  }));
  return (text) => {
    let out = text;
    for (const { re, replace } of rules) {
      re.lastIndex = 0;
      if (re.test(out)) {
        re.lastIndex = 0;
        out = out.replace(re, replace);
      }
    }
    return out;
  };
}

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const apply = compileRules(config);
  const hooks: HookHandlers = {};
  for (const [hook, field] of Object.entries(REWRITTEN_FIELDS)) {
    (hooks as Record<string, unknown>)[hook] = (payload: Record<string, unknown>): PluginResult<never> => {
      let replaced = 0;
      const { value, changed } = walkStrings(payload[field], (text) => {
        const next = apply(text);
        if (next !== text) replaced++;
        return next;
      });
      if (!changed) return {};
      return {
        modifiedPayload: { ...payload, [field]: value } as never,
        metadata: { regex_filter: { replaced } },
      };
    };
  }
  return { name: init.name, hooks };
}
