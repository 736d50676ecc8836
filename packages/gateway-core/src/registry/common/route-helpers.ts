import { z } from 'zod';
import type { RouteResult } from '../../http/route-def.js';
import type { ListQuery, Page } from './pagination.js';

/** `{id}` path parameter. */
export const idParams = z.object({ id: z.string().min(1).max(255) }).strict();

/** `?activate=true|false` of `POST /v1/<entity>/{id}/state` (ContextForge's state toggle). */
export const stateQuery = z.object({ activate: z.stringbool() }).strict();

/** Response of a delete. */
export const deletedSchema = z.object({ status: z.literal('success'), message: z.string(), id: z.string() });

/** Builds the response of a delete. */
export function deleted(entity: string, id: string): RouteResult {
  return { body: { status: 'success', message: `${entity} ${id} deleted`, id } };
}

/**
 * A list response. By default a JSON array (ContextForge's shape) with the next page's cursor in the
 * `X-Next-Cursor` header; with `include_pagination=true`, `{"<plural>": [...], "next_cursor": …}`.
 */
export function listResult<T>(
  page: Page<T>,
  query: Pick<ListQuery, 'include_pagination'>,
  plural: string,
): RouteResult {
  const headers: Record<string, string> = page.nextCursor ? { 'X-Next-Cursor': page.nextCursor } : {};
  if (query.include_pagination)
    return { body: { [plural]: page.items, next_cursor: page.nextCursor }, headers };
  return { body: page.items, headers };
}
