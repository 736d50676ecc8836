/**
 * The secrets detection plugin: scans the text of a payload natively; blocks when at least
 * `min_findings_to_block` credentials are found (default), else redacts them (`redact: true`) or
 * only reports them in metadata.
 */
import {
  type HookHandlers,
  type Plugin,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema, enabledKinds, type SecretsDetectionConfig } from './config-schema.js';
import { type FieldFilter, fieldFilter } from './field-filter.js';
import { SecretsScanner } from './secrets-scanner.js';

/** Hooks and the payload fields they scan. */
export const SCANNED_FIELDS = {
  prompt_pre_fetch: ['args'],
  tool_pre_invoke: ['args'],
  tool_post_invoke: ['result'],
  resource_post_fetch: ['content'],
} as const;

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const scanner = new SecretsScanner(enabledKinds(config));
  const filter = fieldFilter(config.field_allowlist, config.field_denylist);
  const hooks: HookHandlers = {};
  for (const [hook, fields] of Object.entries(SCANNED_FIELDS)) {
    (hooks as Record<string, unknown>)[hook] = (payload: Record<string, unknown>) =>
      detect(payload, fields, config, scanner, filter);
  }
  return { name: init.name, hooks, shutdown: () => scanner.release() };
}

function detect(
  payload: Record<string, unknown>,
  fields: readonly string[],
  config: SecretsDetectionConfig,
  scanner: SecretsScanner,
  filter: FieldFilter | undefined,
): PluginResult<never> {
  const texts: string[] = [];
  const opts = { maxDepth: config.max_nested_depth };
  for (const field of fields) {
    walkStrings(
      payload[field],
      (s, path) => {
        if (!filter || filter(path)) texts.push(s);
        return undefined;
      },
      opts,
    );
  }
  const redaction = config.redact ? config.redaction_text : null;
  const found = scanner.scanAll(texts, redaction);
  if (!found) return {};
  const types = Object.keys(found.counts);
  const metadata = { secrets_detection: { count: found.total, types: found.counts } };
  if (config.block_on_detection && found.total >= config.min_findings_to_block) {
    return {
      continueProcessing: false,
      violation: {
        reason: 'Secrets detected',
        description: `${found.total} potential secret(s) found (${types.join(', ')})`,
        code: 'SECRETS_DETECTED',
        details: { count: found.total, types },
      },
      metadata,
    };
  }
  if (!found.texts) return { metadata };
  const redacted = found.texts;
  let index = 0;
  const modified: Record<string, unknown> = { ...payload };
  for (const field of fields) {
    if (!(field in payload)) continue;
    modified[field] = walkStrings(
      payload[field],
      (s, path) => (!filter || filter(path) ? redacted[index++] : s),
      opts,
    ).value;
  }
  return { modifiedPayload: modified as never, metadata };
}
