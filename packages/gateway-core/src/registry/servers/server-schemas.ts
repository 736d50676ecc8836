import { z } from 'zod';
import { commonInputFields, commonOutputSchema } from '../common/common-fields.js';
import { CUSTOM_ID_PATTERN } from '../common/ids.js';
import { TOOL_NAME_PATTERN } from '../common/naming.js';

/** A tool member: its id (or name), or `{id, alias}` to expose it under another name inside this server. */
export const serverToolRefSchema = z.union([
  z.string().min(1).max(128),
  z
    .object({
      id: z.string().min(1).max(128),
      alias: z
        .string()
        .regex(TOOL_NAME_PATTERN, 'must be a valid MCP tool name (1–128 characters from A-Z a-z 0-9 _ - .)')
        .nullable()
        .optional(),
    })
    .strict(),
]);

/** Member references: ids, or names (URIs for resources). */
const idList = z.array(z.string().min(1).max(767)).max(10_000);

const icon = z
  .string()
  .max(2048)
  .refine((v) => /^https?:\/\//.test(v) || /^data:image\/[\w.+-]+;base64,/.test(v), {
    message: 'must be an http(s) URL or a data:image/…;base64 URI',
  });

const serverFields = {
  icon: icon.nullable().optional(),
  associated_tools: z.array(serverToolRefSchema).max(10_000).optional(),
  associated_resources: idList.optional(),
  associated_prompts: idList.optional(),
  ...commonInputFields,
};

/** Body of `POST /v1/servers`; `id` may be chosen (letters, digits, `_`, `-`; up to 36 characters). */
export const serverCreateSchema = z
  .object({
    id: z.string().regex(CUSTOM_ID_PATTERN, 'must be 1–36 characters from A-Z a-z 0-9 _ -').optional(),
    name: z.string().min(1).max(255),
    ...serverFields,
  })
  .strict();

/** Body of `PUT /v1/servers/{id}`; a given association list replaces the current one. */
export const serverUpdateSchema = z
  .object({ name: z.string().min(1).max(255).optional(), ...serverFields })
  .strict();

/** Parsed create body. */
export type ServerCreate = z.output<typeof serverCreateSchema>;
/** Parsed update body. */
export type ServerUpdate = z.output<typeof serverUpdateSchema>;
/** A tool member reference. */
export type ServerToolRef = z.output<typeof serverToolRefSchema>;

/** A virtual server as the API returns it. */
export const serverOutputSchema = z.object({
  ...commonOutputSchema,
  name: z.string(),
  icon: z.string().nullable(),
  associated_tools: z.array(z.string()),
  associated_tool_aliases: z.record(z.string(), z.string()),
  associated_resources: z.array(z.string()),
  associated_prompts: z.array(z.string()),
});
/** A virtual server as the API returns it. */
export type ServerOutput = z.output<typeof serverOutputSchema>;
