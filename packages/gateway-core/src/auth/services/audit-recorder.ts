import type { Context } from 'hono';
import { type AuditAction, type AuditEvent, auditEvent } from '../../security/audit/audit-event.js';
import type { Principal } from '../../security/authn/principal.js';
import { clientIpOf } from '../http/request-context.js';
import type { DbAuditSink } from '../stores/db-audit-sink.js';

/** Who did something: a principal (or just a subject), from where. */
export interface AuditActor {
  principal?: Principal;
  subject?: string;
  ip?: string;
  requestId?: string;
  userAgent?: string;
}

/** What to record. */
export interface AuditInput {
  action: AuditAction;
  outcome?: AuditEvent['outcome'];
  target?: AuditEvent['target'];
  details?: Record<string, unknown>;
}

/**
 * Records audit events (auth events and every admin change) into the audit sink, never failing the request
 * it describes; a no-op when AUDIT_TRAIL_ENABLED is false. Details are redacted by `auditEvent`.
 */
export class AuditRecorder {
  constructor(private readonly sink: DbAuditSink | undefined) {}

  /** The actor of a Hono request (principal, client address, request id, user agent). */
  static actorOf(c: Context, principal?: Principal): AuditActor {
    return {
      ...(principal ? { principal } : {}),
      ip: clientIpOf(c),
      ...(c.res?.headers.get('x-request-id') ? { requestId: c.res.headers.get('x-request-id')! } : {}),
      ...(c.req.header('user-agent') ? { userAgent: c.req.header('user-agent')!.slice(0, 200) } : {}),
    };
  }

  /** Records one event. */
  record(actor: AuditActor, input: AuditInput): void {
    if (!this.sink) return;
    try {
      const p = actor.principal;
      this.sink.write(
        auditEvent({
          action: input.action,
          outcome: input.outcome ?? 'success',
          actor: {
            subject: p?.subject ?? actor.subject ?? 'anonymous',
            ...(p ? { authMethod: p.authMethod } : {}),
            ...(actor.ip ? { ip: actor.ip } : {}),
            ...(actor.userAgent ? { userAgent: actor.userAgent } : {}),
          },
          ...(input.target ? { target: input.target } : {}),
          ...(actor.requestId ? { requestId: actor.requestId } : {}),
          ...(input.details ? { details: input.details } : {}),
        }),
      );
    } catch {
      // Auditing must never fail the request it describes.
    }
  }
}
