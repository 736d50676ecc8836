/**
 * Execution modes and error policies (CPEX semantics).
 *
 * | mode            | may block | may modify | runs                      |
 * |-----------------|-----------|------------|---------------------------|
 * | sequential      | yes       | yes        | serially, chained         |
 * | transform       | no        | yes        | serially, chained         |
 * | audit           | no        | no         | serially                  |
 * | concurrent      | yes       | no         | in parallel, fail-fast    |
 * | fire_and_forget | no        | no         | in the background, last   |
 * | disabled        | —         | —          | never                     |
 */
export const PLUGIN_MODES = [
  'sequential',
  'transform',
  'audit',
  'concurrent',
  'fire_and_forget',
  'disabled',
] as const;

/** A plugin execution mode. */
export type PluginMode = (typeof PLUGIN_MODES)[number];

/** Legacy mode names still accepted in YAML, and what they mean today. */
export const LEGACY_MODES: Readonly<Record<string, { mode: PluginMode; onError?: OnError }>> = {
  enforce: { mode: 'sequential' },
  enforce_ignore_error: { mode: 'sequential', onError: 'ignore' },
  permissive: { mode: 'transform' },
};

/** What happens when a plugin throws or times out. */
export const ON_ERROR_POLICIES = ['fail', 'ignore', 'disable'] as const;

/** `fail`: the request fails; `ignore`: log and continue; `disable`: log, disable the plugin, continue. */
export type OnError = (typeof ON_ERROR_POLICIES)[number];

/** Phase order of modes within one hook call (lower runs first). */
export const MODE_PHASE: Readonly<Record<PluginMode, number>> = {
  sequential: 0,
  transform: 1,
  audit: 2,
  concurrent: 3,
  fire_and_forget: 4,
  disabled: 5,
};

/** Whether `value` is a current mode name. */
export function isPluginMode(value: unknown): value is PluginMode {
  return typeof value === 'string' && (PLUGIN_MODES as readonly string[]).includes(value);
}
