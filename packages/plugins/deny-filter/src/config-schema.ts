/** `config` of the deny filter (ContextForge's DenyListPlugin: `words`). */
import { z } from 'zod';

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Words or phrases that block the request when found. */
    words: z.array(z.string().min(1, 'must not be empty')).min(1, 'needs at least one word'),
    /** Match case-sensitively (default false: "Secret" matches "secret"). */
    case_sensitive: z.boolean().default(false),
    /** Match whole words only (default false: substring match, as ContextForge does). */
    whole_words: z.boolean().default(false),
  })
  .strict();

/** Validated configuration. */
export type DenyFilterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
