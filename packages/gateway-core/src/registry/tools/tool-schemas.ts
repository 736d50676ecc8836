import { z } from 'zod';
import { authInputFields } from '../auth/auth-settings.js';
import { commonInputFields, commonOutputSchema } from '../common/common-fields.js';

/** Where a tool's calls go: an upstream MCP server, or a REST endpoint. */
export const integrationTypeSchema = z.enum(['MCP', 'REST']);
/** REST methods, and MCP transports for MCP tools. */
export const requestTypeSchema = z.enum([
  'GET',
  'POST',
  'PUT',
  'DELETE',
  'PATCH',
  'SSE',
  'STREAMABLEHTTP',
  'STDIO',
]);
const REST_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

/** A JSON Schema whose `type` is `object`, as MCP requires for input and output schemas. */
export const objectJsonSchema = z.record(z.string(), z.unknown()).refine((s) => s.type === 'object', {
  message: 'must be a JSON Schema object with "type": "object" (MCP requires it)',
});

/** MCP tool annotations: the known hints are type-checked; other keys pass through (MCP keeps adding hints). */
export const annotationsSchema = z
  .object({
    title: z.string().max(255).optional(),
    readOnlyHint: z.boolean().optional(),
    destructiveHint: z.boolean().optional(),
    idempotentHint: z.boolean().optional(),
    openWorldHint: z.boolean().optional(),
  })
  .catchall(z.unknown());

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2048)
  .refine((u) => !new URL(u).username && !new URL(u).password, {
    message: 'must not contain credentials (use the auth_* fields, which are stored encrypted)',
  });

/** Static request headers (not secrets: credentials belong in the auth fields). */
export const headersSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, 'must be an HTTP header name'),
    z
      .string()
      .max(8192)
      .regex(/^[^\r\n]*$/, 'must not contain line breaks'),
  )
  .refine((h) => Object.keys(h).length <= 64, { message: 'at most 64 headers' });

const toolFields = {
  title: z.string().max(255).nullable().optional(),
  integration_type: integrationTypeSchema.optional(),
  request_type: requestTypeSchema.optional(),
  url: httpUrl.nullable().optional(),
  headers: headersSchema.optional(),
  input_schema: objectJsonSchema.optional(),
  output_schema: objectJsonSchema.nullable().optional(),
  annotations: annotationsSchema.optional(),
  jsonpath_filter: z.string().max(1024).nullable().optional(),
  gateway_id: z.string().max(36).nullable().optional(),
  ...authInputFields,
  ...commonInputFields,
};

/** Body of `POST /v1/tools`. `name` becomes the tool's custom name (prefixed when it has a gateway). */
export const toolCreateSchema = z
  .object({ name: z.string().min(1).max(128), ...toolFields })
  .strict()
  .superRefine(checkRequestType);

/** Body of `PUT /v1/tools/{id}`: any subset; `name` and `custom_name` both rename the tool. */
export const toolUpdateSchema = z
  .object({
    name: z.string().min(1).max(128).optional(),
    custom_name: z.string().min(1).max(128).optional(),
    ...toolFields,
  })
  .strict()
  .superRefine(checkRequestType);

/** Parsed create body. */
export type ToolCreate = z.output<typeof toolCreateSchema>;
/** Parsed update body. */
export type ToolUpdate = z.output<typeof toolUpdateSchema>;

function checkRequestType(
  value: { integration_type?: string | undefined; request_type?: string | undefined },
  ctx: z.RefinementCtx,
) {
  if (!value.integration_type || !value.request_type) return;
  const rest = REST_METHODS.has(value.request_type);
  if ((value.integration_type === 'REST') !== rest) {
    ctx.addIssue({
      code: 'custom',
      path: ['request_type'],
      message: `request_type ${value.request_type} does not fit integration_type ${value.integration_type} (REST: GET|POST|PUT|DELETE|PATCH; MCP: SSE|STREAMABLEHTTP|STDIO)`,
    });
  }
}

/** True for REST methods. */
export function isRestMethod(requestType: string): boolean {
  return REST_METHODS.has(requestType);
}

/** A tool as the API returns it. */
export const toolOutputSchema = z.object({
  ...commonOutputSchema,
  name: z.string(),
  original_name: z.string(),
  custom_name: z.string(),
  title: z.string().nullable(),
  integration_type: integrationTypeSchema,
  request_type: requestTypeSchema,
  url: z.string().nullable(),
  headers: z.record(z.string(), z.string()),
  input_schema: z.record(z.string(), z.unknown()),
  output_schema: z.record(z.string(), z.unknown()).nullable(),
  annotations: z.record(z.string(), z.unknown()),
  jsonpath_filter: z.string().nullable(),
  auth_type: z.string(),
  gateway_id: z.string().nullable(),
});

/** A tool as the API returns it (auth secrets masked). */
export type ToolOutput = z.output<typeof toolOutputSchema> & Record<string, unknown>;
