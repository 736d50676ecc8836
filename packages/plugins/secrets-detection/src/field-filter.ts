/**
 * `field_allowlist` / `field_denylist`: dotted paths (array indices ignored) that select which
 * strings are scanned. A path matches itself and its descendants; the denylist wins.
 */

/** Decides per string path whether to scan it. */
export type FieldFilter = (path: readonly (string | number)[]) => boolean;

const matches = (path: string[], prefix: string[]) =>
  prefix.length <= path.length && prefix.every((s, i) => s === path[i]);

/** A filter for the lists, or `undefined` when both are empty (scan everything). */
export function fieldFilter(allow: string[], deny: string[]): FieldFilter | undefined {
  if (allow.length === 0 && deny.length === 0) return undefined;
  const allowed = allow.map((p) => p.split('.'));
  const denied = deny.map((p) => p.split('.'));
  return (raw) => {
    const path = raw.filter((s): s is string => typeof s === 'string');
    if (denied.some((d) => matches(path, d))) return false;
    return allowed.length === 0 || allowed.some((a) => matches(path, a));
  };
}
