import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import { zodToGatewayError } from '../../http/zod-issues.js';
import type { RegistryContext } from '../registry-context.js';
import {
  BUNDLE_TYPES,
  type BundleType,
  bundleSchema,
  conflictStrategySchema,
  importOptionsSchema,
} from './bundle-schema.js';
import { exportBundle } from './export-service.js';
import { type ImportServices, importBundle } from './import-service.js';

const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .optional();

const exportQuery = z
  .object({
    types: z
      .string()
      .transform((s) =>
        s
          .split(',')
          .map((t) => t.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.enum(BUNDLE_TYPES)))
      .optional(),
    tags: csv,
    include_inactive: z.stringbool().default(true),
  })
  .strict();

const importQuery = z
  .object({ conflict_strategy: conflictStrategySchema.optional(), dry_run: z.stringbool().optional() })
  .strict();

const importWrapper = z.object({ import_data: z.unknown(), ...importOptionsSchema.partial().shape }).strict();

/** `GET /v1/export` and `POST /v1/import`. */
export function transferRoutes(
  ctx: RegistryContext,
  services: ImportServices,
  importBodyLimit: number,
): RouteDef[] {
  const tag = 'Export/Import';
  return [
    defineRoute({
      method: 'GET',
      path: '/v1/export',
      permission: 'admin.export',
      tag,
      summary: 'Export registry entities as one JSON bundle (secrets stay encrypted)',
      query: exportQuery,
      response: bundleSchema,
      handler: async ({ query, actor }) => ({
        body: await exportBundle(
          ctx,
          {
            types: query.types as BundleType[] | undefined,
            tags: query.tags,
            includeInactive: query.include_inactive,
          },
          actor,
        ),
      }),
    }),
    defineRoute({
      method: 'POST',
      path: '/v1/import',
      permission: 'admin.import',
      tag,
      summary:
        'Import a bundle: the body is the bundle itself (options as query parameters) or {"import_data": bundle, "conflict_strategy", "dry_run", "rekey_secret"}',
      query: importQuery,
      body: z.record(z.string(), z.unknown()),
      bodyLimit: importBodyLimit,
      handler: async ({ query, body, actor }) => {
        let raw: unknown = body;
        let options: Record<string, unknown> = { ...query };
        if ('import_data' in body) {
          const wrapper = importWrapper.safeParse(body);
          if (!wrapper.success) throw zodToGatewayError(wrapper.error, 'body');
          const { import_data, ...rest } = wrapper.data;
          raw = import_data;
          options = { ...options, ...rest };
        }
        const parsed = bundleSchema.safeParse(raw);
        if (!parsed.success) {
          const error = zodToGatewayError(parsed.error, 'body');
          const prefix = 'import_data' in body ? 'import_data.' : '';
          throw new GatewayError(error.code, `${prefix}${error.message}`, {
            ...(error.field ? { field: prefix + error.field } : {}),
          });
        }
        const opts = importOptionsSchema.parse(options);
        return { body: await importBundle(ctx, services, parsed.data, opts, actor) };
      },
    }),
  ];
}
