/**
 * Turns zod issues into one-line messages: `plugins[1] "deny": mode: must be one of … (received
 * "enforcing")`.
 */
import type { z } from 'zod';

/** Formats one issue; `prefix` names the entry ("plugins[1] \"deny\""). */
export function formatIssue(issue: z.core.$ZodIssue, prefix?: string): string {
  const path = issue.path.map((p, i) =>
    typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`,
  );
  const where = [prefix, path.join('')].filter((s) => s && s.length > 0).join(': ');
  const received = describeReceived((issue as { input?: unknown }).input, issue.code);
  return `${where ? `${where}: ` : ''}${issue.message}${received}`;
}

function describeReceived(input: unknown, code: string): string {
  if (code === 'unrecognized_keys' || code === 'invalid_type') return '';
  if (input === undefined) return '';
  if (typeof input === 'string')
    return ` (received ${JSON.stringify(input.length > 80 ? `${input.slice(0, 77)}...` : input)})`;
  if (typeof input === 'number' || typeof input === 'boolean' || input === null)
    return ` (received ${String(input)})`;
  return '';
}
