import { PACKAGE_NAME, VERSION } from '../../version.js';
import type { Actor } from '../common/actor.js';
import { nowIso } from '../common/actor.js';
import { fromJson, toBool } from '../common/json-column.js';
import type { RegistryContext } from '../registry-context.js';
import { BUNDLE_TYPES, BUNDLE_VERSION, type Bundle, type BundleType } from './bundle-schema.js';

/** Filters of an export. */
export interface ExportOptions {
  /** Kinds to export (default: all). */
  types?: readonly BundleType[];
  /** Only entities carrying one of these tags (roots have no tags and are kept). */
  tags?: readonly string[];
  /** Include disabled entities (default true, so an export is a complete backup). */
  includeInactive?: boolean;
}

function common(row: {
  id: string;
  description: string | null;
  tags: string;
  team_id: string | null;
  owner_email: string | null;
  visibility: string;
  enabled: number;
}) {
  return {
    id: row.id,
    description: row.description,
    tags: fromJson<string[]>(row.tags, []),
    team_id: row.team_id,
    owner_email: row.owner_email,
    visibility: row.visibility as 'private' | 'team' | 'public',
    enabled: toBool(row.enabled),
  };
}

/**
 * Builds an export bundle of registry entities. Stored secrets stay encrypted (the bundle names the key
 * id); references between entities use names and URIs so the bundle imports into another gateway.
 */
export async function exportBundle(
  ctx: RegistryContext,
  options: ExportOptions = {},
  actor?: Actor,
): Promise<Bundle> {
  const types = new Set(options.types ?? BUNDLE_TYPES);
  const includeInactive = options.includeInactive ?? true;
  const tagSet =
    options.tags && options.tags.length > 0 ? new Set(options.tags.map((t) => t.toLowerCase())) : undefined;
  const keep = (row: { enabled: number; tags: string }) =>
    (includeInactive || toBool(row.enabled)) &&
    (!tagSet || fromJson<string[]>(row.tags, []).some((t) => tagSet.has(t)));
  const db = ctx.db;
  const gateways = await db.selectFrom('gateways').selectAll().orderBy('name').execute();
  const gatewayName = new Map(gateways.map((g) => [g.id, g.name]));
  const entities: Bundle['entities'] = {};

  if (types.has('gateways')) {
    entities.gateways = gateways.filter(keep).map((g) => ({
      ...common(g),
      name: g.name,
      url: g.url,
      transport: g.transport,
      command: g.command,
      args: fromJson<string[]>(g.args, []),
      headers: fromJson(g.headers, {}),
      passthrough_headers: fromJson<string[] | null>(g.passthrough_headers, null),
      prefix_names: Number(g.prefix_names) !== 0,
      auth_type: g.auth_type,
      auth_value: g.auth_value,
    }));
  }
  const tools = await db.selectFrom('tools').selectAll().orderBy('name').execute();
  const toolName = new Map(tools.map((t) => [t.id, t.name]));
  if (types.has('tools')) {
    entities.tools = tools.filter(keep).map((t) => ({
      ...common(t),
      name: t.name,
      custom_name: t.custom_name,
      original_name: t.original_name,
      gateway_name: t.gateway_id ? (gatewayName.get(t.gateway_id) ?? null) : null,
      title: t.title,
      integration_type: t.integration_type,
      request_type: t.request_type,
      url: t.url,
      headers: fromJson(t.headers, {}),
      input_schema: fromJson(t.input_schema, {}),
      output_schema: fromJson(t.output_schema, null),
      annotations: fromJson(t.annotations, {}),
      jsonpath_filter: t.jsonpath_filter,
      auth_type: t.auth_type,
      auth_value: t.auth_value,
    }));
  }
  const resources = await db.selectFrom('resources').selectAll().orderBy('uri').execute();
  const resourceUri = new Map(resources.map((r) => [r.id, r.uri]));
  if (types.has('resources')) {
    entities.resources = resources.filter(keep).map((r) => ({
      ...common(r),
      uri: r.uri,
      uri_template: toBool(r.is_template) ? r.uri : null,
      name: r.name,
      title: r.title,
      mime_type: r.mime_type,
      content: r.text_content,
      blob: r.binary_content ? Buffer.from(r.binary_content).toString('base64') : null,
      gateway_name: r.gateway_id ? (gatewayName.get(r.gateway_id) ?? null) : null,
    }));
  }
  const prompts = await db.selectFrom('prompts').selectAll().orderBy('name').execute();
  const promptName = new Map(prompts.map((p) => [p.id, p.name]));
  if (types.has('prompts')) {
    entities.prompts = prompts.filter(keep).map((p) => ({
      ...common(p),
      name: p.name,
      custom_name: p.custom_name,
      original_name: p.original_name,
      gateway_name: p.gateway_id ? (gatewayName.get(p.gateway_id) ?? null) : null,
      title: p.title,
      template: p.template,
      arguments: fromJson(p.arguments, []),
    }));
  }
  if (types.has('servers')) {
    const servers = (await db.selectFrom('servers').selectAll().orderBy('name').execute()).filter(keep);
    const ids = servers.map((s) => s.id);
    const [st, sr, sp] = ids.length
      ? await Promise.all([
          db
            .selectFrom('server_tools')
            .selectAll()
            .where('server_id', 'in', ids)
            .orderBy('position')
            .execute(),
          db
            .selectFrom('server_resources')
            .selectAll()
            .where('server_id', 'in', ids)
            .orderBy('position')
            .execute(),
          db
            .selectFrom('server_prompts')
            .selectAll()
            .where('server_id', 'in', ids)
            .orderBy('position')
            .execute(),
        ])
      : [[], [], []];
    entities.servers = servers.map((s) => ({
      ...common(s),
      name: s.name,
      icon: s.icon,
      associated_tools: st
        .filter((m) => m.server_id === s.id)
        .map((m) => ({ name: toolName.get(m.tool_id)!, alias: m.alias })),
      associated_resources: sr
        .filter((m) => m.server_id === s.id)
        .map((m) => resourceUri.get(m.resource_id)!),
      associated_prompts: sp.filter((m) => m.server_id === s.id).map((m) => promptName.get(m.prompt_id)!),
    }));
  }
  if (types.has('roots')) {
    entities.roots = (await db.selectFrom('roots').selectAll().orderBy('uri').execute()).map((r) => ({
      id: r.id,
      uri: r.uri,
      name: r.name,
    }));
  }
  return {
    version: BUNDLE_VERSION,
    exported_at: nowIso(),
    exported_by: actor?.user ?? null,
    source: { name: PACKAGE_NAME, version: VERSION },
    encryption: { method: 'AES-256-GCM', key_id: ctx.box.keyId },
    entities,
  };
}
