import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EngineInternals, sendError } from './engine-internals.js';
import { headerMismatch, invalidParams, McpError, toJsonRpcError, unsupportedVersion } from './errors.js';
import { validateStandardHeaders } from './header-validation.js';
import { accepts, header, sendEmpty, sendJson, startSse } from './http-io.js';
import { HttpRequestSink } from './http-request-sink.js';
import type { Listener } from './hub.js';
import { notificationFrame, type IncomingMessage as RpcMessage, resultFrame } from './json-rpc.js';
import { discoverResult, listenFilter } from './lifecycle.js';
import { ErrorCode, isModernVersion, META, SUPPORTED_PROTOCOL_VERSIONS } from './protocol.js';
import { runRequest } from './request-runner.js';
import { serializeResult } from './result-shaping.js';
import { SseConnection } from './sse-connection.js';
import { validateParamHeaders } from './tool-header-index.js';
import type { Principal, Scope } from './types.js';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Serves one 2026-07-28 POST (stateless): validates the per-request `_meta` and the mirrored
 * headers, then answers `server/discover`, opens `subscriptions/listen` streams or dispatches.
 * `Mcp-Session-Id` and `Last-Event-ID` are ignored (2026-07-28 streamable-http §Backward Compatibility).
 */
export async function handleModernPost(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  principal: Principal,
  message: RpcMessage,
): Promise<void> {
  if (message.kind === 'notification') {
    // Closing the response stream is the cancellation signal on HTTP; nothing else to accept.
    sendEmpty(res, 202);
    return;
  }
  if (message.kind === 'response') {
    sendError(
      res,
      new McpError(
        ErrorCode.InvalidRequest,
        'Invalid Request: 2026-07-28 clients do not send JSON-RPC responses (use MRTR inputResponses)',
      ),
      message.msg.id,
      400,
    );
    return;
  }
  const { id, method, params } = message.msg;
  let protocolVersion: string;
  let clientCapabilities: Record<string, unknown>;
  let clientInfo: { name: string; version: string } | undefined;
  try {
    const meta = params?._meta;
    if (!isObject(meta))
      throw invalidParams(
        `Invalid params: params._meta with "${META.protocolVersion}" and "${META.clientCapabilities}" is required`,
        undefined,
        400,
      );
    const declared = meta[META.protocolVersion];
    if (declared === undefined)
      throw invalidParams(
        `Invalid params: params._meta["${META.protocolVersion}"] is required`,
        undefined,
        400,
      );
    const headerVersion = header(req, 'mcp-protocol-version')?.trim();
    if (headerVersion === undefined)
      throw headerMismatch(
        `required MCP-Protocol-Version header is missing (body declares ${JSON.stringify(declared)})`,
      );
    if (headerVersion !== declared) {
      throw headerMismatch(
        `MCP-Protocol-Version header value '${headerVersion}' does not match body _meta protocolVersion ${JSON.stringify(declared)}`,
      );
    }
    if (typeof declared !== 'string' || !isModernVersion(declared))
      throw unsupportedVersion(declared, SUPPORTED_PROTOCOL_VERSIONS);
    protocolVersion = declared;
    const caps = meta[META.clientCapabilities];
    if (!isObject(caps))
      throw invalidParams(
        `Invalid params: params._meta["${META.clientCapabilities}"] is required and must be an object`,
        undefined,
        400,
      );
    clientCapabilities = caps;
    const info = meta[META.clientInfo];
    if (isObject(info)) clientInfo = info as { name: string; version: string };
    validateStandardHeaders(req, method, params);
    if (method === 'tools/call' && typeof params?.name === 'string') {
      const bindings = await engine.headerIndex.get(scope, principal.subject, params.name, () =>
        listAllTools(engine, scope, principal, protocolVersion, clientCapabilities),
      );
      if (bindings.length > 0) validateParamHeaders(req, bindings, params.arguments);
    }
  } catch (err) {
    sendError(res, err, id, 500);
    return;
  }

  if (method === 'server/discover') {
    try {
      const desc = await engine.runner.serverInfo.get(scope);
      const hints = {
        ttlMs: engine.runner.cacheTtlMs,
        cacheScope: principal.subject === 'anonymous' ? ('public' as const) : ('private' as const),
      };
      sendJson(
        res,
        200,
        resultFrame(id, serializeResult(method, discoverResult(desc), true, hints, undefined)),
      );
    } catch (err) {
      sendError(res, err, id, 500);
    }
    return;
  }
  if (method === 'subscriptions/listen') {
    await openListen(engine, req, res, scope, id, params);
    return;
  }

  // Disconnect before the response = cancellation (2026-07-28 streamable-http §Cancellation).
  const sink = new HttpRequestSink(res, accepts(req, 'text/event-stream'), undefined, undefined);
  await runRequest(
    engine.runner,
    message.msg,
    {
      scope,
      principal,
      protocolVersion,
      modern: true,
      clientCapabilities,
      clientInfo,
      cancelOnClose: res,
      headers: req.headers,
      remoteAddress: req.socket.remoteAddress,
    },
    sink,
  );
}

async function openListen(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  id: string | number,
  params: Record<string, unknown> | undefined,
): Promise<void> {
  let filter: ReturnType<typeof listenFilter>;
  try {
    if (!accepts(req, 'text/event-stream')) {
      throw new McpError(
        ErrorCode.InvalidRequest,
        'subscriptions/listen answers with an SSE stream: Accept must include text/event-stream',
        undefined,
        { httpStatus: 406 },
      );
    }
    if (engine.hub.listeners.size >= engine.limits.maxListeners) {
      throw new McpError(
        ErrorCode.ConnectionClosed,
        `too many open subscriptions/listen streams (${engine.limits.maxListeners})`,
        undefined,
        { httpStatus: 503 },
      );
    }
    filter = listenFilter(params, await engine.runner.serverInfo.get(scope), engine.limits.maxListenUris);
  } catch (err) {
    sendJson(
      res,
      err instanceof McpError && err.httpStatus !== undefined ? err.httpStatus : 400,
      `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify(toJsonRpcError(err))}}`,
    );
    return;
  }
  startSse(res);
  const conn = new SseConnection(res);
  const listener: Listener = {
    subscriptionId: id,
    scope,
    tools: filter.toolsListChanged === true,
    prompts: filter.promptsListChanged === true,
    resources: filter.resourcesListChanged === true,
    uris: new Set(filter.resourceSubscriptions ?? []),
    conn,
  };
  // The acknowledgment is the first message on the stream (2026-07-28 subscriptions §Acknowledgment).
  conn.write(
    notificationFrame('notifications/subscriptions/acknowledged', {
      _meta: { [META.subscriptionId]: id },
      notifications: filter,
    }),
  );
  engine.hub.listeners.add(listener);
  conn.onClose(() => engine.hub.listeners.delete(listener));
}

/** Every tool `principal` sees in `scope` (following cursors, bounded), to index x-mcp-header bindings. */
async function listAllTools(
  engine: EngineInternals,
  scope: Scope,
  principal: Principal,
  protocolVersion: string,
  clientCapabilities: Record<string, unknown>,
): Promise<object[]> {
  const ctx = {
    scope,
    principal,
    requestId: 'x-mcp-header-index',
    protocolVersion,
    signal: new AbortController().signal,
    clientCapabilities,
  };
  const tools: object[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 50; page++) {
    const r = await engine.runner.backend.listTools(ctx, cursor);
    tools.push(...r.tools);
    cursor = r.nextCursor;
    if (cursor === undefined) break;
  }
  return tools;
}
