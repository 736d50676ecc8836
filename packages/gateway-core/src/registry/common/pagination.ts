import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { visibilitySchema } from './common-fields.js';

/** Page size limits, from config (`PAGINATION_DEFAULT_PAGE_SIZE`, `PAGINATION_MAX_PAGE_SIZE`). */
export interface PageLimits {
  defaultSize: number;
  maxSize: number;
}

/** A position in a list ordered by (sort key, id). */
export interface CursorPosition {
  key: string;
  id: string;
}

/** Encodes a cursor: opaque base64url of the last item's sort key and id. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id]), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor produced by {@link encodeCursor}.
 *
 * @throws GatewayError BAD_REQUEST (field `cursor`) for anything else.
 */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return { key: value[0] as string, id: value[1] as string };
    }
  } catch {
    // fall through to the error below
  }
  throw new GatewayError(
    'BAD_REQUEST',
    'cursor is not one this gateway issued (pass next_cursor unchanged)',
    {
      field: 'cursor',
    },
  );
}

const csv = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean),
  )
  .optional();

/** Query parameters every list endpoint accepts. */
export function listQuerySchema(limits: PageLimits) {
  return z
    .object({
      cursor: z.string().max(2048).optional(),
      limit: z.coerce.number().int().min(1).max(limits.maxSize).default(limits.defaultSize),
      tags: csv,
      include_inactive: z.stringbool().default(false),
      gateway_id: z.string().max(36).optional(),
      team_id: z.string().max(64).optional(),
      visibility: visibilitySchema.optional(),
      include_pagination: z.stringbool().default(false),
    })
    .strict();
}

/** Parsed list query. */
export type ListQuery = z.output<ReturnType<typeof listQuerySchema>>;

/** Filters a repository applies (the storage-facing part of {@link ListQuery}). */
export interface ListFilter {
  after?: CursorPosition;
  limit: number;
  tags?: string[];
  includeInactive: boolean;
  gatewayId?: string;
  teamId?: string;
  visibility?: string;
  /**
   * Only entities this caller may see (ContextForge's visibility rule): public ones, `team` ones of their
   * teams, and their own. Set by an authentication layer; absent means no restriction.
   */
  visibleTo?: { email: string | null; teams: readonly string[] };
}

/** A page of items and the cursor of the next page (null on the last page). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Converts parsed query parameters to a repository filter. */
export function toListFilter(query: ListQuery): ListFilter {
  return {
    ...(query.cursor ? { after: decodeCursor(query.cursor) } : {}),
    limit: query.limit,
    ...(query.tags && query.tags.length > 0 ? { tags: query.tags.map((t) => t.toLowerCase()) } : {}),
    includeInactive: query.include_inactive,
    ...(query.gateway_id ? { gatewayId: query.gateway_id } : {}),
    ...(query.team_id ? { teamId: query.team_id } : {}),
    ...(query.visibility ? { visibility: query.visibility } : {}),
  };
}

/** Turns `limit + 1` fetched rows into a page (the extra row only signals that more exist). */
export function toPage<R, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T,
  position: (row: R) => CursorPosition,
): Page<T> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return { items: kept.map(map), nextCursor: more && last ? encodeCursor(position(last)) : null };
}
