import type { Context } from 'hono';
import { type Actor, ANONYMOUS_API_ACTOR } from '../registry/common/actor.js';

/**
 * Decides whether the caller of a request may use `permission` (ContextForge names: `tools.read`,
 * `tools.create`, `servers.update`, `admin.export`, …). Throw a `GatewayError` with code `UNAUTHORIZED`
 * or `FORBIDDEN` to refuse; return to allow.
 */
export type AuthorizeHook = (c: Context, permission: string) => void | Promise<void>;

/** Names the user behind a request for the audit columns (`created_by`, `modified_by`). */
export type ActorHook = (c: Context) => Actor | Promise<Actor>;

/** Extension points the security layer plugs into. */
export interface GatewayHooks {
  authorize: AuthorizeHook;
  actor: ActorHook;
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
