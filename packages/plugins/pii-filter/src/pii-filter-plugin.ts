/**
 * The PII filter plugin: collects the text of a payload, scans it in one native call, then either
 * blocks (`block_on_detection`) or returns the payload with every finding masked.
 */
import {
  type HookHandlers,
  type Plugin,
  PluginConfigError,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
  walkStrings,
} from '@contextforge/plugin-framework';
import { configSchema, type PiiFilterConfig } from './config-schema.js';
import { SCANNED_FIELDS, type ScannedHook } from './payload-fields.js';
import { PiiScanner } from './pii-scanner.js';
import { toNativeConfig, unsupportedDetectors } from './to-native-config.js';

/**
 * Builds the plugin from its YAML entry.
 *
 * @throws PluginConfigError naming the bad `config` field; NativeBindingLoadError without the addon
 */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const unsupported = unsupportedDetectors(config);
  if (unsupported.length > 0) {
    init.logger.warn('PII filter: these ContextForge detectors are not available and are ignored', {
      flags: unsupported,
    });
  }
  const native = toNativeConfig(config);
  let scanner: PiiScanner;
  try {
    scanner = new PiiScanner(native);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    // The native side numbers enabled custom patterns; name the entry as written in the YAML.
    const message = error.message.replace(
      /custom_patterns\[(\d+)\]/,
      (_m, i: string) => `custom_patterns[${native.customIndex[Number(i)] ?? i}]`,
    );
    throw new PluginConfigError('plugin config', [`plugin "${init.name}": ${message}`], init.name);
  }
  const hooks: HookHandlers = {};
  for (const hook of Object.keys(SCANNED_FIELDS) as ScannedHook[]) {
    (hooks as Record<string, unknown>)[hook] = (payload: Record<string, unknown>) =>
      filter(hook, payload, config, scanner, init);
  }
  return { name: init.name, hooks, shutdown: () => scanner.release() };
}

function filter(
  hook: ScannedHook,
  payload: Record<string, unknown>,
  config: PiiFilterConfig,
  scanner: PiiScanner,
  init: PluginInit,
): PluginResult<never> {
  const fields = SCANNED_FIELDS[hook];
  const texts: string[] = [];
  let bytes = 0;
  const limits = { maxDepth: config.max_nested_depth, maxCollectionItems: config.max_collection_items };
  try {
    for (const field of fields) {
      walkStrings(
        payload[field],
        (s) => {
          texts.push(s);
          bytes += s.length;
          return undefined;
        },
        limits,
      );
    }
  } catch (error) {
    return oversize(config, (error as Error).message);
  }
  // `length` counts UTF-16 units: a cheap lower bound of the UTF-8 size, exact for ASCII.
  if (bytes > config.max_text_bytes)
    return oversize(config, `text exceeds max_text_bytes (${config.max_text_bytes})`);
  const mask = !config.block_on_detection;
  const found = scanner.scanAll(texts, mask);
  if (!found) return {};
  if (config.log_detections) init.logger.info('PII detected', { hook, counts: found.counts });
  const metadata = {
    pii_filter: {
      detections: found.total,
      ...(config.include_detection_details ? { counts: found.counts } : {}),
    },
  };
  if (!mask || !found.texts) {
    const types = Object.keys(found.counts);
    return {
      continueProcessing: false,
      violation: {
        reason: 'PII detected',
        description: `${found.total} item(s) of personal data found (${types.join(', ')})`,
        code: 'PII_DETECTED',
        details: config.include_detection_details ? { counts: found.counts } : { types },
      },
      metadata,
    };
  }
  const masked = found.texts;
  let index = 0;
  const modified: Record<string, unknown> = { ...payload };
  for (const field of fields) {
    if (!(field in payload)) continue;
    modified[field] = walkStrings(payload[field], () => masked[index++], limits).value;
  }
  return { modifiedPayload: modified as never, metadata };
}

function oversize(config: PiiFilterConfig, why: string): PluginResult<never> {
  if (config.oversize_action === 'pass') return { metadata: { pii_filter: { skipped: why } } };
  return {
    continueProcessing: false,
    violation: {
      reason: 'Payload too large to scan for PII',
      description: why,
      code: 'PII_SCAN_LIMIT',
    },
  };
}
