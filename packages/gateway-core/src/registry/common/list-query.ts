import { type SelectQueryBuilder, sql } from 'kysely';
import type { ListFilter } from './pagination.js';
import { tagLikePattern } from './tags.js';

// biome-ignore lint/suspicious/noExplicitAny: shared by every entity table; column names are checked by the migrations' tests.
type AnySelect = SelectQueryBuilder<any, any, any>;

/**
 * Applies the common list filters and keyset pagination ordered by (`sortColumn`, id). The same SQL runs
 * on all three dialects: tags match inside the JSON text (see tags.ts), flags are integers.
 */
export function applyListFilter<Q extends AnySelect>(
  query: Q,
  filter: ListFilter,
  sortColumn: string,
  options: { hasGateway?: boolean; hasCommon?: boolean } = {},
): Q {
  let q: AnySelect = query;
  const common = options.hasCommon ?? true;
  if (common && !filter.includeInactive) q = q.where('enabled', '=', 1);
  if (common && filter.teamId !== undefined) q = q.where('team_id', '=', filter.teamId);
  if (common && filter.visibility !== undefined) q = q.where('visibility', '=', filter.visibility);
  if (common && filter.visibleTo) {
    const { email, teams } = filter.visibleTo;
    q = q.where((eb) =>
      eb.or([
        eb('visibility', '=', 'public'),
        ...(teams.length > 0
          ? [eb.and([eb('visibility', '=', 'team'), eb('team_id', 'in', [...teams])])]
          : []),
        ...(email ? [eb('owner_email', '=', email)] : []),
      ]),
    );
  }
  if (options.hasGateway && filter.gatewayId !== undefined) q = q.where('gateway_id', '=', filter.gatewayId);
  if (common && filter.tags && filter.tags.length > 0) {
    const tags = filter.tags;
    q = q.where((eb) => eb.or(tags.map((tag) => sql<boolean>`tags like ${tagLikePattern(tag)} escape '!'`)));
  }
  if (filter.after) {
    const { key, id } = filter.after;
    // `key >= k AND (key > k OR id > i)` equals the usual `(key, id) > (k, i)` but starts an index range
    // scan at k on every backend, so a deep page costs the same as the first.
    q = q.where(sortColumn, '>=', key).where((eb) => eb.or([eb(sortColumn, '>', key), eb('id', '>', id)]));
  }
  return q
    .orderBy(sortColumn)
    .orderBy('id')
    .limit(filter.limit + 1) as Q;
}
