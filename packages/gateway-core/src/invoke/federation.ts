import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { fromJson } from '../registry/common/json-column.js';

/**
 * `_meta` key of federation (issue 5, part 5). On a request: the ContextForge deployments (instance ids) it
 * has passed through, oldest first — a gateway refuses one that already passed through it. On an entry of
 * a list answered to another gateway: the deployments a call of that entry passes through, the answering
 * one first — a gateway drops entries that would lead back to itself.
 */
export const VIA_META = 'io.contextforge/via';

const isPath = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x.length > 0);

/**
 * The deployments a request passed through when it came from another ContextForge gateway (its `_meta`
 * carries the via list); undefined for any other client.
 */
export function viaOf(meta: Record<string, unknown> | undefined): string[] | undefined {
  const via = meta?.[VIA_META];
  return isPath(via) ? via : undefined;
}

/** The federation path a listed entry declares in its `_meta` (undefined when the upstream is not a gateway). */
export function entryPath(entry: Record<string, unknown>): string[] | undefined {
  const meta = entry._meta;
  if (typeof meta !== 'object' || meta === null) return undefined;
  const via = (meta as Record<string, unknown>)[VIA_META];
  return isPath(via) ? via : undefined;
}

/** Kinds of entity a peer gateway discovers. */
export type FederatedKind = 'tools' | 'resources' | 'prompts';

/** The stored federation paths of one kind, by entity id (only entities whose upstream is a gateway). */
export type FederationPaths = (kind: FederatedKind) => Promise<Map<string, string[]>>;

/** Reads stored paths straight from the database (peers' discoveries are rare; nothing is cached). */
export function federationPaths(db: Kysely<Database>): FederationPaths {
  return async (kind) => {
    const rows = await db
      .selectFrom(kind)
      .select(['id', 'federation_via'])
      .where('federation_via', 'is not', null)
      .execute();
    const out = new Map<string, string[]>();
    for (const row of rows) {
      const path = fromJson<unknown>(row.federation_via, null);
      if (isPath(path)) out.set(row.id, path);
    }
    return out;
  };
}

/**
 * Prepares a list answer for a peer gateway whose request passed through `via`: entries whose path
 * already contains one of those deployments are left out (they would lead back), the others carry their
 * path with this deployment first, so the peer can do the same for its own peers.
 */
export async function forPeer<E>(
  entities: readonly E[],
  idOf: (e: E) => string,
  shape: (e: E) => object,
  kind: FederatedKind,
  self: string,
  via: readonly string[],
  paths: FederationPaths,
): Promise<object[]> {
  const stored = await paths(kind);
  const out: object[] = [];
  for (const e of entities) {
    const path = stored.get(idOf(e)) ?? [];
    if (path.some((id) => via.includes(id))) continue;
    const s = shape(e) as Record<string, unknown>;
    const meta = (s._meta as Record<string, unknown> | undefined) ?? {};
    out.push({ ...s, _meta: { ...meta, [VIA_META]: [self, ...path] } });
  }
  return out;
}
