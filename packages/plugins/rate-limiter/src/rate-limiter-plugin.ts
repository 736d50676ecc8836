/**
 * The rate limiter: counts each tool call / prompt fetch against the caller's user, tenant and
 * per-tool limits and blocks with a 429-style violation (Retry-After) when one is exceeded.
 */
import {
  type GlobalContext,
  type Plugin,
  type PluginContext,
  type PluginInit,
  type PluginResult,
  parsePluginConfig,
} from '@contextforge/plugin-framework';
import { configSchema, type RateLimiterConfig } from './config-schema.js';
import { MemoryRateStore } from './memory-store.js';
import { parseRate, type Rate } from './rate.js';
import type { HitResult } from './rate-store.js';
import { RedisRateStore } from './redis-store.js';

/** The caller's id for user buckets (`anonymous` when unauthenticated). */
export function userId(context: GlobalContext): string {
  const user = context.user;
  if (typeof user === 'string' && user) return user;
  if (user && typeof user === 'object') {
    const id = user.email ?? user.id ?? user.sub;
    if (typeof id === 'string' && id) return id;
  }
  return 'anonymous';
}

/** Builds the plugin from its YAML entry. */
export function createPlugin(init: PluginInit): Plugin {
  const config = parsePluginConfig(configSchema, init.config, init.name);
  const rates = {
    user: config.by_user ? parseRate(config.by_user) : undefined,
    tenant: config.by_tenant ? parseRate(config.by_tenant) : undefined,
    tools: new Map(Object.entries(config.by_tool).map(([tool, r]) => [tool, parseRate(r) as Rate])),
  };
  const memory = new MemoryRateStore();
  let redis: RedisRateStore | undefined;
  let redisDown = false;

  const hit = async (key: string, rate: Rate): Promise<HitResult> => {
    if (redis && !redisDown) {
      try {
        return await redis.hit(key, rate.limit, rate.windowMs, config.algorithm);
      } catch (error) {
        if (!config.redis_fallback)
          throw new Error(`rate limiter: Redis unavailable: ${(error as Error).message}`);
        redisDown = true;
        init.logger.warn('rate limiter: Redis unavailable, limiting in memory', {
          error: (error as Error).message,
        });
        // Retry Redis on a later call.
        setTimeout(() => {
          redisDown = false;
        }, 5000).unref();
      }
    }
    return memory.hitSync(key, rate.limit, rate.windowMs, config.algorithm);
  };

  const check = async (tool: string | undefined, context: PluginContext): Promise<PluginResult<never>> => {
    const user = userId(context.globalContext);
    const scopes: [string, string, Rate | undefined][] = [
      ['user', `user:${user}`, rates.user],
      [
        'tenant',
        `tenant:${context.globalContext.tenantId}`,
        context.globalContext.tenantId ? rates.tenant : undefined,
      ],
      ['tool', `tool:${tool}:user:${user}`, tool ? rates.tools.get(tool) : undefined],
    ];
    for (const [scope, key, rate] of scopes) {
      if (!rate) continue;
      const result = await hit(key, rate);
      if (!result.allowed) return exceeded(scope, rate, result, tool);
    }
    return {};
  };

  return {
    name: init.name,
    hooks: {
      tool_pre_invoke: (payload, context) => check(payload.name, context),
      prompt_pre_fetch: (_payload, context) => check(undefined, context),
    },
    async initialize() {
      if (config.backend !== 'redis') return;
      redis = new RedisRateStore(config.redis_url, config.redis_key_prefix);
      try {
        await redis.connect();
      } catch (error) {
        if (!config.redis_fallback) {
          await redis.close();
          throw new Error(`cannot reach Redis for the rate limiter: ${(error as Error).message}`);
        }
        redisDown = true;
        init.logger.warn('rate limiter: Redis unavailable at start, limiting in memory', {
          error: (error as Error).message,
        });
      }
    },
    async shutdown() {
      await redis?.close();
      await memory.close();
    },
  };
}

function exceeded(
  scope: string,
  rate: Rate,
  result: HitResult,
  tool: string | undefined,
): PluginResult<never> {
  const retry = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
  const subject = scope === 'tool' ? `tool "${tool}"` : scope;
  return {
    continueProcessing: false,
    violation: {
      reason: 'Rate limit exceeded',
      description: `${subject} limit of ${rate.text} exceeded; retry in ${retry} s`,
      code: 'RATE_LIMIT_EXCEEDED',
      httpStatusCode: 429,
      httpHeaders: {
        'Retry-After': String(retry),
        'X-RateLimit-Limit': String(rate.limit),
        'X-RateLimit-Remaining': '0',
        'X-RateLimit-Reset': String(retry),
      },
      details: { scope, limit: rate.limit, window_seconds: rate.windowMs / 1000, retry_after_seconds: retry },
    },
  };
}

export type { RateLimiterConfig };
