import type { z } from 'zod';
import { GatewayError } from '../errors.js';

/**
 * Converts a zod failure into one `GatewayError` naming the first offending field: unknown fields as
 * "unknown field 'x'", everything else as "<field>: <what was expected>".
 */
export function zodToGatewayError(error: z.ZodError, where: 'body' | 'query' | 'path'): GatewayError {
  const issue = error.issues[0];
  if (!issue) return new GatewayError('VALIDATION_FAILED', `invalid request ${where}`);
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') {
    const field = [...path, issue.keys[0] ?? ''].join('.');
    const names = issue.keys.map((k) => `'${k}'`).join(', ');
    return new GatewayError(
      'VALIDATION_FAILED',
      `unknown field${issue.keys.length > 1 ? 's' : ''} ${names}${path.length ? ` in ${path.join('.')}` : ''} (request ${where})`,
      { field, details: { issues: summarise(error) } },
    );
  }
  const field = path.join('.');
  const message = field ? `${field}: ${issue.message}` : `request ${where}: ${issue.message}`;
  return new GatewayError('VALIDATION_FAILED', message, {
    ...(field ? { field } : {}),
    details: { issues: summarise(error) },
  });
}

function summarise(error: z.ZodError): Array<{ field: string; message: string }> {
  return error.issues.slice(0, 20).map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}
