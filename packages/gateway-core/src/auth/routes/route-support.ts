import type { Context } from 'hono';
import { z } from 'zod';
import type { Principal } from '../../security/authn/principal.js';
import { principalOf } from '../http/request-context.js';
import { type AuditActor, AuditRecorder } from '../services/audit-recorder.js';

/** The caller and audit actor of a request whose handler audits its own changes. */
export function caller(c: Context): { p: Principal; actor: AuditActor } {
  const p = principalOf(c);
  c.set('audited', true);
  return { p, actor: AuditRecorder.actorOf(c, p) };
}

/** `?limit=&offset=` of the account-administration lists. */
export const pageQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** An email path or body field (normalised to lower case). */
export const emailField = z
  .email()
  .max(320)
  .transform((e) => e.trim().toLowerCase());

/** `{ email }` path parameters. */
export const emailParams = z.object({ email: emailField }).strict();

/** `{ id }` path parameters. */
export const idParam = z.object({ id: z.string().min(1).max(255) }).strict();

/** A success answer without a body of its own. */
export const ok = (message: string) => ({ body: { success: true, message } });
