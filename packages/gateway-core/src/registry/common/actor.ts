import type { CommonColumns } from '../../db/schema.js';

/** Who is making a change, and through which channel, for the audit columns. */
export interface Actor {
  /** E-mail (or name) of the authenticated user; null until authentication is configured. */
  user: string | null;
  /** Channel: `api`, `import`, `discovery`, `cli`, … */
  via: string;
  /** Set for every entity an import creates or updates. */
  importBatchId?: string;
}

/** The actor of unauthenticated REST calls and of library callers that pass none. */
export const ANONYMOUS_API_ACTOR: Actor = { user: null, via: 'api' };

/** The current time as stored: ISO-8601 UTC with milliseconds. */
export function nowIso(): string {
  return new Date().toISOString();
}

type Audit = Pick<
  CommonColumns,
  | 'created_at'
  | 'updated_at'
  | 'created_by'
  | 'created_via'
  | 'modified_by'
  | 'modified_via'
  | 'import_batch_id'
  | 'version'
>;

/** Audit columns of a newly created entity. */
export function createdAudit(actor: Actor, now = nowIso()): Audit {
  return {
    created_at: now,
    updated_at: now,
    created_by: actor.user,
    created_via: actor.via,
    modified_by: actor.user,
    modified_via: actor.via,
    import_batch_id: actor.importBatchId ?? null,
    version: 1,
  };
}

/** Audit columns of an update (the version is bumped from `previousVersion`). */
export function updatedAudit(actor: Actor, previousVersion: number, now = nowIso()) {
  return {
    updated_at: now,
    modified_by: actor.user,
    modified_via: actor.via,
    version: previousVersion + 1,
    ...(actor.importBatchId ? { import_batch_id: actor.importBatchId } : {}),
  };
}
