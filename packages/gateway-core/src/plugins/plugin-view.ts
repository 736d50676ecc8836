import type { HookCounters, PluginInfo } from '@contextforge/plugin-framework';
import { z } from 'zod';

const counters = {
  calls: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  violations: z.number(),
  suppressed_violations: z.number(),
  modifications: z.number(),
  skipped: z.number(),
  total_ms: z.number(),
  max_ms: z.number(),
};

/** One plugin as `GET /v1/plugins` shows it (snake_case, ContextForge's field names where it has them). */
export const pluginViewSchema = z.object({
  name: z.string(),
  kind: z.string(),
  description: z.string().optional(),
  author: z.string().optional(),
  version: z.string().optional(),
  tags: z.array(z.string()),
  hooks: z.array(z.string()),
  mode: z.string().describe('mode in force now'),
  configured_mode: z.string().describe('mode written in the YAML file'),
  mode_overridden: z.boolean().describe('a runtime mode switch (PUT /v1/plugins/{name}) is in force'),
  status: z.enum(['enabled', 'disabled']),
  on_error: z.string(),
  priority: z.number(),
  timeout: z.number().describe('seconds one hook call may take'),
  conditions: z.array(z.record(z.string(), z.unknown())),
  external: z.boolean(),
  loaded: z.boolean().describe('instantiated (a plugin configured disabled is created when first enabled)'),
  disabled_reason: z.string().optional().describe('why on_error: disable switched it off'),
  stats: z.object({
    ...counters,
    mean_ms: z.number(),
    p50_ms: z.number(),
    p95_ms: z.number(),
    last_error: z.object({ message: z.string(), at: z.string(), hook: z.string() }).optional(),
    by_hook: z.record(z.string(), z.object(counters)),
  }),
});

/** The REST shape of a plugin. */
export type PluginView = z.output<typeof pluginViewSchema>;

const snakeCounters = (c: HookCounters) => ({
  calls: c.calls,
  errors: c.errors,
  timeouts: c.timeouts,
  violations: c.violations,
  suppressed_violations: c.suppressedViolations,
  modifications: c.modifications,
  skipped: c.skipped,
  total_ms: c.totalMs,
  max_ms: c.maxMs,
});

/** The REST view of a plugin manager's {@link PluginInfo}. */
export function pluginView(p: PluginInfo): PluginView {
  const s = p.stats;
  return {
    name: p.name,
    kind: p.kind,
    ...(p.description !== undefined ? { description: p.description } : {}),
    ...(p.author !== undefined ? { author: p.author } : {}),
    ...(p.version !== undefined ? { version: p.version } : {}),
    tags: p.tags,
    hooks: p.hooks,
    mode: p.mode,
    configured_mode: p.configuredMode,
    mode_overridden: p.modeOverridden,
    status: p.mode === 'disabled' ? 'disabled' : 'enabled',
    on_error: p.onError,
    priority: p.priority,
    timeout: p.timeoutMs / 1000,
    conditions: p.conditions,
    external: p.external,
    loaded: p.loaded,
    ...(p.disabledReason !== undefined ? { disabled_reason: p.disabledReason } : {}),
    stats: {
      ...snakeCounters(s),
      mean_ms: s.meanMs,
      p50_ms: s.p50Ms,
      p95_ms: s.p95Ms,
      ...(s.lastError ? { last_error: { ...s.lastError } } : {}),
      by_hook: Object.fromEntries(
        Object.entries(s.byHook).map(([hook, c]) => [hook, snakeCounters(c as HookCounters)]),
      ),
    },
  };
}
