/** Which part of each hook's payload holds user or upstream text. */
import type { HookName } from '@contextforge/plugin-framework';

/** Hooks the PII filter implements and the payload fields it scans. */
export const SCANNED_FIELDS = {
  tool_pre_invoke: ['args'],
  tool_post_invoke: ['result'],
  prompt_pre_fetch: ['args'],
  prompt_post_fetch: ['result'],
  resource_post_fetch: ['content'],
  agent_pre_invoke: ['messages', 'system_prompt'],
  agent_post_invoke: ['messages'],
} as const satisfies Partial<Record<HookName, readonly string[]>>;

/** A hook the filter implements. */
export type ScannedHook = keyof typeof SCANNED_FIELDS;
