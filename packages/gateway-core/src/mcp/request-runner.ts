import type { ServerResponse } from 'node:http';
import { type DispatchEnv, dispatch, type SessionOps } from './dispatcher.js';
import { invalidParams, McpError, missingCapability, modernHttpStatus, toJsonRpcError } from './errors.js';
import type { InFlightRequests } from './in-flight.js';
import { errorFrame, type JsonRpcRequest, notificationFrame, requestFrame, resultFrame } from './json-rpc.js';
import { LazyAbort } from './lazy-abort.js';
import type { PendingRequests } from './pending-requests.js';
import { ErrorCode, LOG_LEVELS, logLevelRank, META, MRTR_METHODS, REQUEST_CAPABILITY } from './protocol.js';
import type { RequestSink } from './request-sink.js';
import { type CacheHints, serializeResult } from './result-shaping.js';
import type { ServerInfoCache } from './server-info-cache.js';
import type { McpBackend, Principal, RequestContext, Scope } from './types.js';

/** Engine parts every request needs (one instance per engine). */
export interface RunnerDeps {
  backend: McpBackend;
  serverInfo: ServerInfoCache;
  pending: PendingRequests;
  inFlight: InFlightRequests;
  /** `ttlMs` of 2026-07-28 cacheable results the backend did not annotate. */
  cacheTtlMs: number;
  /** Timeout of server→client requests. */
  serverRequestTimeoutMs: number;
  /** Adds `_meta.io.modelcontextprotocol/serverInfo` to 2026-07-28 results. */
  serverInfoInResults: boolean;
}

/** What the transport knows about the caller of one request. */
export interface RequestBase {
  scope: Scope;
  principal: Principal;
  protocolVersion: string;
  modern: boolean;
  clientCapabilities: Record<string, unknown>;
  clientInfo?: { name: string; version: string; [k: string]: unknown };
  sessionId?: string;
  /** Legacy session log level (undefined: every level). Ignored for modern requests. */
  logLevel?: string;
  session?: SessionOps;
  /** Aborted by the transport (WebSocket closed, session end). */
  signal?: AbortSignal;
  /** Headers of the carrying HTTP request or upgrade (passthrough to upstreams). */
  headers?: Record<string, string | string[] | undefined>;
  /** Client address of the socket. */
  remoteAddress?: string;
  /**
   * A 2026-07-28 response whose premature close cancels the request (streamable-http
   * §Cancellation). A listener on it is cheaper than a second AbortSignal on the hot path.
   */
  cancelOnClose?: ServerResponse;
}

const serverInfoMetaCache = new WeakMap<object, string>();

function serverInfoMeta(desc: { name: string; version: string; title?: string }): string {
  let s = serverInfoMetaCache.get(desc);
  if (s === undefined) {
    const info =
      desc.title === undefined
        ? { name: desc.name, version: desc.version }
        : { name: desc.name, version: desc.version, title: desc.title };
    s = `"_meta":${JSON.stringify({ [META.serverInfo]: info })}`;
    serverInfoMetaCache.set(desc, s);
  }
  return s;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates MRTR retry inputs (2026-07-28 mrtr §Error Handling: malformed InputResponses → -32602). */
function mrtrInputs(
  method: string,
  params: Record<string, unknown> | undefined,
): { inputResponses?: Record<string, unknown>; requestState?: string } {
  if (params === undefined || !MRTR_METHODS.has(method)) return {};
  const out: { inputResponses?: Record<string, unknown>; requestState?: string } = {};
  const ir = params.inputResponses;
  if (ir !== undefined) {
    if (!isPlainObject(ir))
      throw invalidParams(
        `${method}: params.inputResponses must be an object mapping input request keys to results`,
      );
    for (const [k, v] of Object.entries(ir)) {
      if (!isPlainObject(v))
        throw invalidParams(
          `${method}: params.inputResponses.${k} must be a result object, got ${v === null ? 'null' : typeof v}`,
        );
    }
    out.inputResponses = ir;
  }
  const rs = params.requestState;
  if (rs !== undefined) {
    if (typeof rs !== 'string')
      throw invalidParams(`${method}: params.requestState must be the opaque string the server returned`);
    out.requestState = rs;
  }
  return out;
}

/** Builds the `log` function of a request, or undefined when the client must not receive logs. */
function logFunction(
  base: RequestBase,
  meta: Record<string, unknown> | undefined,
  sink: RequestSink,
): RequestContext['log'] {
  if (!sink.streaming) return undefined;
  let min = -1;
  if (base.modern) {
    // 2026-07-28 logging: no notifications/message unless the request set a level.
    const level = meta?.[META.logLevel];
    if (level === undefined) return undefined;
    if (typeof level !== 'string' || logLevelRank(level) < 0) {
      throw invalidParams(`_meta["${META.logLevel}"] must be one of ${LOG_LEVELS.join(', ')}`);
    }
    min = logLevelRank(level);
  } else if (base.logLevel !== undefined) {
    min = logLevelRank(base.logLevel);
  }
  return (level, data, logger) => {
    const rank = logLevelRank(level);
    if (rank < 0 || rank < min) return;
    sink.send(
      notificationFrame(
        'notifications/message',
        logger === undefined ? { level, data } : { level, logger, data },
      ),
    );
  };
}

/**
 * Serves one JSON-RPC request end to end: builds the backend's RequestContext (progress, log,
 * server→client requests, cancellation), dispatches, shapes the result for the era and writes the
 * response (or the mapped error) to the sink. Never throws.
 */
export async function runRequest(
  deps: RunnerDeps,
  req: JsonRpcRequest,
  base: RequestBase,
  sink: RequestSink,
): Promise<void> {
  const { method, params, id } = req;
  const controller = new LazyAbort();
  const unregister =
    base.sessionId === undefined ? undefined : deps.inFlight.add(base.sessionId, id, controller);
  const closing = base.cancelOnClose;
  if (closing !== undefined) {
    closing.once('close', () => {
      if (!closing.writableFinished) controller.abort(new Error('client closed the response stream'));
    });
  }
  const onOuterAbort = base.signal === undefined ? undefined : () => controller.abort(base.signal?.reason);
  if (onOuterAbort !== undefined) {
    if (base.signal?.aborted) controller.abort(base.signal.reason);
    else base.signal?.addEventListener('abort', onOuterAbort, { once: true });
  }
  try {
    const meta = isPlainObject(params?._meta) ? params._meta : undefined;
    const ctx: RequestContext = {
      scope: base.scope,
      principal: base.principal,
      requestId: id,
      protocolVersion: base.protocolVersion,
      get signal() {
        return controller.signal;
      },
      meta,
      clientCapabilities: base.clientCapabilities,
      clientInfo: base.clientInfo,
      sessionId: base.sessionId,
      headers: base.headers,
      remoteAddress: base.remoteAddress,
    };
    const token = meta?.progressToken;
    if (sink.streaming && (typeof token === 'string' || typeof token === 'number')) {
      ctx.progress = (p) => {
        if (controller.aborted) return;
        sink.send(notificationFrame('notifications/progress', { progressToken: token, ...p }));
      };
    }
    ctx.log = logFunction(base, meta, sink);
    if (base.modern) {
      const inputs = mrtrInputs(method, params);
      if (inputs.inputResponses !== undefined) ctx.inputResponses = inputs.inputResponses;
      if (inputs.requestState !== undefined) ctx.requestState = inputs.requestState;
    } else if (sink.streaming) {
      ctx.request = (m, p, opts) => serverRequest(deps, base, sink, controller.signal, m, p, opts?.signal);
    }
    const env: DispatchEnv = {
      backend: deps.backend,
      serverInfo: deps.serverInfo,
      modern: base.modern,
      session: base.session,
    };
    const result = await dispatch(method, params, ctx, env);
    let hints: CacheHints | undefined;
    let infoMeta: string | undefined;
    if (base.modern) {
      hints = {
        ttlMs: ctx.inputResponses !== undefined || ctx.requestState !== undefined ? 0 : deps.cacheTtlMs,
        cacheScope: base.principal.subject === 'anonymous' ? 'public' : 'private',
      };
      if (deps.serverInfoInResults) {
        infoMeta = serverInfoMeta(
          deps.serverInfo.peek(base.scope) ?? (await deps.serverInfo.get(base.scope)),
        );
      }
    }
    sink.respond(resultFrame(id, serializeResult(method, result, base.modern, hints, infoMeta)), 200);
  } catch (err) {
    const error = toJsonRpcError(err);
    const status = base.modern
      ? modernHttpStatus(err, error)
      : err instanceof McpError && err.httpStatus === 413
        ? 413
        : 200;
    sink.respond(errorFrame(id, error), status);
  } finally {
    unregister?.();
    if (onOuterAbort !== undefined) base.signal?.removeEventListener('abort', onOuterAbort);
  }
}

async function serverRequest(
  deps: RunnerDeps,
  base: RequestBase,
  sink: RequestSink,
  requestSignal: AbortSignal,
  method: string,
  params: unknown,
  signal: AbortSignal | undefined,
): Promise<unknown> {
  const capability = REQUEST_CAPABILITY[method];
  if (capability !== undefined && base.clientCapabilities[capability] === undefined)
    throw missingCapability(capability);
  if (requestSignal.aborted)
    throw new McpError(ErrorCode.RequestTimeout, `request cancelled before ${method} could be sent`);
  const combined = signal === undefined ? requestSignal : AbortSignal.any([requestSignal, signal]);
  const { id, result } = deps.pending.create(deps.serverRequestTimeoutMs, combined);
  sink.send(requestFrame(id, method, params));
  return result;
}
