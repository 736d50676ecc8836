import type { Context } from 'hono';
import { ANONYMOUS_PRINCIPAL, type Principal } from '../../security/authn/principal.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** The caller, resolved once by the authentication middleware. */
    principal: Principal;
    /** Why the credentials presented were refused (thrown when a protected route is reached). */
    authError: unknown;
    /** The client address after trusted-proxy processing. */
    clientIp: string;
    /** Set by handlers that write their own audit event, so the generic one is skipped. */
    audited: boolean;
    /** Per-request CSP nonce (security headers). */
    cspNonce: string;
    /** The permission the matched route declared (for the audit of changes). */
    permission: string;
    /** The validated path parameters of the matched route. */
    routeParams: Record<string, unknown>;
  }
}

/**
 * The principal of a request. Throws the stored authentication error when the request carried a credential
 * that failed (so a bad token is never silently treated as anonymous).
 */
export function principalOf(c: Context): Principal {
  const error = c.get('authError');
  if (error !== undefined) throw error;
  return c.get('principal') ?? ANONYMOUS_PRINCIPAL;
}

/** The principal when authentication succeeded or none was presented; undefined after a failure. */
export function principalIfAny(c: Context): Principal | undefined {
  return c.get('authError') === undefined ? c.get('principal') : undefined;
}

/** The client address (empty when unknown, e.g. in-process requests: IP-restricted tokens then fail closed). */
export function clientIpOf(c: Context): string {
  return c.get('clientIp') ?? '';
}
