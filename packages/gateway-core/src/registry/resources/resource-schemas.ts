import { z } from 'zod';
import { commonInputFields, commonOutputSchema } from '../common/common-fields.js';

/** A URI with a scheme, no whitespace, at most 767 characters (the indexable length on every backend). */
export const resourceUriSchema = z
  .string()
  .max(767)
  .regex(
    /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
    'must be a URI with a scheme (e.g. file:///notes.txt, https://…) and no spaces',
  );

/** An RFC 6570 URI template: a URI whose `{…}` expressions are balanced and well-formed. */
export const uriTemplateSchema = resourceUriSchema.refine(
  (t) =>
    /\{[+#./;?&]?[A-Za-z0-9_.%,*:]+\}/.test(t) &&
    t.replace(/\{[+#./;?&]?[A-Za-z0-9_.%,*:]+\}/g, '').search(/[{}]/) === -1,
  { message: 'must be an RFC 6570 URI template with at least one {variable} and balanced braces' },
);

const mimeType = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/, 'must be a MIME type such as text/plain');

const resourceFields = {
  name: z.string().min(1).max(255),
  title: z.string().max(255).nullable().optional(),
  mime_type: mimeType.nullable().optional(),
  /** Text content. */
  content: z.string().optional(),
  /** Binary content, base64. */
  blob: z.base64().optional(),
  gateway_id: z.string().max(36).nullable().optional(),
  ...commonInputFields,
};

/** Body of `POST /v1/resources`: exactly one of `uri` and `uri_template`; at most one of `content` and `blob`. */
export const resourceCreateSchema = z
  .object({
    uri: resourceUriSchema.optional(),
    uri_template: uriTemplateSchema.optional(),
    ...resourceFields,
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.uri === undefined) === (v.uri_template === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['uri'], message: 'give exactly one of uri and uri_template' });
    }
    checkContent(v, ctx, v.uri_template !== undefined);
  });

/** Body of `PUT /v1/resources/{id}` (any subset; the URI of a template stays a template). */
export const resourceUpdateSchema = z
  .object({
    uri: resourceUriSchema.optional(),
    uri_template: uriTemplateSchema.optional(),
    ...resourceFields,
    name: resourceFields.name.optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.uri !== undefined && v.uri_template !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['uri'], message: 'give at most one of uri and uri_template' });
    }
    checkContent(v, ctx, false);
  });

function checkContent(
  v: { content?: string | undefined; blob?: string | undefined },
  ctx: z.RefinementCtx,
  template: boolean,
) {
  if (v.content !== undefined && v.blob !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['blob'], message: 'give at most one of content and blob' });
  }
  if (template && (v.content !== undefined || v.blob !== undefined)) {
    ctx.addIssue({
      code: 'custom',
      path: ['content'],
      message: 'a resource template has no content of its own',
    });
  }
}

/** Parsed create body. */
export type ResourceCreate = z.output<typeof resourceCreateSchema>;
/** Parsed update body. */
export type ResourceUpdate = z.output<typeof resourceUpdateSchema>;

/** A resource's metadata as the API returns it. */
export const resourceOutputSchema = z.object({
  ...commonOutputSchema,
  uri: z.string(),
  uri_template: z.string().nullable(),
  name: z.string(),
  title: z.string().nullable(),
  mime_type: z.string().nullable(),
  size: z.number().int().nullable(),
  gateway_id: z.string().nullable(),
});
/** A resource's metadata. */
export type ResourceOutput = z.output<typeof resourceOutputSchema>;

/** MCP-style resource contents: text or base64 blob. */
export const resourceContentSchema = z.object({
  uri: z.string(),
  mime_type: z.string().nullable(),
  text: z.string().optional(),
  blob: z.string().optional(),
});

/** `GET /v1/resources/{id}`: metadata plus content (null for templates and content-less resources). */
export const resourceWithContentSchema = resourceOutputSchema.extend({
  content: resourceContentSchema.nullable(),
});
