import type { Context } from 'hono';
import { type Actor, ANONYMOUS_API_ACTOR } from '../registry/common/actor.js';
import type { RouteDef } from './route-def.js';

/**
 * Decides whether the caller of a request may use `permission` (ContextForge names: `tools.read`,
 * `tools.create`, `servers.update`, `admin.export`, …). Throw a `GatewayError` with code `UNAUTHORIZED`
 * or `FORBIDDEN` to refuse; return to allow.
 */
export type AuthorizeHook = (c: Context, permission: string) => void | Promise<void>;

/** Names the user behind a request for the audit columns (`created_by`, `modified_by`). */
export type ActorHook = (c: Context) => Actor | Promise<Actor>;

/** A request's validated input, as the handler will receive it. */
export interface RouteInput {
  params: unknown;
  query: unknown;
  body: unknown;
}

/**
 * Second authorization phase, after validation and before the handler: sees the route and its validated
 * input, so it can check the entity a request targets (visibility, owning team), the team a body assigns,
 * or a URL it registers. It may complete the body in place (e.g. default `team_id`). Throw to refuse.
 */
export type AuthorizeRequestHook = (c: Context, route: RouteDef, input: RouteInput) => void | Promise<void>;

/** Extension points the security layer plugs into. */
export interface GatewayHooks {
  authorize: AuthorizeHook;
  actor: ActorHook;
  /** Optional object-level check (see {@link AuthorizeRequestHook}). */
  authorizeRequest?: AuthorizeRequestHook;
}

/**
 * The default `authorize`: allows everything.
 *
 * SECURITY: until an authentication layer supplies a real hook, every REST route is open to anyone who
 * can reach the port. That is why `HOST` defaults to 127.0.0.1; do not bind a public interface without
 * configuring authentication.
 */
export const allowAll: AuthorizeHook = () => undefined;

/** The default actor: anonymous, through the API. */
export const anonymousActor: ActorHook = () => ANONYMOUS_API_ACTOR;

/** Default hooks (allow all, anonymous). */
export const DEFAULT_HOOKS: GatewayHooks = { authorize: allowAll, actor: anonymousActor };
