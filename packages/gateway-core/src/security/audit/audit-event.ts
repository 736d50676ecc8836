import type { AuthMethod } from '../authn/principal.js';
import { redactSecrets } from './redact.js';

/** What happened (auth events and every admin change). Dotted, past tense. */
export type AuditAction =
  | 'auth.login.succeeded'
  | 'auth.login.failed'
  | 'auth.login.locked'
  | 'auth.logout'
  | 'auth.token.rejected'
  | 'auth.permission.denied'
  | 'auth.sso.succeeded'
  | 'auth.sso.failed'
  | 'token.created'
  | 'token.revoked'
  | 'user.created'
  | 'user.updated'
  | 'user.deleted'
  | 'user.password.changed'
  | 'team.created'
  | 'team.updated'
  | 'team.deleted'
  | 'team.member.added'
  | 'team.member.removed'
  | 'role.assigned'
  | 'role.revoked'
  | 'entity.created'
  | 'entity.updated'
  | 'entity.deleted'
  | 'config.changed'
  | 'oauth.authorized'
  | 'oauth.revoked'
  | 'rate_limit.exceeded'
  | 'ssrf.blocked'
  | (string & {});

/** One audit record. Details are redacted before they reach any sink. */
export interface AuditEvent {
  readonly id: string;
  /** ISO-8601 time. */
  readonly timestamp: string;
  readonly action: AuditAction;
  readonly outcome: 'success' | 'failure' | 'denied';
  readonly actor: {
    readonly subject: string;
    readonly authMethod?: AuthMethod;
    readonly ip?: string;
    readonly userAgent?: string;
  };
  /** What was acted on (`{ type: 'tool', id, name }`). */
  readonly target?: { readonly type: string; readonly id?: string; readonly name?: string };
  /** Correlation id of the request. */
  readonly requestId?: string;
  /** Extra facts (field names changed, reason codes). Never secrets: redacted anyway. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * Where audit events go. DB-backed sink: table `audit_events` (`id` pk, `timestamp` indexed, `action`
 * indexed, `outcome`, `actor_subject` indexed, `actor_auth_method`, `actor_ip`, `target_type`, `target_id`,
 * `request_id`, `details` json), append-only, with a retention job. Sinks must not throw into the request
 * path: buffer and report failures through their own channel.
 */
export interface AuditSink {
  write(event: AuditEvent): void | Promise<void>;
}

/** Builds an event with id and timestamp, redacting `details`. */
export function auditEvent(input: Omit<AuditEvent, 'id' | 'timestamp'> & { timestamp?: Date }): AuditEvent {
  const { timestamp, details, ...rest } = input;
  return Object.freeze({
    id: crypto.randomUUID(),
    timestamp: (timestamp ?? new Date()).toISOString(),
    ...rest,
    ...(details ? { details: redactSecrets(details) as Record<string, unknown> } : {}),
  });
}

/** In-memory sink keeping the last `max` events (tests, the admin "recent events" view). */
export class MemoryAuditSink implements AuditSink {
  readonly events: AuditEvent[] = [];
  readonly #max: number;
  constructor(max = 10_000) {
    this.#max = max;
  }
  write(event: AuditEvent): void {
    this.events.push(event);
    if (this.events.length > this.#max) this.events.shift();
  }
}

/** A sink writing one JSON line per event through `log` (e.g. pino's `info`), never throwing. */
export function logAuditSink(log: (line: string) => void): AuditSink {
  return {
    write(event) {
      try {
        log(JSON.stringify({ audit: true, ...event }));
      } catch {
        // An audit logger failure must not fail the request it describes.
      }
    },
  };
}
