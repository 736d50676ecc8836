import { GatewayError } from '../../errors.js';
import type { ApiTokenService } from '../../security/api-tokens/api-token-service.js';
import type { Principal } from '../../security/authn/principal.js';
import { SecurityError } from '../../security/errors.js';
import { checkPermission } from '../../security/rbac/permission-checker.js';
import { isKnownPermission } from '../../security/rbac/permissions.js';
import { teamInScope } from '../authz/visibility.js';
import type { ApiTokenInfo } from '../stores/db-api-token-store.js';
import type { AuditActor } from './audit-recorder.js';
import type { AuthDeps } from './auth-deps.js';

/** A token as the API shows it (ContextForge's TokenResponse; never the secret). */
export interface TokenOutput {
  id: string;
  name: string;
  description: string | null;
  user_email: string;
  team_id: string | null;
  server_id: string | null;
  server_ids: string[] | null;
  resource_scopes: string[];
  ip_restrictions: string[];
  created_at: string;
  expires_at: string | null;
  last_used: string | null;
  is_active: boolean;
  is_revoked: boolean;
  revoked_at: string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  tags: string[];
  display_prefix: string;
}

const when = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/** Maps a stored token to the API shape. */
export function tokenOutput(t: ApiTokenInfo, now = Date.now()): TokenOutput {
  const servers = t.scope.serverIds ? [...t.scope.serverIds] : null;
  return {
    id: t.id,
    name: t.name,
    description: t.description,
    user_email: t.ownerEmail,
    team_id: t.teamId,
    server_id: servers?.length === 1 ? servers[0]! : null,
    server_ids: servers,
    resource_scopes: [...(t.scope.permissions ?? [])],
    ip_restrictions: [...(t.scope.ipRestrictions ?? [])],
    created_at: when(t.createdAt)!,
    expires_at: when(t.expiresAt),
    last_used: when(t.lastUsedAt),
    is_active: t.revokedAt === null && (t.expiresAt === null || t.expiresAt > now),
    is_revoked: t.revokedAt !== null,
    revoked_at: when(t.revokedAt),
    revoked_by: t.revokedBy,
    revocation_reason: t.revocationReason,
    tags: [...t.tags],
    display_prefix: t.displayPrefix,
  };
}

/** What a new token is (ContextForge's TokenCreateRequest). */
export interface NewToken {
  name: string;
  description?: string | null | undefined;
  expires_in_days?: number | null | undefined;
  team_id?: string | null | undefined;
  tags?: string[] | undefined;
  scope?:
    | {
        server_id?: string | string[] | null | undefined;
        permissions?: string[] | undefined;
        ip_restrictions?: string[] | undefined;
      }
    | null
    | undefined;
}

/**
 * API token administration (`/v1/tokens`): users create tokens for themselves (shown once), scoped to a
 * team they belong to, to servers, to permissions they hold themselves, and to client networks; list,
 * rename and revoke them. Revocation reaches every replica's credential cache at once.
 */
export class TokenService {
  constructor(
    private readonly d: AuthDeps,
    private readonly tokens: ApiTokenService,
  ) {}

  /**
   * Issues a token for the caller.
   * @throws SecurityError FORBIDDEN (no user account, API-token caller, team or permission not held),
   *   VALIDATION_FAILED (bad scope)
   */
  async create(
    principal: Principal,
    input: NewToken,
    actor: AuditActor,
  ): Promise<{ token: string; info: ApiTokenInfo }> {
    if (principal.authMethod === 'api_token')
      throw new SecurityError('FORBIDDEN', 'API tokens cannot create API tokens; sign in to create one');
    const email = principal.email;
    if (!email || !(await this.d.users.find(email)))
      throw new SecurityError(
        'FORBIDDEN',
        'API tokens belong to user accounts; this credential names no user',
      );
    const teamId = input.team_id ?? null;
    if (teamId !== null && !teamInScope(principal, teamId))
      throw new SecurityError('FORBIDDEN', `team_id: you are not a member of team '${teamId}'`, {
        field: 'team_id',
      });
    const permissions = input.scope?.permissions ?? [];
    permissions.forEach((p, i) => {
      if (!isKnownPermission(p))
        throw new GatewayError('VALIDATION_FAILED', `scope.permissions.${i}: unknown permission '${p}'`, {
          field: `scope.permissions.${i}`,
        });
      // A token never carries more than its creator holds (in its team, when it has one).
      const held =
        p === '*'
          ? principal.isAdmin
          : checkPermission(this.d.catalog.map, principal, p, teamId ? { teamId } : {}).allowed;
      if (!held)
        throw new SecurityError('FORBIDDEN', `scope.permissions.${i}: you do not hold '${p}'`, {
          field: `scope.permissions.${i}`,
        });
    });
    const server = input.scope?.server_id;
    const serverIds =
      server === undefined || server === null ? null : Array.isArray(server) ? server : [server];
    const max = this.d.config.TOKEN_MAX_LIFETIME_DAYS;
    if (max > 0 && (input.expires_in_days ?? max + 1) > max)
      throw new GatewayError(
        'VALIDATION_FAILED',
        `expires_in_days: at most ${max} days are allowed (TOKEN_MAX_LIFETIME_DAYS)`,
        { field: 'expires_in_days' },
      );
    const existing = await this.d.apiTokens.list({ ownerEmail: email, limit: 1000, offset: 0 });
    if (existing.some((t) => t.name === input.name.trim()))
      throw new GatewayError('CONFLICT', `you already have a token named '${input.name}'`, { field: 'name' });
    const { token, record } = await this.tokens.issue({
      name: input.name,
      ownerEmail: email,
      teamId,
      scope: { serverIds, permissions, ipRestrictions: input.scope?.ip_restrictions ?? [] },
      expiresInDays: input.expires_in_days ?? null,
    });
    // issue() stored the record; add the descriptive fields.
    await this.d.apiTokens.updateMeta(record.id, {
      description: input.description ?? null,
      tags: input.tags ?? [],
    });
    this.d.audit.record(actor, {
      action: 'token.created',
      target: { type: 'api_token', id: record.id, name: record.name },
      details: { team_id: teamId, server_ids: serverIds, permissions, expires_at: record.expiresAt },
    });
    return { token, info: (await this.d.apiTokens.get(record.id))! };
  }

  /** The caller's tokens (live ones unless `includeInactive`). */
  list(
    principal: Principal,
    o: { limit: number; offset: number; includeInactive: boolean },
  ): Promise<ApiTokenInfo[]> {
    if (!principal.email) return Promise.resolve([]);
    return this.d.apiTokens.list({ ownerEmail: principal.email, ...o });
  }

  /** Every token (admins), or those of one team. */
  listAll(o: {
    limit: number;
    offset: number;
    includeInactive: boolean;
    teamId?: string | undefined;
  }): Promise<ApiTokenInfo[]> {
    return this.d.apiTokens.list(o);
  }

  /**
   * One token of the caller (admins: any).
   * @throws GatewayError NOT_FOUND (also for other users' tokens)
   */
  async get(principal: Principal, id: string): Promise<ApiTokenInfo> {
    const t = await this.d.apiTokens.get(id);
    if (!t || (t.ownerEmail !== principal.email && !principal.isAdmin))
      throw new GatewayError('NOT_FOUND', `token '${id}' not found`);
    return t;
  }

  /** Renames or re-describes a live token of the caller. */
  async update(
    principal: Principal,
    id: string,
    changes: {
      name?: string | undefined;
      description?: string | null | undefined;
      tags?: string[] | undefined;
    },
    actor: AuditActor,
  ): Promise<ApiTokenInfo> {
    const t = await this.get(principal, id);
    if (t.revokedAt !== null) throw new GatewayError('CONFLICT', `token '${id}' is revoked`);
    await this.d.apiTokens.updateMeta(id, changes);
    this.d.audit.record(actor, {
      action: 'token.updated',
      target: { type: 'api_token', id },
      details: { changed: Object.keys(changes) },
    });
    return (await this.d.apiTokens.get(id))!;
  }

  /** Revokes a token of the caller (admins: any); every replica stops accepting it at once. */
  async revoke(
    principal: Principal,
    id: string,
    reason: string | undefined,
    actor: AuditActor,
  ): Promise<void> {
    const t = await this.get(principal, id);
    await this.d.apiTokens.revokeWithReason(id, Date.now(), principal.email ?? principal.subject, reason);
    await this.d.bus.publish({ kind: 'token', id: t.id });
    this.d.audit.record(actor, {
      action: 'token.revoked',
      target: { type: 'api_token', id, name: t.name },
      details: { reason: reason ?? null, owner: t.ownerEmail },
    });
  }
}
