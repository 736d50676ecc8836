import { z } from 'zod';
import { GatewayError } from '../../errors.js';
import { defineRoute, type RouteDef } from '../../http/route-def.js';
import type { DbAuditSink } from '../stores/db-audit-sink.js';
import { pageQuery } from './route-support.js';

/**
 * The audit trail (ContextForge's `/api/logs/audit-trails`): every admin change and authentication event,
 * newest first, for holders of `admin.security_audit`.
 */
export function auditRoutes(sink: DbAuditSink | undefined): RouteDef[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/api/logs/audit-trails',
      permission: 'admin.security_audit',
      tag: 'Audit',
      summary:
        'Audit events (filters: action, with a trailing * as prefix; actor; target_type; target_id; since/until ISO times)',
      query: pageQuery.extend({
        action: z.string().max(64).optional(),
        actor: z.string().max(320).optional(),
        target_type: z.string().max(64).optional(),
        target_id: z.string().max(255).optional(),
        since: z.iso.datetime().optional(),
        until: z.iso.datetime().optional(),
      }),
      handler: async ({ query }) => {
        if (!sink)
          throw new GatewayError('NOT_FOUND', 'the audit trail is disabled (AUDIT_TRAIL_ENABLED=false)');
        const events = await sink.query({
          limit: query.limit,
          offset: query.offset,
          ...(query.action ? { action: query.action } : {}),
          ...(query.actor ? { actor: query.actor } : {}),
          ...(query.target_type ? { targetType: query.target_type } : {}),
          ...(query.target_id ? { targetId: query.target_id } : {}),
          ...(query.since ? { since: new Date(query.since).toISOString() } : {}),
          ...(query.until ? { until: new Date(query.until).toISOString() } : {}),
        });
        return { body: { events, limit: query.limit, offset: query.offset } };
      },
    }),
  ];
}
