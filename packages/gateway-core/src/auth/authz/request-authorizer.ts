import type { Context } from 'hono';
import { GatewayError } from '../../errors.js';
import type { GatewayServices } from '../../gateway.js';
import type { RouteInput } from '../../http/hooks.js';
import type { RouteDef } from '../../http/route-def.js';
import type { Principal } from '../../security/authn/principal.js';
import { isSecurityError, SecurityError } from '../../security/errors.js';
import { checkPermission } from '../../security/rbac/permission-checker.js';
import type { SsrfGuard } from '../../security/ssrf/ssrf-guard.js';
import type { ToolArgumentValidator } from '../../security/validation/tool-argument-validator.js';
import { withChallenge } from '../authn/authenticator.js';
import { principalOf } from '../http/request-context.js';
import { AuditRecorder } from '../services/audit-recorder.js';
import type { UpstreamCredentials } from '../services/upstream-credentials.js';
import type { TeamStore } from '../stores/team-store.js';
import { type GuardedEntity, guardAssignment, guardEntity } from './entity-guard.js';
import type { RoleCatalog } from './role-catalog.js';
import { canSee } from './visibility.js';

/** Pseudo-permission of routes any authenticated caller may use on their own account (`/auth/me`, …). */
export const SELF_PERMISSION = 'self';

/** Registry entity kinds the object-level checks cover, by the path segment after `/v1/`. */
const KINDS = {
  tools: 'tool',
  resources: 'resource',
  prompts: 'prompt',
  gateways: 'gateway',
  servers: 'server',
} as const;
type Kind = keyof typeof KINDS;

/** Options of {@link RequestAuthorizer}. */
export interface RequestAuthorizerOptions {
  catalog: RoleCatalog;
  services: GatewayServices;
  teams: TeamStore;
  guard: SsrfGuard;
  /** Compiles tool input schemas at registration (a broken schema is refused with 422). */
  validator: ToolArgumentValidator;
  credentials: UpstreamCredentials;
  audit: AuditRecorder;
  /** RFC 9728 metadata URL of the gateway for a request (for 401 challenges). */
  metadataUrl: (c: Context) => string;
  scopes: readonly string[];
}

type Body = Record<string, unknown> & { team_id?: string | null; owner_email?: string | null };

/**
 * The gateway's `authorize` and `authorizeRequest` hooks:
 * - `authorize(c, permission)` (before the body is read): 401 with a `WWW-Authenticate` challenge without
 *   credentials (AUTH_REQUIRED, or an action anonymous callers may not take), 403 unless the caller holds
 *   the permission in some scope;
 * - `authorizeRequest(c, route, input)` (after validation): for registry routes, the targeted entity must
 *   be visible (else 404) and the permission held in its team; create/update bodies may only assign teams
 *   the caller belongs to (a create defaults to the caller's personal team) and owners other than
 *   themselves only for admins; URLs pass the SSRF guard; STDIO gateways need a platform admin;
 *   tool input schemas must compile; virtual servers may only bundle entities the caller can see.
 */
export class RequestAuthorizer {
  constructor(private readonly o: RequestAuthorizerOptions) {}

  /** The route-level hook. */
  authorize = async (c: Context, permission: string): Promise<void> => {
    c.set('permission', permission);
    const p = principalOf(c);
    if (p.authMethod === 'anonymous') {
      if (permission !== SELF_PERMISSION && checkPermission(this.o.catalog.map, p, permission).allowed)
        return;
      const message =
        p.roles.length > 0 ? `authentication required for '${permission}'` : 'authentication required';
      throw withChallenge(
        new SecurityError('UNAUTHENTICATED', message),
        this.o.metadataUrl(c),
        this.o.scopes,
      );
    }
    if (permission === SELF_PERMISSION) return;
    const d = checkPermission(this.o.catalog.map, p, permission);
    if (d.allowed) return;
    this.#denied(c, p, permission, d.reason);
    throw d.reason === 'no-role'
      ? new SecurityError('FORBIDDEN', `permission '${permission}' required`, { details: { permission } })
      : new SecurityError('SCOPE_DENIED', `token scope does not include permission '${permission}'`, {
          details: { permission, reason: d.reason },
        });
  };

  /** The object-level hook. */
  authorizeRequest = async (c: Context, route: RouteDef, input: RouteInput): Promise<void> => {
    if (input.params && typeof input.params === 'object')
      c.set('routeParams', input.params as Record<string, unknown>);
    const kind = route.path.split('/')[2] as Kind;
    if (!route.path.startsWith('/v1/') || !(kind in KINDS) || route.permission === null) {
      if (route.path === '/v1/import' && input.body) await this.#checkBundleUrls(input.body as Body);
      return;
    }
    const p = principalOf(c);
    const params = (input.params ?? {}) as { id?: string };
    const body = input.body as Body | undefined;
    try {
      if (params.id !== undefined) {
        const entity = await this.#load(kind, params.id, route);
        // A credential limited to some virtual servers reaches no other server through the REST API either.
        guardEntity(
          this.o.catalog.map,
          p,
          route.permission,
          entity,
          KINDS[kind],
          kind === 'servers' ? entity.id : undefined,
        );
        if (body && route.method === 'PUT')
          await this.#checkBody(p, kind, route.permission, body, false, entity);
      } else if (body && route.method === 'POST') {
        await this.#checkBody(p, kind, route.permission, body, true);
      }
    } catch (error) {
      if (isSecurityError(error) && error.status === 403) this.#denied(c, p, route.permission, error.code);
      throw error;
    }
  };

  async #checkBody(
    p: Principal,
    kind: Kind,
    permission: string,
    body: Body,
    creating: boolean,
    before?: GuardedEntity & { url?: string | null },
  ): Promise<void> {
    const defaultTeam =
      creating && !p.isAdmin && p.email ? (await this.o.teams.personalTeamOf(p.email))?.id : undefined;
    const teamWanted = body.team_id;
    guardAssignment(this.o.catalog.map, p, permission, body, { creating, defaultTeam: defaultTeam ?? null });
    if (typeof teamWanted === 'string' && !(await this.o.teams.get(teamWanted))) {
      throw new GatewayError(
        'UNPROCESSABLE',
        `team_id refers to team '${teamWanted}', which does not exist`,
        { field: 'team_id' },
      );
    }
    if (typeof body.url === 'string') await this.#checkUrl(body.url, 'url');
    const oauth = body.oauth_config as Record<string, unknown> | undefined;
    for (const key of ['issuer', 'authorization_url', 'token_url'] as const) {
      if (oauth && typeof oauth[key] === 'string')
        await this.#checkUrl(oauth[key] as string, `oauth_config.${key}`);
    }
    if (kind === 'gateways') {
      if ((body.transport === 'STDIO' || typeof body.command === 'string') && !p.isAdmin) {
        throw new SecurityError(
          'FORBIDDEN',
          'transport: only platform administrators may register STDIO gateways (they run commands on the gateway host)',
          {
            field: 'transport',
          },
        );
      }
      if (body.auth_type === 'query_param') {
        this.o.credentials.assertQueryParamAllowed((body.url as string | undefined) ?? before?.url ?? null);
      }
    }
    if (kind === 'tools' && body.input_schema !== undefined && body.input_schema !== null) {
      this.o.validator.compile(body.input_schema, 'input_schema');
    }
    if (kind === 'servers') await this.#checkMembers(p, body);
  }

  async #checkMembers(p: Principal, body: Body): Promise<void> {
    const s = this.o.services;
    const lists: Array<[string, unknown, (ref: string) => Promise<GuardedEntity | undefined>]> = [
      [
        'associated_tools',
        body.associated_tools,
        async (r) => (await s.tools.get(r).catch(() => undefined)) ?? (await s.tools.findByName(r)),
      ],
      [
        'associated_resources',
        body.associated_resources,
        async (r) => (await s.resources.get(r).catch(() => undefined)) ?? (await s.resources.findByUri(r)),
      ],
      [
        'associated_prompts',
        body.associated_prompts,
        async (r) => (await s.prompts.get(r).catch(() => undefined)) ?? (await s.prompts.findByName(r)),
      ],
    ];
    for (const [field, refs, find] of lists) {
      if (!Array.isArray(refs)) continue;
      for (const [i, raw] of refs.entries()) {
        const ref = typeof raw === 'string' ? raw : (raw as { id: string }).id;
        const entity = await find(ref);
        // An entity the caller cannot see is reported exactly like a missing one.
        if (entity && !canSee(p, entity)) {
          const what = field.replace('associated_', '').replace(/s$/, '');
          throw new GatewayError(
            'UNPROCESSABLE',
            `${field}.${i} refers to ${what} '${ref}', which does not exist`,
            { field: `${field}.${i}` },
          );
        }
      }
    }
  }

  async #checkBundleUrls(bundle: Body): Promise<void> {
    const entities = (bundle.entities ?? {}) as Record<string, unknown>;
    for (const type of ['gateways', 'tools'] as const) {
      const list = entities[type];
      if (!Array.isArray(list)) continue;
      for (const [i, e] of list.entries()) {
        const url = (e as { url?: unknown })?.url;
        if (typeof url === 'string') await this.#checkUrl(url, `entities.${type}.${i}.url`);
      }
    }
  }

  /**
   * SSRF check of a URL being registered: scheme, literal and special addresses, and what the name
   * resolves to now. A name that does not resolve yet is accepted here: every connection is checked
   * again (fail closed) when it is made.
   */
  async #checkUrl(url: string, field: string): Promise<void> {
    try {
      await this.o.guard.checkUrl(url, field);
    } catch (error) {
      if (isSecurityError(error) && (error.details as { reason?: string } | undefined)?.reason === 'dns')
        return;
      throw error;
    }
  }

  async #load(kind: Kind, id: string, route: RouteDef): Promise<GuardedEntity & { url?: string | null }> {
    const s = this.o.services;
    switch (kind) {
      case 'tools':
        return s.tools.get(id);
      case 'resources':
        return s.resources.get(id);
      case 'gateways':
        return s.gateways.get(id);
      case 'servers':
        return s.servers.get(id);
      case 'prompts':
        // The render route (POST /v1/prompts/{id}) also accepts a name, as ContextForge's did.
        return s.prompts.get(id).catch(async (error: unknown) => {
          const byName = route.method === 'POST' ? await s.prompts.findByName(id) : undefined;
          if (!byName) throw error;
          return byName;
        });
    }
  }

  #denied(c: Context, p: Principal, permission: string, reason: string): void {
    this.o.audit.record(AuditRecorder.actorOf(c, p), {
      action: 'auth.permission.denied',
      outcome: 'denied',
      details: { permission, reason, method: c.req.method, path: c.req.path },
    });
  }
}
