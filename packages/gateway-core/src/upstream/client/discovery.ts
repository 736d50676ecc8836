import type { UpstreamError } from '../upstream-error.js';

/** Bounds on one list walk. */
export interface ListBounds {
  maxPages: number;
  maxItems: number;
}

/**
 * Walks a paginated list method (`tools/list`, …) through `nextCursor`, stopping at the bounds
 * (an upstream returning endless pages cannot grow memory without limit) and on a repeated
 * cursor. A `-32601` answer (method not offered) yields an empty list.
 */
export async function listAll(
  request: (params: Record<string, unknown> | undefined) => Promise<Record<string, unknown>>,
  key: string,
  bounds: ListBounds,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < bounds.maxPages; page++) {
    let result: Record<string, unknown>;
    try {
      result = await request(cursor === undefined ? undefined : { cursor });
    } catch (err) {
      if ((err as UpstreamError).code === 'remote' && (err as UpstreamError).rpcCode === -32601) return items;
      throw err;
    }
    const list = result[key];
    if (Array.isArray(list)) {
      for (const item of list) {
        if (items.length >= bounds.maxItems) return items;
        if (item !== null && typeof item === 'object') items.push(item as Record<string, unknown>);
      }
    }
    const next = result.nextCursor;
    if (typeof next !== 'string' || next === '' || seen.has(next)) return items;
    seen.add(next);
    cursor = next;
  }
  return items;
}
