import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../../registry/common/json-column.js';
import type { AuditEvent, AuditSink } from '../../security/audit/audit-event.js';
import type { AuditEventsTable } from '../db/auth-schema.js';
import { iso, type StoreContext } from './store-context.js';

/** Options of {@link DbAuditSink}. */
export interface DbAuditSinkOptions {
  /** Flush this often; default 1 000 ms. */
  flushIntervalMs?: number;
  /** Flush as soon as this many events wait; default 100. */
  batchSize?: number;
  /** Events kept in memory at most while the database is failing (oldest dropped); default 10 000. */
  maxPending?: number;
  /** Receives write failures (never thrown into requests). */
  onError?: (error: unknown, dropped: number) => void;
}

/** Which audit events to read. */
export interface AuditQuery {
  action?: string;
  actor?: string;
  targetType?: string;
  targetId?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

const clip = (s: string | undefined, n: number) => (s === undefined ? null : s.slice(0, n));

function toRow(e: AuditEvent): Selectable<AuditEventsTable> {
  return {
    id: e.id,
    timestamp: e.timestamp,
    action: e.action.slice(0, 64),
    outcome: e.outcome,
    actor_subject: e.actor.subject.slice(0, 320),
    actor_auth_method: e.actor.authMethod ?? null,
    actor_ip: clip(e.actor.ip, 64),
    target_type: clip(e.target?.type, 64),
    target_id: clip(e.target?.id, 255),
    target_name: clip(e.target?.name, 255),
    request_id: clip(e.requestId, 128),
    details: e.details ? toJson(e.details) : null,
  };
}

function fromRow(r: Selectable<AuditEventsTable>): AuditEvent {
  return {
    id: r.id,
    timestamp: r.timestamp,
    action: r.action,
    outcome: r.outcome as AuditEvent['outcome'],
    actor: {
      subject: r.actor_subject,
      ...(r.actor_auth_method
        ? { authMethod: r.actor_auth_method as NonNullable<AuditEvent['actor']['authMethod']> }
        : {}),
      ...(r.actor_ip ? { ip: r.actor_ip } : {}),
    },
    ...(r.target_type
      ? {
          target: {
            type: r.target_type,
            ...(r.target_id ? { id: r.target_id } : {}),
            ...(r.target_name ? { name: r.target_name } : {}),
          },
        }
      : {}),
    ...(r.request_id ? { requestId: r.request_id } : {}),
    ...(r.details ? { details: fromJson<Record<string, unknown>>(r.details, {}) } : {}),
  };
}

/**
 * Append-only audit trail in `audit_events`. `write` only queues (the request never waits for or fails
 * on the audit write); a timer and a batch-size trigger insert queued events in one statement; failed
 * batches are retried, and under a sustained outage the oldest events are dropped and reported.
 */
export class DbAuditSink implements AuditSink {
  #pending: AuditEvent[] = [];
  #flushing: Promise<void> | undefined;
  readonly #timer: NodeJS.Timeout;
  readonly #o: Required<Omit<DbAuditSinkOptions, 'onError'>>;
  readonly #onError: (error: unknown, dropped: number) => void;

  constructor(
    private readonly ctx: StoreContext,
    options: DbAuditSinkOptions = {},
  ) {
    this.#o = {
      flushIntervalMs: options.flushIntervalMs ?? 1000,
      batchSize: options.batchSize ?? 100,
      maxPending: options.maxPending ?? 10_000,
    };
    this.#onError = options.onError ?? (() => {});
    this.#timer = setInterval(() => void this.flush(), this.#o.flushIntervalMs);
    this.#timer.unref();
  }

  write(event: AuditEvent): void {
    this.#pending.push(event);
    if (this.#pending.length > this.#o.maxPending) {
      const dropped = this.#pending.length - this.#o.maxPending;
      this.#pending.splice(0, dropped);
      this.#onError(new Error('audit queue full'), dropped);
    }
    if (this.#pending.length >= this.#o.batchSize) void this.flush();
  }

  /** Writes everything queued (waits for a flush already running first). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#flushing = (async () => {
      try {
        for (let i = 0; i < batch.length; i += 200) {
          await this.ctx.db
            .insertInto('audit_events')
            .values(batch.slice(i, i + 200).map(toRow))
            .execute();
        }
      } catch (error) {
        this.#pending = [...batch, ...this.#pending].slice(-this.#o.maxPending);
        this.#onError(error, 0);
      } finally {
        this.#flushing = undefined;
      }
    })();
    await this.#flushing;
  }

  /** Stops the timer and writes what is queued. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  /** Events, newest first (flushes queued ones first so a reader sees its own changes). */
  async query(q: AuditQuery): Promise<AuditEvent[]> {
    await this.flush();
    let sel = this.ctx.db.selectFrom('audit_events').selectAll();
    if (q.action)
      sel = q.action.endsWith('*')
        ? sel.where('action', 'like', `${q.action.slice(0, -1)}%`)
        : sel.where('action', '=', q.action);
    if (q.actor) sel = sel.where('actor_subject', '=', q.actor);
    if (q.targetType) sel = sel.where('target_type', '=', q.targetType);
    if (q.targetId) sel = sel.where('target_id', '=', q.targetId);
    if (q.since) sel = sel.where('timestamp', '>=', q.since);
    if (q.until) sel = sel.where('timestamp', '<', q.until);
    const rows = await sel
      .orderBy('timestamp', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit)
      .offset(q.offset)
      .execute();
    return rows.map(fromRow);
  }

  /** Deletes events older than `before` (epoch ms); returns how many. */
  async purge(before: number): Promise<number> {
    const result = await this.ctx.db
      .deleteFrom('audit_events')
      .where('timestamp', '<', iso(before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
