/**
 * `config` of the resource filter (ContextForge's ResourceFilterPlugin: `max_content_size`,
 * `allowed_protocols`, `blocked_domains`, `content_filters`), plus `allowed_domains`.
 */
import { z } from 'zod';

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*$/,
    'must be a host name such as example.com (optionally *.example.com)',
  );

/** One redaction rule applied to text contents. */
export const contentFilterSchema = z
  .object({
    pattern: z.string().min(1),
    replacement: z.string().default('[REDACTED]'),
    ignore_case: z.boolean().default(true),
  })
  .strict()
  .superRefine((f, ctx) => {
    try {
      new RegExp(f.pattern, 'gu');
    } catch (error) {
      ctx.addIssue({
        code: 'custom',
        path: ['pattern'],
        message: `invalid regular expression: ${(error as Error).message}`,
      });
    }
  });

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Largest accepted content in bytes (text as UTF-8, blobs decoded); 0 disables. */
    max_content_size: z
      .number()
      .int()
      .min(0)
      .default(1024 * 1024),
    /** URI schemes that may be read (`https`, `file`, …); empty allows all. */
    allowed_protocols: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme'),
      )
      .default(['http', 'https']),
    /** When set, only these hosts (and their subdomains) may be read. */
    allowed_domains: z.array(domain).default([]),
    /** Hosts (and their subdomains) that may never be read. */
    blocked_domains: z.array(domain).default([]),
    /** Redactions applied to text contents after the read. */
    content_filters: z.array(contentFilterSchema).default([]),
  })
  .strict();

/** Validated configuration. */
export type ResourceFilterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
