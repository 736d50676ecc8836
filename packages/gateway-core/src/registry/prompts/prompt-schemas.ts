import { z } from 'zod';
import { commonInputFields, commonOutputSchema } from '../common/common-fields.js';

/** A declared argument: an identifier, a description, and whether it is required. */
export const promptArgumentSchema = z
  .object({
    name: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, 'must be an identifier (letters, digits, _; 1–64 characters)'),
    description: z.string().max(1024).nullable().optional(),
    required: z.boolean().default(false),
  })
  .strict();

const argumentsSchema = z
  .array(promptArgumentSchema)
  .max(64)
  .refine((args) => new Set(args.map((a) => a.name)).size === args.length, {
    message: 'argument names must be unique',
  });

const promptFields = {
  title: z.string().max(255).nullable().optional(),
  template: z.string(),
  arguments: argumentsSchema.optional(),
  gateway_id: z.string().max(36).nullable().optional(),
  ...commonInputFields,
};

/** Body of `POST /v1/prompts`. Arguments are derived from the template when not declared. */
export const promptCreateSchema = z.object({ name: z.string().min(1).max(128), ...promptFields }).strict();

/** Body of `PUT /v1/prompts/{id}` (any subset). */
export const promptUpdateSchema = z
  .object({
    name: z.string().min(1).max(128).optional(),
    custom_name: z.string().min(1).max(128).optional(),
    ...promptFields,
    template: z.string().optional(),
  })
  .strict();

/** Body of `POST /v1/prompts/{id}`: argument values by name. */
export const promptRenderSchema = z.record(z.string(), z.string().max(1024 * 1024));

/** Parsed create body. */
export type PromptCreate = z.output<typeof promptCreateSchema>;
/** Parsed update body. */
export type PromptUpdate = z.output<typeof promptUpdateSchema>;

/** A prompt as the API returns it. */
export const promptOutputSchema = z.object({
  ...commonOutputSchema,
  name: z.string(),
  original_name: z.string(),
  custom_name: z.string(),
  title: z.string().nullable(),
  template: z.string(),
  arguments: z.array(promptArgumentSchema),
  gateway_id: z.string().nullable(),
});
/** A prompt as the API returns it. */
export type PromptOutput = z.output<typeof promptOutputSchema>;

/** The MCP `GetPromptResult` a render returns. */
export const promptResultSchema = z.object({
  description: z.string().nullable(),
  messages: z.array(
    z.object({ role: z.literal('user'), content: z.object({ type: z.literal('text'), text: z.string() }) }),
  ),
});
/** A rendered prompt. */
export type PromptResult = z.output<typeof promptResultSchema>;
