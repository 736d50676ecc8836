import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { SecretBox } from '../../crypto/secret-box.js';
import { mapWriteError } from '../../db/db-errors.js';
import type { Database } from '../../db/schema.js';
import { GatewayError, isGatewayError } from '../../errors.js';
import { zodToGatewayError } from '../../http/zod-issues.js';
import type { Actor } from '../common/actor.js';
import { newId } from '../common/ids.js';
import { composeName } from '../common/naming.js';
import { gatewayRepository } from '../gateways/gateway-repository.js';
import { gatewayCreateSchema, gatewayUpdateSchema } from '../gateways/gateway-schemas.js';
import type { GatewayService } from '../gateways/gateway-service.js';
import { promptRepository } from '../prompts/prompt-repository.js';
import { promptCreateSchema, promptUpdateSchema } from '../prompts/prompt-schemas.js';
import type { PromptService } from '../prompts/prompt-service.js';
import type { RegistryContext } from '../registry-context.js';
import { resourceRepository } from '../resources/resource-repository.js';
import { resourceCreateSchema, resourceUpdateSchema } from '../resources/resource-schemas.js';
import type { ResourceService } from '../resources/resource-service.js';
import type { RootService } from '../roots/root-service.js';
import { serverRepository } from '../servers/server-repository.js';
import { serverCreateSchema, serverUpdateSchema } from '../servers/server-schemas.js';
import type { ServerService } from '../servers/server-service.js';
import { toolRepository } from '../tools/tool-repository.js';
import { toolCreateSchema, toolUpdateSchema } from '../tools/tool-schemas.js';
import type { ToolService } from '../tools/tool-service.js';
import type { Bundle, BundleType, ImportAction, ImportOptions, ImportReport } from './bundle-schema.js';

/** The registries an import writes through (their rules apply to imported entities too). */
export interface ImportServices {
  gateways: GatewayService;
  tools: ToolService;
  resources: ResourceService;
  prompts: PromptService;
  servers: ServerService;
  roots: RootService;
}

class DryRunRollback extends Error {
  constructor(readonly report: ImportReport) {
    super('dry run');
  }
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodToGatewayError(result.error, 'body');
  return result.data;
}

/** Re-raises an entity's error with its position in the bundle (`entities.tools.3.name`). */
async function at<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    throw new GatewayError(error.code, `${path}: ${error.message}`, {
      field: error.field ? `${path}.${error.field}` : path,
      cause: error,
      ...(error.details ? { details: error.details } : {}),
    });
  }
}

const COMMON_KEYS = ['description', 'tags', 'team_id', 'owner_email', 'visibility', 'enabled'];
function pick(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of [...COMMON_KEYS, ...keys])
    if (value[k] !== undefined && value[k] !== null) out[k] = value[k];
  return out;
}

/**
 * Imports a bundle in one transaction: all entities are written or none. Existing entities (same name, or
 * URI for resources and roots) follow `conflict_strategy`: skip, update (bumps version), rename (adds
 * `-imported`; resources and roots, identified by URI, are skipped instead) or fail. A dry run performs the
 * whole import and rolls it back, so its report is exactly what a real run would do.
 *
 * @throws GatewayError naming the entity (`entities.<type>.<index>…`): VALIDATION_FAILED, UNPROCESSABLE
 *   (missing reference, undecryptable secret), CONFLICT (strategy fail)
 */
export async function importBundle(
  ctx: RegistryContext,
  services: ImportServices,
  bundle: Bundle,
  options: ImportOptions,
  actor: Actor,
): Promise<ImportReport> {
  const batch = newId();
  const importActor: Actor = { user: actor.user, via: 'import', importBatchId: batch };
  const report: ImportReport = {
    dry_run: options.dry_run,
    conflict_strategy: options.conflict_strategy,
    import_batch_id: batch,
    counts: { created: 0, updated: 0, skipped: 0, renamed: 0 },
    actions: [],
  };
  const oldBox = options.rekey_secret ? new SecretBox(options.rekey_secret) : undefined;
  const reseal = (value: string | null | undefined): string | null => {
    if (!value) return null;
    if (ctx.box.canDecrypt(value)) return value;
    if (oldBox?.canDecrypt(value)) return ctx.box.encrypt(oldBox.decrypt(value));
    throw new GatewayError(
      'UNPROCESSABLE',
      `the stored secret was encrypted with another AUTH_ENCRYPTION_SECRET${oldBox ? ' (rekey_secret does not decrypt it either)' : '; pass that secret as rekey_secret'}`,
      { field: 'auth_value' },
    );
  };
  const record = (a: ImportAction) => {
    report.actions.push(a);
    const key =
      a.action === 'create'
        ? 'created'
        : a.action === 'update'
          ? 'updated'
          : a.action === 'skip'
            ? 'skipped'
            : 'renamed';
    report.counts[key] += 1;
  };
  const sep = ctx.config.GATEWAY_TOOL_NAME_SEPARATOR;
  const strategy = options.conflict_strategy;
  const conflictFail = (what: string) =>
    new GatewayError('CONFLICT', `${what} already exists (conflict_strategy=fail)`);
  const freeId = async (db: Kysely<Database>, table: BundleType, id: string | undefined) => {
    if (!id) return undefined;
    const row = await db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst();
    return row ? undefined : id;
  };
  const renamed = async (base: string, taken: (candidate: string) => Promise<boolean>) => {
    for (let n = 1; ; n += 1) {
      const candidate = `${base}-imported${n > 1 ? `-${n}` : ''}`;
      if (!(await taken(candidate))) return candidate;
    }
  };

  const run = async (db: Kysely<Database>) => {
    const gatewayIds = new Map<string, string>();
    const toolIds = new Map<string, string>();
    const resourceIds = new Map<string, string>();
    const promptIds = new Map<string, string>();
    const gatewayRef = async (
      name: string | null | undefined,
    ): Promise<{ id: string | null; slug: string | null }> => {
      if (!name) return { id: null, slug: null };
      const id = gatewayIds.get(name) ?? (await gatewayRepository.findByName(db, name))?.id;
      if (!id)
        throw new GatewayError(
          'UNPROCESSABLE',
          `gateway '${name}' is neither in the bundle nor in this gateway`,
          { field: 'gateway_name' },
        );
      return { id, slug: (await gatewayRepository.slugOf(db, id)) ?? null };
    };

    for (const [i, g] of (bundle.entities.gateways ?? []).entries()) {
      const path = `entities.gateways.${i}`;
      await at(path, async () => {
        const fields = pick(g, ['url', 'transport', 'command', 'args', 'headers', 'passthrough_headers']);
        const authValue = reseal(g.auth_value);
        const existing = await gatewayRepository.findByName(db, g.name);
        let id: string;
        if (existing && strategy === 'skip') {
          record({ type: 'gateways', name: g.name, action: 'skip', id: existing.id });
          gatewayIds.set(g.name, existing.id);
          return;
        }
        if (existing && strategy === 'fail') throw conflictFail(`gateway '${g.name}'`);
        if (existing && strategy === 'update') {
          await services.gateways.updateIn(db, existing, parse(gatewayUpdateSchema, fields), importActor, []);
          id = existing.id;
          record({ type: 'gateways', name: g.name, action: 'update', id });
        } else {
          const name = existing
            ? await renamed(g.name, async (c) => !!(await gatewayRepository.findByName(db, c)))
            : g.name;
          const id0 = await freeId(db, 'gateways', g.id);
          const row = await services.gateways.createIn(
            db,
            { ...parse(gatewayCreateSchema, { ...fields, name }), ...(id0 ? { id: id0 } : {}) },
            importActor,
          );
          id = row.id;
          record({
            type: 'gateways',
            name: g.name,
            action: existing ? 'rename' : 'create',
            id,
            ...(existing ? { new_name: name } : {}),
          });
        }
        await gatewayRepository.update(db, id, {
          auth_type: authValue ? (g.auth_type ?? null) : null,
          auth_value: authValue,
        });
        gatewayIds.set(g.name, id);
      });
    }

    for (const [i, t] of (bundle.entities.tools ?? []).entries()) {
      const path = `entities.tools.${i}`;
      await at(path, async () => {
        const gw = await gatewayRef(t.gateway_name);
        const custom = t.custom_name ?? t.name;
        const exposed = composeName(gw.slug, sep, custom);
        const fields = pick(t, [
          'title',
          'integration_type',
          'request_type',
          'url',
          'headers',
          'input_schema',
          'output_schema',
          'annotations',
          'jsonpath_filter',
        ]);
        const authValue = reseal(t.auth_value);
        const existing = await toolRepository.findByName(db, exposed);
        let id: string;
        if (existing && strategy === 'skip') {
          record({ type: 'tools', name: t.name, action: 'skip', id: existing.id });
          toolIds.set(t.name, existing.id);
          return;
        }
        if (existing && strategy === 'fail') throw conflictFail(`tool '${exposed}'`);
        if (existing && strategy === 'update') {
          await services.tools.updateIn(
            db,
            existing,
            parse(toolUpdateSchema, { ...fields, gateway_id: gw.id }),
            importActor,
          );
          id = existing.id;
          record({ type: 'tools', name: t.name, action: 'update', id });
        } else {
          const name = existing
            ? await renamed(
                custom,
                async (c) => !!(await toolRepository.findByName(db, composeName(gw.slug, sep, c))),
              )
            : custom;
          const id0 = await freeId(db, 'tools', t.id);
          const input = {
            ...parse(toolCreateSchema, { ...fields, name, ...(gw.id ? { gateway_id: gw.id } : {}) }),
            ...(id0 ? { id: id0 } : {}),
            original_name: t.original_name ?? custom,
          };
          id = (await services.tools.createIn(db, input, importActor)).id;
          record({
            type: 'tools',
            name: t.name,
            action: existing ? 'rename' : 'create',
            id,
            ...(existing ? { new_name: composeName(gw.slug, sep, name) } : {}),
          });
        }
        await toolRepository.update(db, id, {
          auth_type: authValue ? (t.auth_type ?? null) : null,
          auth_value: authValue,
        });
        toolIds.set(t.name, id);
      });
    }

    for (const [i, r] of (bundle.entities.resources ?? []).entries()) {
      const path = `entities.resources.${i}`;
      await at(path, async () => {
        const gw = await gatewayRef(r.gateway_name);
        const fields = pick(r, ['name', 'title', 'mime_type', 'content', 'blob']);
        const uriField = r.uri_template ? { uri_template: r.uri_template } : { uri: r.uri };
        const existing = await resourceRepository.findByUri(db, r.uri);
        if (existing && (strategy === 'skip' || strategy === 'rename')) {
          record({
            type: 'resources',
            name: r.uri,
            action: 'skip',
            id: existing.id,
            ...(strategy === 'rename'
              ? { reason: 'resources are identified by URI and cannot be renamed' }
              : {}),
          });
          resourceIds.set(r.uri, existing.id);
          return;
        }
        if (existing && strategy === 'fail') throw conflictFail(`resource '${r.uri}'`);
        if (existing) {
          const full = await resourceRepository.findById(db, existing.id);
          await services.resources.updateIn(
            db,
            full!,
            parse(resourceUpdateSchema, { ...fields, ...uriField, gateway_id: gw.id }),
            importActor,
          );
          resourceIds.set(r.uri, existing.id);
          record({ type: 'resources', name: r.uri, action: 'update', id: existing.id });
          return;
        }
        const id0 = await freeId(db, 'resources', r.id);
        const row = await services.resources.createIn(
          db,
          {
            ...parse(resourceCreateSchema, {
              ...fields,
              ...uriField,
              ...(gw.id ? { gateway_id: gw.id } : {}),
            }),
            ...(id0 ? { id: id0 } : {}),
          },
          importActor,
        );
        resourceIds.set(r.uri, row.id);
        record({ type: 'resources', name: r.uri, action: 'create', id: row.id });
      });
    }

    for (const [i, p] of (bundle.entities.prompts ?? []).entries()) {
      const path = `entities.prompts.${i}`;
      await at(path, async () => {
        const gw = await gatewayRef(p.gateway_name);
        const custom = p.custom_name ?? p.name;
        const exposed = composeName(gw.slug, sep, custom);
        const fields = pick(p, ['title', 'template', 'arguments']);
        const existing = await promptRepository.findByName(db, exposed);
        if (existing && strategy === 'skip') {
          record({ type: 'prompts', name: p.name, action: 'skip', id: existing.id });
          promptIds.set(p.name, existing.id);
          return;
        }
        if (existing && strategy === 'fail') throw conflictFail(`prompt '${exposed}'`);
        if (existing && strategy === 'update') {
          await services.prompts.updateIn(
            db,
            existing,
            parse(promptUpdateSchema, { ...fields, gateway_id: gw.id }),
            importActor,
          );
          promptIds.set(p.name, existing.id);
          record({ type: 'prompts', name: p.name, action: 'update', id: existing.id });
          return;
        }
        const name = existing
          ? await renamed(
              custom,
              async (c) => !!(await promptRepository.findByName(db, composeName(gw.slug, sep, c))),
            )
          : custom;
        const id0 = await freeId(db, 'prompts', p.id);
        const input = {
          ...parse(promptCreateSchema, { ...fields, name, ...(gw.id ? { gateway_id: gw.id } : {}) }),
          ...(id0 ? { id: id0 } : {}),
          original_name: p.original_name ?? custom,
        };
        const row = await services.prompts.createIn(db, input, importActor);
        promptIds.set(p.name, row.id);
        record({
          type: 'prompts',
          name: p.name,
          action: existing ? 'rename' : 'create',
          id: row.id,
          ...(existing ? { new_name: composeName(gw.slug, sep, name) } : {}),
        });
      });
    }

    for (const [i, s] of (bundle.entities.servers ?? []).entries()) {
      const path = `entities.servers.${i}`;
      await at(path, async () => {
        const resolve = async (
          kind: 'tools' | 'resources' | 'prompts',
          key: string,
          j: number,
        ): Promise<string> => {
          const local =
            kind === 'tools'
              ? toolIds.get(key)
              : kind === 'resources'
                ? resourceIds.get(key)
                : promptIds.get(key);
          const found =
            local ??
            (kind === 'tools'
              ? (await toolRepository.findByName(db, key))?.id
              : kind === 'resources'
                ? (await resourceRepository.findByUri(db, key))?.id
                : (await promptRepository.findByName(db, key))?.id);
          if (!found) {
            throw new GatewayError(
              'UNPROCESSABLE',
              `associated_${kind}.${j} refers to '${key}', which is neither in the bundle nor in this gateway`,
              { field: `associated_${kind}.${j}` },
            );
          }
          return found;
        };
        const members = {
          associated_tools: await Promise.all(
            (s.associated_tools ?? []).map(async (m, j) => ({
              id: await resolve('tools', m.name, j),
              alias: m.alias ?? null,
            })),
          ),
          associated_resources: await Promise.all(
            (s.associated_resources ?? []).map((u, j) => resolve('resources', u, j)),
          ),
          associated_prompts: await Promise.all(
            (s.associated_prompts ?? []).map((n, j) => resolve('prompts', n, j)),
          ),
        };
        const fields = { ...pick(s, ['icon']), ...members };
        const existing = await serverRepository.findByName(db, s.name);
        if (existing && strategy === 'skip')
          return record({ type: 'servers', name: s.name, action: 'skip', id: existing.id });
        if (existing && strategy === 'fail') throw conflictFail(`server '${s.name}'`);
        if (existing && strategy === 'update') {
          await services.servers.updateIn(db, existing.id, parse(serverUpdateSchema, fields), importActor);
          return record({ type: 'servers', name: s.name, action: 'update', id: existing.id });
        }
        const name = existing
          ? await renamed(s.name, async (c) => !!(await serverRepository.findByName(db, c)))
          : s.name;
        const id0 = await freeId(db, 'servers', s.id);
        const out = await services.servers.createIn(
          db,
          parse(serverCreateSchema, { ...fields, name, ...(id0 ? { id: id0 } : {}) }),
          importActor,
        );
        record({
          type: 'servers',
          name: s.name,
          action: existing ? 'rename' : 'create',
          id: out.id,
          ...(existing ? { new_name: name } : {}),
        });
      });
    }

    for (const [i, r] of (bundle.entities.roots ?? []).entries()) {
      const path = `entities.roots.${i}`;
      await at(path, async () => {
        const existing = await db.selectFrom('roots').selectAll().where('uri', '=', r.uri).executeTakeFirst();
        if (existing && strategy === 'fail') throw conflictFail(`root '${r.uri}'`);
        if (existing && strategy === 'update') {
          await db
            .updateTable('roots')
            .set({ name: r.name ?? null })
            .where('id', '=', existing.id)
            .execute();
          return record({ type: 'roots', name: r.uri, action: 'update', id: existing.id });
        }
        if (existing)
          return record({
            type: 'roots',
            name: r.uri,
            action: 'skip',
            id: existing.id,
            ...(strategy === 'rename' ? { reason: 'roots are identified by URI and cannot be renamed' } : {}),
          });
        const id0 = await freeId(db, 'roots', r.id);
        const out = await services.roots.createIn(db, {
          uri: r.uri,
          name: r.name ?? null,
          ...(id0 ? { id: id0 } : {}),
        });
        record({ type: 'roots', name: r.uri, action: 'create', id: out.id });
      });
    }
    if (options.dry_run) throw new DryRunRollback(report);
    return report;
  };

  try {
    await ctx.db.transaction().execute(run);
  } catch (error) {
    // A dry run always ends here: the rollback is the point.
    if (error instanceof DryRunRollback) return error.report;
    throw mapWriteError(error, 'import');
  }
  for (const prefix of ['gateway:', 'tool:', 'resource:', 'prompt:', 'server:'])
    await ctx.cache.invalidatePrefix(prefix);
  return report;
}
