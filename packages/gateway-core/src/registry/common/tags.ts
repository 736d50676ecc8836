import { z } from 'zod';

/**
 * Tags are normalised (trimmed, lowercase, inner spaces to `-`) and must then match
 * `^[a-z0-9][a-z0-9._:-]{0,63}$`. Keeping the character set this small lets list filters match tags
 * inside the stored JSON text exactly (see `tagLikePattern`).
 */
export const TAG_PATTERN = /^[a-z0-9][a-z0-9._:-]{0,63}$/;

/** Normalises one tag. */
export function normalizeTag(tag: string): string {
  return tag.trim().toLowerCase().replace(/\s+/g, '-');
}

/** zod schema of a tag list: normalised, deduplicated, at most 50. */
export const tagsSchema = z
  .array(
    z
      .string()
      .transform(normalizeTag)
      .pipe(
        z.string().regex(TAG_PATTERN, 'tags are 1–64 characters from a-z 0-9 . _ : - (after lowercasing)'),
      ),
  )
  .max(50)
  .transform((tags) => [...new Set(tags)]);

/**
 * A LIKE pattern matching `tag` inside a JSON array text (`["a","b"]`), with `!` as the escape character
 * (portable across SQLite, PostgreSQL and MySQL, unlike backslash).
 */
export function tagLikePattern(tag: string): string {
  return `%${JSON.stringify(tag).replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/**
 * Tags as stored: normalised and deduplicated. Services apply it to every write, so library callers that
 * bypass the HTTP schemas still store matchable tags.
 */
export function tagsJson(tags: readonly string[] | undefined): string {
  return JSON.stringify([...new Set((tags ?? []).map(normalizeTag).filter((t) => TAG_PATTERN.test(t)))]);
}
