/**
 * The header filter: removes configured headers from what the gateway forwards upstream
 * (`tool_pre_invoke` / `agent_pre_invoke` pass-through headers) and, optionally, spoofable
 * identity headers from incoming requests before authentication (`http_pre_request`).
 */
import {
  type HeaderMap,
  type HookHandlers,
  type Plugin,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
} from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';

/** A predicate over lower-cased header names. */
type NameFilter = (name: string) => boolean;

/** `headers` without the ones `strip` selects, or `undefined` when nothing was removed. */
export function stripHeaders(
  headers: HeaderMap | undefined,
  strip: NameFilter,
): { headers: HeaderMap; removed: string[] } | undefined {
  if (!headers) return undefined;
  const removed: string[] = [];
  const kept: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (strip(name.toLowerCase())) removed.push(name.toLowerCase());
    else kept[name] = value;
  }
  return removed.length > 0 ? { headers: kept, removed } : undefined;
}

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const allow = new Set(config.allow_headers);
  const names = new Set(config.strip_headers);
  const patterns = config.strip_patterns.map((p) => new RegExp(p, 'i'));
  const outgoing: NameFilter = (n) => !allow.has(n) && (names.has(n) || patterns.some((re) => re.test(n)));
  const incomingNames = new Set(config.strip_incoming);
  const incoming: NameFilter = (n) => !allow.has(n) && incomingNames.has(n);

  const forwarded = <P extends { headers?: HeaderMap }>(payload: P): PluginResult<never> => {
    const result = stripHeaders(payload.headers, outgoing);
    if (!result) return {};
    return {
      modifiedPayload: { ...payload, headers: result.headers } as never,
      metadata: { header_filter: { removed: result.removed } },
    };
  };
  const hooks: HookHandlers = {
    tool_pre_invoke: forwarded,
    agent_pre_invoke: forwarded,
  };
  if (incomingNames.size > 0) {
    hooks.http_pre_request = (payload) => {
      const result = stripHeaders(payload.headers, incoming);
      return result
        ? { modifiedPayload: result.headers, metadata: { header_filter: { removed: result.removed } } }
        : {};
    };
  }
  return { name: init.name, hooks };
}
