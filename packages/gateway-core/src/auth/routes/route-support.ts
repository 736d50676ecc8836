import type { Context } from 'hono';
import { z } from 'zod';
import { GatewayError } from '../../errors.js';
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

/**
 * Query fields of an authorization response arriving at a redirect URI (RFC 6749 §4.1.2, with the
 * RFC 9207 `iss`), all optional so that a provider's error answer is reported rather than refused.
 */
export const authorizationResponseFields = {
  state: z.string().min(1).max(256).optional(),
  code: z.string().min(1).max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
};

/**
 * Fails a callback that carries no usable code: the server answered an error, or sent no code or state.
 *
 * @param from who answered, as the message starts: `oauth: the authorization server`
 * @throws GatewayError BAD_REQUEST naming the server's error (field `error`) or the missing code (`code`)
 */
export function assertAuthorizationCode<
  Q extends { state?: string; code?: string; error?: string; error_description?: string },
>(query: Q, from: string): asserts query is Q & { state: string; code: string } {
  if (query.error || !query.state || !query.code) {
    throw new GatewayError(
      'BAD_REQUEST',
      `${from} answered ${query.error ?? 'without a code'}${query.error_description ? ` (${query.error_description})` : ''}`,
      {
        field: query.error ? 'error' : 'code',
      },
    );
  }
}
