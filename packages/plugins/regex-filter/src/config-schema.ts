/** `config` of the regex filter (ContextForge's SearchReplacePlugin: `words: [{search, replace}]`). */
import { z } from 'zod';

/** One rule: every match of `search` (a JavaScript regular expression) becomes `replace`. */
export const ruleSchema = z
  .object({
    search: z.string().min(1, 'must not be empty'),
    /** Replacement text; `$1`, `$<name>` and `$&` refer to groups. */
    replace: z.string(),
    /** Match case-insensitively. */
    ignore_case: z.boolean().default(false),
  })
  .strict()
  .superRefine((rule, ctx) => {
    try {
      new RegExp(rule.search, 'gu');
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['search'],
        message: `invalid regular expression: ${(error as Error).message}`,
      });
    }
  });

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Rules, applied in order (the output of one feeds the next). */
    words: z.array(ruleSchema).min(1, 'needs at least one rule'),
  })
  .strict();

/** Validated configuration. */
export type RegexFilterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
