import { z } from 'zod';
import { visibilitySchema } from '../common/common-fields.js';
import { promptArgumentSchema } from '../prompts/prompt-schemas.js';

/** Format version of export bundles this gateway writes and reads. */
export const BUNDLE_VERSION = 1;

/** Entity kinds in a bundle, in import order (referenced kinds first). */
export const BUNDLE_TYPES = ['gateways', 'tools', 'resources', 'prompts', 'servers', 'roots'] as const;
/** One bundle entity kind. */
export type BundleType = (typeof BUNDLE_TYPES)[number];

const common = {
  id: z.string().max(36).optional(),
  description: z.string().nullable().optional(),
  tags: z.array(z.string()).optional(),
  team_id: z.string().nullable().optional(),
  owner_email: z.string().nullable().optional(),
  visibility: visibilitySchema.optional(),
  enabled: z.boolean().optional(),
};
const json = z.record(z.string(), z.unknown());
const sealed = { auth_type: z.string().nullable().optional(), auth_value: z.string().nullable().optional() };

/** A gateway in a bundle; `auth_value` stays encrypted. */
export const bundleGatewaySchema = z
  .object({
    ...common,
    name: z.string(),
    url: z.string().nullable().optional(),
    transport: z.string().optional(),
    command: z.string().nullable().optional(),
    args: z.array(z.string()).optional(),
    headers: z.record(z.string(), z.string()).optional(),
    passthrough_headers: z.array(z.string()).nullable().optional(),
    prefix_names: z.boolean().optional(),
    ...sealed,
  })
  .passthrough();

/** A tool in a bundle: `name` is its exposed name; the gateway is referenced by name. */
export const bundleToolSchema = z
  .object({
    ...common,
    name: z.string(),
    custom_name: z.string().optional(),
    original_name: z.string().optional(),
    gateway_name: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
    integration_type: z.string().optional(),
    request_type: z.string().optional(),
    url: z.string().nullable().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    input_schema: json.optional(),
    output_schema: json.nullable().optional(),
    annotations: json.optional(),
    jsonpath_filter: z.string().nullable().optional(),
    ...sealed,
  })
  .passthrough();

/** A resource in a bundle, with its content (text, or base64 `blob`). */
export const bundleResourceSchema = z
  .object({
    ...common,
    uri: z.string(),
    uri_template: z.string().nullable().optional(),
    name: z.string(),
    title: z.string().nullable().optional(),
    mime_type: z.string().nullable().optional(),
    content: z.string().nullable().optional(),
    blob: z.string().nullable().optional(),
    gateway_name: z.string().nullable().optional(),
  })
  .passthrough();

/** A prompt in a bundle. */
export const bundlePromptSchema = z
  .object({
    ...common,
    name: z.string(),
    custom_name: z.string().optional(),
    original_name: z.string().optional(),
    gateway_name: z.string().nullable().optional(),
    title: z.string().nullable().optional(),
    template: z.string(),
    arguments: z.array(promptArgumentSchema).optional(),
  })
  .passthrough();

/** A virtual server in a bundle; members are referenced by tool name, resource URI and prompt name. */
export const bundleServerSchema = z
  .object({
    ...common,
    name: z.string(),
    icon: z.string().nullable().optional(),
    associated_tools: z
      .array(z.object({ name: z.string(), alias: z.string().nullable().optional() }))
      .optional(),
    associated_resources: z.array(z.string()).optional(),
    associated_prompts: z.array(z.string()).optional(),
  })
  .passthrough();

/** A root in a bundle. */
export const bundleRootSchema = z
  .object({ id: z.string().max(36).optional(), uri: z.string(), name: z.string().nullable().optional() })
  .passthrough();

/** An export bundle. Unknown top-level fields are refused; unknown entity fields are ignored (forward compatibility). */
export const bundleSchema = z
  .object({
    version: z.literal(BUNDLE_VERSION, {
      error: `version must be ${BUNDLE_VERSION} (the bundle format this gateway reads)`,
    }),
    exported_at: z.string().optional(),
    exported_by: z.string().nullable().optional(),
    source: json.optional(),
    encryption: z.object({ method: z.string(), key_id: z.string() }).optional(),
    entities: z
      .object({
        gateways: z.array(bundleGatewaySchema).optional(),
        tools: z.array(bundleToolSchema).optional(),
        resources: z.array(bundleResourceSchema).optional(),
        prompts: z.array(bundlePromptSchema).optional(),
        servers: z.array(bundleServerSchema).optional(),
        roots: z.array(bundleRootSchema).optional(),
      })
      .strict(),
  })
  .strict();

/** A parsed bundle. */
export type Bundle = z.output<typeof bundleSchema>;

/** What to do when an entity already exists. */
export const conflictStrategySchema = z.enum(['skip', 'update', 'rename', 'fail']);
/** A conflict strategy. */
export type ConflictStrategy = z.output<typeof conflictStrategySchema>;

/** Options of an import. */
export const importOptionsSchema = z.object({
  conflict_strategy: conflictStrategySchema.default('update'),
  dry_run: z.boolean().default(false),
  /** The AUTH_ENCRYPTION_SECRET the bundle's secrets were encrypted with, when it differs from this gateway's. */
  rekey_secret: z.string().min(1).optional(),
});
/** Parsed import options. */
export type ImportOptions = z.output<typeof importOptionsSchema>;

/** What happened (or, in a dry run, would happen) to one bundle entity. */
export interface ImportAction {
  type: BundleType;
  name: string;
  action: 'create' | 'update' | 'skip' | 'rename';
  id: string;
  new_name?: string;
  reason?: string;
}

/** The report of an import. */
export interface ImportReport {
  dry_run: boolean;
  conflict_strategy: ConflictStrategy;
  import_batch_id: string;
  counts: { created: number; updated: number; skipped: number; renamed: number };
  actions: ImportAction[];
}
