import { randomUUID } from 'node:crypto';
import type { GlobalContext } from '@contextforge/plugin-framework';
import type { RequestContext } from '../mcp/types.js';

/** What the global context says about the entity a request targets. */
export interface TargetEntity {
  id: string;
  team_id?: string | null;
  gateway_id?: string | null;
  mime_type?: string | null;
}

const REQUEST_ID = /^[\w.:/-]{1,128}$/;

/**
 * The plugin global context of one MCP request (ContextForge's `GlobalContext`):
 * - `requestId`: the client's `X-Request-ID` when it sent a well-formed one, else a fresh UUID (JSON-RPC ids
 *   repeat across clients, so they travel in `metadata.jsonrpc_id` instead);
 * - `user`: the principal's email (its subject when it has none); with `plugin_settings.include_user_info`,
 *   an object `{ email, subject, is_admin, auth_method, teams }`;
 * - `tenantId`: the caller's team when the credential is scoped to exactly one team, else the owning team of
 *   the tool, prompt or resource (unset for public, team-less entities);
 * - `serverId`: the virtual server of `/servers/{id}/mcp` (unset on `/mcp`);
 * - `metadata`: `jsonrpc_id`, `protocol_version`, the entity's `entity_id` / `gateway_id`, and
 *   `content_type` (a resource's MIME type, which `conditions.content_types` matches).
 */
export function globalContextOf(
  ctx: RequestContext,
  entity: TargetEntity,
  includeUserInfo: boolean,
): GlobalContext {
  const p = ctx.principal;
  const header = ctx.headers?.['x-request-id'];
  const sent = Array.isArray(header) ? header[0] : header;
  const teams = p.teams.kind === 'teams' ? p.teams.teamIds : [];
  const tenantId = teams.length === 1 ? teams[0] : (entity.team_id ?? undefined);
  const metadata: Record<string, unknown> = {
    jsonrpc_id: ctx.requestId,
    protocol_version: ctx.protocolVersion,
    entity_id: entity.id,
  };
  if (entity.gateway_id) metadata.gateway_id = entity.gateway_id;
  if (entity.mime_type) metadata.content_type = entity.mime_type;
  return {
    requestId: sent && REQUEST_ID.test(sent) ? sent : randomUUID(),
    user: includeUserInfo
      ? {
          email: p.email ?? p.subject,
          subject: p.subject,
          is_admin: p.isAdmin,
          auth_method: p.authMethod,
          teams: p.teams.kind === 'teams' ? [...p.teams.teamIds] : p.teams.kind,
        }
      : (p.email ?? p.subject),
    ...(tenantId ? { tenantId } : {}),
    ...(ctx.scope.kind === 'server' ? { serverId: ctx.scope.serverId } : {}),
    state: {},
    metadata,
  };
}
