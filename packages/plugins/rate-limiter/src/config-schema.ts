/**
 * `config` of the rate limiter, field-compatible with ContextForge's RateLimiterPlugin
 * (`by_user`, `by_tenant`, `by_tool`, `backend`, `redis_url`, `redis_key_prefix`, `redis_fallback`,
 * `algorithm`).
 */
import { z } from 'zod';
import { parseRate, RATE_HINT } from './rate.js';

const rate = z.string().refine((s) => parseRate(s) !== undefined, { message: RATE_HINT });

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Per user (the authenticated user; anonymous callers share one bucket). */
    by_user: rate.nullable().default('60/m'),
    /** Per tenant (callers without a tenant are not limited by it). */
    by_tenant: rate.nullable().default('600/m'),
    /** Per tool name, counted per user. */
    by_tool: z.record(z.string().min(1), rate).default({}),
    algorithm: z.enum(['fixed_window', 'sliding_window']).default('fixed_window'),
    backend: z.enum(['memory', 'redis']).default('memory'),
    redis_url: z.string().default('redis://localhost:6379/0'),
    redis_key_prefix: z.string().min(1).default('rl'),
    /** Keep limiting in memory when Redis is unreachable (otherwise the call fails). */
    redis_fallback: z.boolean().default(true),
  })
  .strict();

/** Validated configuration. */
export type RateLimiterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
