import type { Context, MiddlewareHandler } from 'hono';
import type { Principal } from '../../authn/principal.js';
import { SecurityError } from '../../errors.js';
import { writableHeaders } from '../response-headers.js';
import type { RateLimitDecision, RateLimitRule, RateLimitStore } from './rate-limit-store.js';

/** ContextForge's endpoint tiers (requests per minute + burst). */
export type RateLimitTier = 'critical' | 'high' | 'medium' | 'low';

/** Default tier rules: auth 10/min, tokens/admin/OAuth 30/min, MCP/tools 100/min + 20, health/static 500/min + 100. */
export const DEFAULT_TIERS: Readonly<Record<RateLimitTier, RateLimitRule>> = Object.freeze({
  critical: { limit: 10, windowMs: 60_000 },
  high: { limit: 30, windowMs: 60_000 },
  medium: { limit: 100, windowMs: 60_000, burst: 20 },
  low: { limit: 500, windowMs: 60_000, burst: 100 },
});

/** The tier of a path, ContextForge-style. */
export function defaultTierFor(path: string): RateLimitTier {
  if (
    /^\/(v1\/)?auth\/(login|register|password|reset|refresh|sso)/.test(path) ||
    /^\/oauth\/token/.test(path)
  )
    return 'critical';
  if (/^\/(v1\/)?(tokens|admin|oauth|rbac|teams|users)(\/|$)/.test(path)) return 'high';
  if (/^\/(health|ready|healthz|readyz|metrics|static|favicon\.ico|\.well-known)(\/|$)/.test(path))
    return 'low';
  return 'medium';
}

/** Options of {@link rateLimit}. */
export interface RateLimitOptions {
  store: RateLimitStore;
  tiers?: Partial<Record<RateLimitTier, RateLimitRule>>;
  /** Tier of a request; default {@link defaultTierFor}(path). Return undefined to skip limiting. */
  tierFor?: (c: Context) => RateLimitTier | undefined;
  /** Client address (after trusted-proxy handling); default the socket address from @hono/node-server. */
  clientIp?: (c: Context) => string | undefined;
  /** The authenticated principal, if resolved before this middleware; default `c.get('principal')`. */
  principal?: (c: Context) => Principal | undefined;
}

/**
 * Tiered rate limiting per IP, per user and per token (each dimension counted separately; the request
 * must pass all). Allowed responses carry `X-RateLimit-Limit/Remaining/Reset` of the tightest dimension;
 * denials throw `RATE_LIMITED` (429) with `Retry-After` and the same headers.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const tiers = { ...DEFAULT_TIERS, ...options.tiers };
  for (const [name, r] of Object.entries(tiers)) {
    if (!(r.limit > 0 && r.windowMs > 0 && (r.burst ?? 0) >= 0)) {
      throw new SecurityError(
        'CONFIG_INVALID',
        `rate limit tier '${name}': limit and windowMs must be > 0, burst >= 0`,
        { field: name },
      );
    }
  }
  const tierFor = options.tierFor ?? ((c: Context) => defaultTierFor(c.req.path));
  const clientIp = options.clientIp ?? defaultClientIp;
  const principalOf = options.principal ?? ((c: Context) => c.get('principal') as Principal | undefined);

  return async function rateLimit(c, next) {
    const tier = tierFor(c);
    if (!tier) return next();
    const rule = tiers[tier];
    const keys: string[] = [];
    const ip = clientIp(c);
    if (ip) keys.push(`${tier}:ip:${ip}`);
    const p = principalOf(c);
    if (p && p.authMethod !== 'anonymous') {
      keys.push(`${tier}:user:${p.subject}`);
      if (p.tokenId) keys.push(`${tier}:token:${p.tokenId}`);
    }
    let tightest: RateLimitDecision | undefined;
    for (const key of keys) {
      const d = await options.store.hit(key, rule);
      if (!d.allowed) {
        throw new SecurityError(
          'RATE_LIMITED',
          `rate limit exceeded (${tier} tier: ${rule.limit} requests per ${rule.windowMs / 1000} s)`,
          {
            details: { tier, retryAfterSeconds: Math.ceil(d.retryAfterMs / 1000) },
            headers: {
              'Retry-After': String(Math.max(1, Math.ceil(d.retryAfterMs / 1000))),
              ...rateHeaders(d),
            },
          },
        );
      }
      if (!tightest || d.remaining < tightest.remaining) tightest = d;
    }
    await next();
    if (tightest) {
      const h = writableHeaders(c);
      for (const [k, v] of Object.entries(rateHeaders(tightest))) h.set(k, v);
    }
  };
}

function rateHeaders(d: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(d.limit),
    'X-RateLimit-Remaining': String(Math.max(0, d.remaining)),
    'X-RateLimit-Reset': String(Math.ceil(d.resetMs / 1000)),
  };
}

function defaultClientIp(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}
