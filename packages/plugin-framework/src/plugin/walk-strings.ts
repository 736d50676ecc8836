/**
 * Visits every string inside a JSON-like value (tool arguments, results, prompt messages, resource
 * contents) and rebuilds only the containers on the path to a changed string (copy-on-write), so
 * an unchanged payload comes back as the very same object.
 *
 * Binary MCP content is skipped by default: `data` of `{ type: "image" | "audio" }` blocks and
 * `blob` fields are base64, not text.
 */

/** Called for each string; returns the replacement, or `undefined` to keep it. */
export type StringVisitor = (value: string, path: readonly (string | number)[]) => string | undefined;

/** Limits and filters of a walk. */
export interface WalkOptions {
  /** Deepest nesting visited (default 64); deeper values throw `RangeError`. */
  maxDepth?: number;
  /** Most strings + containers visited (default 1,000,000); more throws `RangeError`. */
  maxItems?: number;
  /** Most entries in one array or object (default unlimited); more throws `RangeError`. */
  maxCollectionItems?: number;
  /** Skip base64 fields of binary content (default true). */
  skipBinary?: boolean;
}

/** The walked value (the same object when nothing changed) and whether anything changed. */
export interface WalkResult<T> {
  value: T;
  changed: boolean;
}

/**
 * Walks `value`, calling `visit` for every string in document order (object keys in insertion
 * order, then array order). Object keys themselves are not visited.
 *
 * @throws RangeError when `maxDepth` or `maxItems` is exceeded (callers turn it into a violation)
 */
export function walkStrings<T>(value: T, visit: StringVisitor, options: WalkOptions = {}): WalkResult<T> {
  const maxDepth = options.maxDepth ?? 64;
  const maxItems = options.maxItems ?? 1_000_000;
  const skipBinary = options.skipBinary ?? true;
  const maxCollection = options.maxCollectionItems ?? Number.POSITIVE_INFINITY;
  let items = 0;
  let changed = false;
  const path: (string | number)[] = [];

  const walk = (node: unknown, depth: number): unknown => {
    if (++items > maxItems) throw new RangeError(`payload has more than ${maxItems} values`);
    if (typeof node === 'string') {
      const replacement = visit(node, path);
      if (replacement === undefined || replacement === node) return node;
      changed = true;
      return replacement;
    }
    if (node === null || typeof node !== 'object') return node;
    if (depth >= maxDepth) throw new RangeError(`payload is nested deeper than ${maxDepth} levels`);
    if (Array.isArray(node)) {
      if (node.length > maxCollection)
        throw new RangeError(`an array holds more than ${maxCollection} items`);
      let copy: unknown[] | undefined;
      for (let i = 0; i < node.length; i++) {
        path.push(i);
        const next = walk(node[i], depth + 1);
        path.pop();
        if (next !== node[i]) {
          copy ??= node.slice();
          copy[i] = next;
        }
      }
      return copy ?? node;
    }
    const record = node as Record<string, unknown>;
    const binary = skipBinary && (record.type === 'image' || record.type === 'audio');
    let copy: Record<string, unknown> | undefined;
    const keys = Object.keys(record);
    if (keys.length > maxCollection)
      throw new RangeError(`an object holds more than ${maxCollection} entries`);
    for (const key of keys) {
      if (skipBinary && (key === 'blob' || (binary && key === 'data'))) continue;
      path.push(key);
      const next = walk(record[key], depth + 1);
      path.pop();
      if (next !== record[key]) {
        copy ??= { ...record };
        copy[key] = next;
      }
    }
    return copy ?? node;
  };

  const result = walk(value, 0) as T;
  return { value: result, changed };
}
