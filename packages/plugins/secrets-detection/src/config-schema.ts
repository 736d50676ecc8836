/**
 * `config` block of the secrets detector, field-compatible with ContextForge's
 * SecretsDetectionPlugin (`enabled`, `redact`, `redaction_text`, `block_on_detection`,
 * `min_findings_to_block`, `field_allowlist`, `field_denylist`).
 */
import { z } from 'zod';

/** Kind names and whether each is on by default (broad heuristics are opt-in). */
export const SECRET_KIND_DEFAULTS = {
  aws_access_key_id: true,
  aws_secret_access_key: true,
  google_api_key: true,
  github_token: true,
  stripe_secret_key: true,
  generic_api_key_assignment: false,
  slack_token: true,
  private_key_block: true,
  jwt_like: false,
  hex_secret_32: false,
  base64_24: false,
} as const;

const KINDS = Object.keys(SECRET_KIND_DEFAULTS) as (keyof typeof SECRET_KIND_DEFAULTS)[];

const fieldPath = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .refine((p) => !p.startsWith('.') && !p.endsWith('.') && !p.split('.').some((s) => s.trim() === ''), {
    message: 'must be a dotted path without empty segments (e.g. "credentials.token")',
  });

/** The plugin's configuration. */
export const configSchema = z
  .object({
    /** Per-kind switches, merged over the defaults. */
    enabled: z.partialRecord(z.enum(KINDS), z.boolean()).default({}),
    redact: z.boolean().default(false),
    redaction_text: z.string().default('***REDACTED***'),
    block_on_detection: z.boolean().default(true),
    min_findings_to_block: z.number().int().min(1).default(1),
    /** Only these fields (and their descendants) are scanned. */
    field_allowlist: z.array(fieldPath).default([]),
    /** These fields (and their descendants) are never scanned; wins over the allowlist. */
    field_denylist: z.array(fieldPath).default([]),
    max_nested_depth: z.number().int().positive().max(1000).default(64),
  })
  .strict();

/** Validated configuration. */
export type SecretsDetectionConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration. */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });

/** Kinds switched on by `config.enabled` over the defaults. */
export function enabledKinds(config: SecretsDetectionConfig): string[] {
  return KINDS.filter((k) => config.enabled[k] ?? SECRET_KIND_DEFAULTS[k]);
}
