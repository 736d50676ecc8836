/**
 * `config` block of the PII filter, field-compatible with ContextForge's PIIFilterPlugin
 * (`detect_*`, `default_mask_strategy`, `redaction_text`, `block_on_detection`, …).
 */
import { z } from 'zod';

const MASKS = ['redact', 'partial', 'hash', 'tokenize', 'remove'] as const;
const maskStrategy = z.enum(MASKS, { message: `must be one of ${MASKS.join(', ')}` });

/** Detector names accepted by `mask_strategies`. */
export const DETECTOR_NAMES = [
  'email',
  'phone',
  'ssn',
  'credit_card',
  'iban',
  'ipv4',
  'ipv6',
  'aws_access_key',
  'aws_secret_key',
  'jwt',
  'private_key',
] as const;

const regexSource = z.string().min(1);

/** One custom pattern (Rust `regex` syntax: no look-around or back-references). */
export const customPatternSchema = z
  .object({
    pattern: regexSource,
    description: z.string().default('custom pattern'),
    /** Label in counts and violation details (default: the description in snake_case). */
    name: z.string().min(1).optional(),
    mask_strategy: maskStrategy.nullish(),
    enabled: z.boolean().default(true),
  })
  .strict();

/** The plugin's configuration. */
export const configSchema = z
  .object({
    detect_ssn: z.boolean().default(true),
    detect_credit_card: z.boolean().default(true),
    detect_email: z.boolean().default(true),
    detect_phone: z.boolean().default(true),
    /** IPv4 and IPv6. */
    detect_ip_address: z.boolean().default(true),
    /** IBANs (ContextForge calls the category `bank_account`; `detect_iban` is accepted too). */
    detect_bank_account: z.boolean().default(true),
    detect_iban: z.boolean().optional(),
    detect_aws_keys: z.boolean().default(true),
    detect_jwt: z.boolean().default(true),
    detect_private_keys: z.boolean().default(true),
    // Accepted so ContextForge files load; these detectors are not implemented here (a warning is logged when true).
    detect_bsn: z.boolean().default(false),
    detect_date_of_birth: z.boolean().default(false),
    detect_passport: z.boolean().default(false),
    detect_driver_license: z.boolean().default(false),
    detect_medical_record: z.boolean().default(false),
    default_mask_strategy: maskStrategy.default('redact'),
    /** Per-detector overrides, e.g. `{ credit_card: partial, jwt: redact }`. */
    mask_strategies: z.partialRecord(z.enum(DETECTOR_NAMES), maskStrategy).default({}),
    redaction_text: z.string().default('[REDACTED]'),
    /** Salt of hash/tokenize (default: random per process). */
    hash_salt: z.string().optional(),
    block_on_detection: z.boolean().default(false),
    log_detections: z.boolean().default(false),
    include_detection_details: z.boolean().default(false),
    max_text_bytes: z
      .number()
      .int()
      .positive()
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    max_nested_depth: z.number().int().positive().max(1000).default(32),
    max_collection_items: z.number().int().positive().max(1_000_000).default(4096),
    /** What to do with a payload over a limit: `block` (default, fail closed) or `pass` unscanned. */
    oversize_action: z.enum(['block', 'pass']).default('block'),
    custom_patterns: z.array(customPatternSchema).default([]),
    whitelist_patterns: z.array(regexSource).default([]),
  })
  .strict();

/** Validated configuration. */
export type PiiFilterConfig = z.output<typeof configSchema>;

/** JSON Schema of the configuration (generated from the zod schema). */
export const configJsonSchema: Record<string, unknown> = z.toJSONSchema(configSchema, { io: 'input' });
