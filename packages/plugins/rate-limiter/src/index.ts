/**
 * @contextforge/plugin-rate-limiter — per user / tenant / tool rate limits, in memory or Redis.
 *
 * YAML: `kind: "@contextforge/plugin-rate-limiter"` (or `cpex_rate_limiter.RateLimiterPlugin`).
 */
import type { PluginManifest } from '@contextforge/plugin-framework';
import { configSchema } from './config-schema.js';

export { configJsonSchema, configSchema, type RateLimiterConfig } from './config-schema.js';
export { MemoryRateStore } from './memory-store.js';
export { parseRate, type Rate } from './rate.js';
export { createPlugin, userId } from './rate-limiter-plugin.js';
export type { HitResult, RateStore } from './rate-store.js';
export { RedisRateStore } from './redis-store.js';
export { PACKAGE_NAME, VERSION } from './version.js';

/** The rate limiter's manifest. */
export const manifest: PluginManifest = {
  name: '@contextforge/plugin-rate-limiter',
  description:
    'Rate limits tool calls and prompt fetches per user, tenant and tool, in memory or through Redis',
  availableHooks: ['tool_pre_invoke', 'prompt_pre_fetch'],
  defaultConfig: configSchema.parse({}),
  tags: ['limits', 'throttle'],
};
