import { McpError } from '../mcp/errors.js';
import { ErrorCode } from '../mcp/protocol.js';
import type { RequestContext } from '../mcp/types.js';
import type { UpstreamCallOptions } from '../upstream/types.js';
import { VIA_META, viaOf } from './federation.js';

/** Downstream `_meta` keys the upstream client sets itself, or that only make sense downstream. */
const OWN_META = new Set([
  'progressToken',
  'io.modelcontextprotocol/protocolVersion',
  'io.modelcontextprotocol/clientInfo',
  'io.modelcontextprotocol/serverInfo',
]);

/**
 * Refuses a request that already passed through this deployment (A → B → A): forwarding it again would
 * loop until some timeout.
 *
 * @throws McpError -32600 naming the loop
 */
export function assertNoLoop(ctx: RequestContext, instanceId: string): void {
  const via = viaOf(ctx.meta);
  if (via?.includes(instanceId))
    throw new McpError(
      ErrorCode.InvalidRequest,
      `federation loop: this request already passed through this gateway (via ${via.length} gateway${via.length === 1 ? '' : 's'})`,
    );
}

/**
 * The upstream call options of one downstream request: its abort signal, progress, logs and
 * server→client requests routed back to the downstream session that caused it, MRTR retry inputs, and
 * the forwarded `_meta` (trace context, client capabilities, log level) with this deployment appended to
 * the `via` list.
 */
export function callOptions(
  ctx: RequestContext,
  instanceId: string,
  headers: Record<string, string> | undefined,
): UpstreamCallOptions {
  const meta: Record<string, unknown> = {};
  if (ctx.meta !== undefined) for (const k in ctx.meta) if (!OWN_META.has(k)) meta[k] = ctx.meta[k];
  meta[VIA_META] = [...(viaOf(ctx.meta) ?? []), instanceId];
  if (
    ctx.clientCapabilities !== undefined &&
    meta['io.modelcontextprotocol/clientCapabilities'] === undefined
  )
    meta['io.modelcontextprotocol/clientCapabilities'] = ctx.clientCapabilities;
  const opts: UpstreamCallOptions = { signal: ctx.signal, meta };
  const { progress, log, request } = ctx;
  if (progress !== undefined) opts.onProgress = (p) => progress(p);
  if (log !== undefined)
    opts.onLog = (params) => {
      const p = params as { level?: unknown; data?: unknown; logger?: unknown };
      log(
        typeof p.level === 'string' ? p.level : 'info',
        p.data,
        typeof p.logger === 'string' ? p.logger : undefined,
      );
    };
  if (request !== undefined)
    opts.onServerRequest = (method, params) => request(method, params, { signal: ctx.signal });
  if (ctx.inputResponses !== undefined) opts.inputResponses = ctx.inputResponses;
  if (ctx.requestState !== undefined) opts.requestState = ctx.requestState;
  if (headers !== undefined) opts.headers = headers;
  return opts;
}

/** The upstream's own identity in a result's `_meta` would name it, not the gateway: drop it. */
export function withoutUpstreamIdentity(result: Record<string, unknown>): Record<string, unknown> {
  const meta = result._meta as Record<string, unknown> | undefined;
  if (meta === undefined || !('io.modelcontextprotocol/serverInfo' in meta)) return result;
  const { 'io.modelcontextprotocol/serverInfo': _drop, ...rest } = meta;
  const out = { ...result };
  if (Object.keys(rest).length === 0) delete out._meta;
  else out._meta = rest;
  return out;
}
