/** Size of a resource read result: text as UTF-8 bytes, base64 blobs as decoded bytes. */

/** Bytes of every `text` and `blob` field in `content` (a ReadResourceResult or a contents item). */
export function contentSize(content: unknown): number {
  let total = 0;
  const visit = (node: unknown, depth: number): void => {
    if (depth > 32 || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    if (typeof record.text === 'string') total += Buffer.byteLength(record.text, 'utf8');
    if (typeof record.blob === 'string') total += Math.floor((record.blob.replace(/=+$/, '').length * 3) / 4);
    for (const [key, value] of Object.entries(record))
      if (key !== 'text' && key !== 'blob') visit(value, depth + 1);
  };
  if (typeof content === 'string') return Buffer.byteLength(content, 'utf8');
  visit(content, 0);
  return total;
}
