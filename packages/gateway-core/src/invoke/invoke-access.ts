import type { AuthLayer } from '../auth/auth-layer-types.js';
import type { GuardedEntity } from '../auth/authz/entity-guard.js';
import type { UpstreamRequestAuth } from '../auth/services/upstream-credentials.js';
import type { RequestContext } from '../mcp/types.js';
import type { ListFilter } from '../registry/common/pagination.js';
import type { VisibilityFields } from '../registry/common/visibility.js';
import type { ToolOutput } from '../registry/tools/tool-schemas.js';
import type { ToolService } from '../registry/tools/tool-service.js';
import type { Principal } from '../security/authn/principal.js';
import type { FetchLike } from '../security/ssrf/safe-fetch.js';

/**
 * The security decisions the invoke pipeline needs, from the gateway's security layer; without one
 * (`createGateway(config, { auth: false })`: library use behind another authentication) everything is
 * allowed and upstream credentials are the gateways' stored ones only.
 */
export interface InvokeAccess {
  /** `servers.use` on a server scope, then `permission` (on `target` when given). */
  authorize(ctx: RequestContext, permission: string, target?: GuardedEntity): Promise<void>;
  /** The registries' list filter for the caller (undefined: sees everything). */
  visibleTo(principal: Principal): ListFilter['visibleTo'];
  canSee(principal: Principal, entity: VisibilityFields): boolean;
  /** Validates `tools/call` arguments against the tool's input schema (422 → -32602 naming the field). */
  assertToolArguments(tool: { name: string; input_schema: unknown }, args: unknown): void;
  /** Counts the request against the MCP rate limits. */
  rateLimit(ctx: RequestContext): Promise<void>;
  /** Credentials for a call to gateway `gatewayId` on behalf of the caller (passthrough headers included). */
  upstreamAuth(
    gatewayId: string,
    principal: Principal,
    headers?: RequestContext['headers'],
  ): Promise<UpstreamRequestAuth>;
  /** Credentials of a REST tool's call (its stored auth, headers and passthrough). */
  restAuth(
    tool: ToolOutput,
    principal: Principal,
    headers?: RequestContext['headers'],
  ): Promise<UpstreamRequestAuth>;
  /** `fetch` for REST tools (SSRF-checked, redirects included, with the security layer). */
  readonly fetch: FetchLike;
}

/** {@link InvokeAccess} over the gateway's security layer. */
export function accessFromAuthLayer(auth: AuthLayer, tools: ToolService): InvokeAccess {
  return {
    authorize: (ctx, permission, target) => auth.authorizeMcp(ctx.principal, ctx.scope, permission, target),
    visibleTo: (principal) => auth.visibility(principal),
    canSee: (principal, entity) => auth.canSee(principal, entity),
    assertToolArguments: (tool, args) => auth.assertToolArguments(tool, args),
    rateLimit: (ctx) => auth.checkRateLimit(ctx.principal, ctx.remoteAddress),
    upstreamAuth: (gatewayId, principal, headers) =>
      auth.upstreamAuth(gatewayId, principal, headers as Parameters<AuthLayer['upstreamAuth']>[2]),
    restAuth: async (tool, principal, headers) =>
      auth.credentials.build(
        { ...tool, passthrough_headers: null },
        await tools.credentials(tool.id),
        principal,
        headers as Parameters<AuthLayer['upstreamAuth']>[2],
      ),
    fetch: auth.safeFetch,
  };
}

/** {@link InvokeAccess} allowing everything (no security layer). */
export function openAccess(
  gatewayHeaders: (gatewayId: string) => Promise<{ headers: Record<string, string>; url: string | null }>,
): InvokeAccess {
  // Without the security layer there is no SSRF policy either: library use only.
  return {
    authorize: async () => undefined,
    visibleTo: () => undefined,
    canSee: () => true,
    assertToolArguments: () => undefined,
    rateLimit: async () => undefined,
    upstreamAuth: (gatewayId) => gatewayHeaders(gatewayId),
    restAuth: async (tool) => ({ headers: { ...tool.headers }, url: tool.url }),
    fetch: (input, init) => fetch(input, init),
  };
}
