/** `config` of the output length guard (ContextForge's OutputLengthGuardPlugin field names). */
import { z } from 'zod';

const optionalLimit = z.number().int().min(0).nullable();

/** The plugin's configuration. */
export const configSchema = z
  .object({
    min_chars: z.number().int().min(0).default(0),
    /** Maximum characters per text; 0 or null disables. */
    max_chars: optionalLimit.default(15000),
    min_tokens: z.number().int().min(0).default(0),
    max_tokens: optionalLimit.default(null),
    /** Characters per token for the token estimate. */
    chars_per_token: z.number().min(1).max(10).default(4),
    /** Enforce characters or (estimated) tokens. */
    limit_mode: z.enum(['character', 'token']).default('character'),
    /** `truncate` long texts, or `block` the result. */
    strategy: z.enum(['truncate', 'block']).default('truncate'),
    ellipsis: z.string().default('…'),
    /** Cut at the last whitespace before the limit instead of mid-word. */
    word_boundary: z.boolean().default(false),
    /** Texts longer than this are refused outright (protects the guard itself). */
    max_text_length: z.number().int().positive().default(1_000_000),
    /** Most items in one array or object. */
    max_structure_size: z.number().int().positive().default(10_000),
    max_recursion_depth: z.number().int().positive().default(100),
  })
  .strict();

/** Validated configuration. */
export type OutputLengthGuardConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
