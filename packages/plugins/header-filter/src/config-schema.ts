/** `config` of the header filter. */
import { z } from 'zod';

/** Headers stripped from upstream-bound requests unless configured otherwise. */
export const DEFAULT_STRIPPED = [
  'authorization',
  'cookie',
  'proxy-authorization',
  'x-api-key',
  'x-auth-token',
  'x-csrf-token',
];

const headerName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[!#$%&'*+.^_`|~0-9a-z-]+$/, 'must be an HTTP header name');

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Header names removed (case-insensitive). */
    strip_headers: z.array(headerName).default(DEFAULT_STRIPPED),
    /** Regular expressions on header names; matching headers are removed too. */
    strip_patterns: z
      .array(z.string().min(1))
      .default([])
      .superRefine((list, ctx) =>
        list.forEach((p, i) => {
          try {
            new RegExp(p, 'i');
          } catch (error) {
            ctx.addIssue({
              code: 'custom',
              path: [i],
              message: `invalid regular expression: ${(error as Error).message}`,
            });
          }
        }),
      ),
    /** Header names never removed, whatever the other rules say. */
    allow_headers: z.array(headerName).default([]),
    /**
     * Incoming (`http_pre_request`) headers removed before authentication, e.g. identity headers a
     * client could spoof (`x-forwarded-user`). Empty by default.
     */
    strip_incoming: z.array(headerName).default([]),
  })
  .strict();

/** Validated configuration. */
export type HeaderFilterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
