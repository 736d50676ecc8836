import { CACHEABLE_METHODS } from './protocol.js';

/** Cache hints of 2026-07-28 cacheable results. */
export interface CacheHints {
  ttlMs: number;
  cacheScope: 'public' | 'private';
}

/**
 * Serialises a backend result for the wire. For 2026-07-28 it adds, without copying the result
 * object, what the revision requires and the backend left out: `resultType: "complete"`, cache
 * hints on cacheable complete results, and `_meta["io.modelcontextprotocol/serverInfo"]` (a SHOULD,
 * only when the result carries no `_meta` of its own). Legacy results pass through untouched.
 *
 * @param serverInfoMeta pre-serialised `"_meta":{…}` member, or undefined to skip it.
 */
export function serializeResult(
  method: string,
  result: object,
  modern: boolean,
  hints: CacheHints | undefined,
  serverInfoMeta: string | undefined,
): string {
  const json = JSON.stringify(result);
  if (!modern) return json;
  const r = result as Record<string, unknown>;
  let extra = '';
  const complete = r.resultType === undefined || r.resultType === 'complete';
  if (r.resultType === undefined) extra += '"resultType":"complete"';
  if (complete && hints !== undefined && CACHEABLE_METHODS.has(method)) {
    if (r.ttlMs === undefined) extra += `${extra ? ',' : ''}"ttlMs":${Math.max(0, Math.floor(hints.ttlMs))}`;
    if (r.cacheScope === undefined) extra += `${extra ? ',' : ''}"cacheScope":"${hints.cacheScope}"`;
  }
  if (serverInfoMeta !== undefined && r._meta === undefined) extra += `${extra ? ',' : ''}${serverInfoMeta}`;
  if (extra === '') return json;
  return json.length <= 2 ? `{${extra}}` : `{${extra},${json.slice(1)}`;
}
