import type { Context, MiddlewareHandler } from 'hono';
import type { GatewayConfig } from '../../config/settings.js';
import { authRequestFromHeaders } from '../../security/authn/auth-request.js';
import { ANONYMOUS_PRINCIPAL } from '../../security/authn/principal.js';
import { cors } from '../../security/http/cors.js';
import { csrfProtection } from '../../security/http/csrf.js';
import { headerLimits } from '../../security/http/header-limits.js';
import { defaultTierFor, type RateLimitTier, rateLimit } from '../../security/http/rate-limit/rate-limit.js';
import type { RateLimitStore } from '../../security/http/rate-limit/rate-limit-store.js';
import { securityHeaders } from '../../security/http/security-headers.js';
import { type Authenticator, withChallenge } from '../authn/authenticator.js';
import { ANONYMOUS_DEV_PRINCIPAL } from '../authz/role-catalog.js';
import { parseList } from '../config/parse-list.js';
import { AuditRecorder } from '../services/audit-recorder.js';
import { createClientIpResolver } from './client-ip.js';
import './request-context.js';

/** What the middleware chain needs. */
export interface AuthMiddlewareOptions {
  config: GatewayConfig;
  authenticator: Authenticator;
  rateLimits: RateLimitStore | undefined;
  audit: AuditRecorder;
  /** Public base URL of a request (APP_DOMAIN, else the request's origin). */
  baseUrl: (c: Context) => string;
  scopes: readonly string[];
}

/** Paths never checked for CSRF: they start sessions, or are reached by cross-site redirects from an IdP. */
const CSRF_EXEMPT = [
  '/v1/auth/login',
  '/v1/auth/email/login',
  '/auth/login',
  '/auth/email/login',
  '/oauth/callback',
  '/v1/auth/sso/callback',
  '/auth/sso/callback',
];

/** ContextForge's rate-limit tiers, with the email and SSO login paths in the critical one. */
export function tierFor(path: string): RateLimitTier {
  if (/^\/(v1\/)?auth\/(email\/)?(login|register|change-password|refresh|sso)/.test(path)) return 'critical';
  return defaultTierFor(path);
}

/**
 * The gateway's security middleware, outermost first: client address → header limits (431) → security
 * headers → CORS allowlist (same-origin requests pass; a foreign Origin gets 403) → authentication (the
 * principal, or the error of a bad credential, kept for the route hooks) → tiered rate limits (429 +
 * Retry-After) → CSRF double-submit for cookie sessions → audit of successful changes.
 */
export function authMiddleware(o: AuthMiddlewareOptions): MiddlewareHandler[] {
  const c0 = o.config;
  const chain: MiddlewareHandler[] = [];
  const clientIp = createClientIpResolver(parseList(c0.TRUSTED_PROXIES));
  chain.push(async function clientAddress(c, next) {
    c.set('clientIp', clientIp(c));
    await next();
  });
  chain.push(
    headerLimits({
      maxTotalBytes: c0.MAX_HEADER_BYTES,
      maxFieldBytes: c0.MAX_HEADER_FIELD_BYTES,
      maxCount: c0.MAX_HEADER_COUNT,
    }),
  );
  if (c0.SECURITY_HEADERS_ENABLED) {
    chain.push(
      securityHeaders({
        frameOptions: c0.X_FRAME_OPTIONS === 'none' ? false : c0.X_FRAME_OPTIONS,
        hsts: c0.HSTS_ENABLED
          ? { maxAgeSec: c0.HSTS_MAX_AGE, includeSubDomains: c0.HSTS_INCLUDE_SUBDOMAINS }
          : false,
        trustForwardedProto: parseList(c0.TRUSTED_PROXIES).length > 0,
        removeHeaders: c0.REMOVE_SERVER_HEADERS ? ['X-Powered-By', 'Server'] : [],
      }),
    );
  }
  if (c0.CORS_ENABLED) {
    const origins = parseList(c0.ALLOWED_ORIGINS);
    const crossOrigin = cors({
      allowedOrigins: origins.includes('*') ? '*' : origins,
      allowCredentials: c0.CORS_ALLOW_CREDENTIALS && !origins.includes('*'),
    });
    chain.push(async function corsAllowlist(c, next) {
      const origin = c.req.header('origin');
      if (origin === undefined || sameHost(origin, c, o.baseUrl(c))) return next();
      return crossOrigin(c, next);
    });
  }
  chain.push(async function authenticate(c, next) {
    try {
      const p = await o.authenticator.resolveRest(
        authRequestFromHeaders(c.req.raw.headers, c.get('clientIp')),
      );
      c.set(
        'principal',
        p.authMethod === 'anonymous' ? (c0.AUTH_REQUIRED ? ANONYMOUS_PRINCIPAL : ANONYMOUS_DEV_PRINCIPAL) : p,
      );
    } catch (error) {
      c.set(
        'authError',
        withChallenge(error, `${o.baseUrl(c)}/.well-known/oauth-protected-resource`, o.scopes),
      );
      o.audit.record(AuditRecorder.actorOf(c), {
        action: 'auth.token.rejected',
        outcome: 'failure',
        details: { reason: (error as { code?: string }).code ?? 'error', path: c.req.path },
      });
    }
    await next();
  });
  if (c0.RATE_LIMITING_ENABLED && o.rateLimits) {
    const per = (n: number, burst = 0) => ({ limit: n, windowMs: 60_000, burst });
    chain.push(
      rateLimit({
        store: o.rateLimits,
        tiers: {
          critical: per(c0.RATE_LIMIT_AUTH_PER_MINUTE),
          high: per(c0.RATE_LIMIT_ADMIN_PER_MINUTE),
          medium: per(c0.RATE_LIMIT_API_PER_MINUTE, Math.ceil(c0.RATE_LIMIT_API_PER_MINUTE / 5)),
          low: per(c0.RATE_LIMIT_PUBLIC_PER_MINUTE, Math.ceil(c0.RATE_LIMIT_PUBLIC_PER_MINUTE / 5)),
        },
        tierFor: (c) => tierFor(c.req.path),
        clientIp: (c) => c.get('clientIp') || undefined,
        principal: (c) => (c.get('authError') === undefined ? c.get('principal') : undefined),
      }),
    );
  }
  if (c0.CSRF_ENABLED) chain.push(csrfProtection({ exemptPaths: CSRF_EXEMPT }));
  if (c0.AUDIT_TRAIL_ENABLED) chain.push(auditChanges(o.audit));
  return chain;
}

/** Same origin: the Origin's host is the request's host (or APP_DOMAIN's). Scheme may differ behind TLS proxies. */
function sameHost(origin: string, c: Context, base: string): boolean {
  try {
    const host = new URL(origin).host.toLowerCase();
    return host === (c.req.header('host') ?? '').toLowerCase() || host === new URL(base).host.toLowerCase();
  } catch {
    return false;
  }
}

const VERBS: Record<string, string> = {
  create: 'created',
  update: 'updated',
  delete: 'deleted',
  import: 'imported',
  export: 'exported',
};

/**
 * Audits every successful change made through a declared route (`entity.created|updated|deleted`, plus
 * imports and exports), naming the route's permission and target; routes that audit themselves (auth,
 * users, teams, tokens, roles) set `audited` and are skipped.
 */
function auditChanges(audit: AuditRecorder): MiddlewareHandler {
  return async function auditChanges(c, next) {
    await next();
    const permission = c.get('permission');
    if (!permission || c.get('audited') || c.res.status >= 400) return;
    const [resource, action] = permission.split('.') as [string, string | undefined];
    const verb =
      VERBS[action ?? ''] ?? (resource === 'admin' ? VERBS[(action ?? '').replace(/^.*_/, '')] : undefined);
    if (!verb && !(action === 'update' || c.req.method === 'DELETE')) return;
    const params = (c.get('routeParams') ?? {}) as { id?: string };
    let id = params.id;
    if (!id && c.req.method === 'POST' && verb === 'created') {
      try {
        id = ((await c.res.clone().json()) as { id?: string }).id;
      } catch {
        // not JSON
      }
    }
    audit.record(AuditRecorder.actorOf(c, c.get('principal')), {
      action: resource === 'admin' ? `admin.${verb ?? 'changed'}` : `entity.${verb ?? 'updated'}`,
      target: { type: resource.replace(/s$/, ''), ...(id ? { id } : {}) },
      details: { method: c.req.method, path: c.req.path, permission },
    });
  };
}
