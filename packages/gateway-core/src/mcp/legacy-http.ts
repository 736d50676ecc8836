import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type EngineInternals, sendError } from './engine-internals.js';
import { McpError, toJsonRpcError, transportError, unsupportedVersion } from './errors.js';
import { accepts, header, sendEmpty, sendJson, startSse } from './http-io.js';
import { HttpRequestSink } from './http-request-sink.js';
import {
  errorFrame,
  type JsonRpcRequest,
  type IncomingMessage as RpcMessage,
  resultFrame,
} from './json-rpc.js';
import { initializeClient, initializeResult, negotiateVersion } from './lifecycle.js';
import { ErrorCode, isLegacyVersion, SUPPORTED_PROTOCOL_VERSIONS } from './protocol.js';
import { runRequest } from './request-runner.js';
import type { RequestSink } from './request-sink.js';
import { scopeKey } from './server-info-cache.js';
import type { SessionRecord } from './session-store.js';
import { SseConnection } from './sse-connection.js';
import type { Principal, Scope } from './types.js';

const SESSION_HEADER = 'mcp-session-id';

/**
 * Looks up the session a legacy request names and checks it belongs to this caller and endpoint.
 *
 * @throws McpError 400 without a session id, 404 for unknown/expired/foreign sessions, 400 for an
 *   unsupported MCP-Protocol-Version header.
 */
export async function requireSession(
  engine: EngineInternals,
  req: IncomingMessage,
  scope: Scope,
  principal: Principal,
): Promise<SessionRecord> {
  const sid = header(req, SESSION_HEADER);
  if (sid === undefined)
    throw transportError(400, 'Bad Request: Mcp-Session-Id header is required (send initialize first)');
  const record = await engine.sessions.get(sid);
  // A foreign principal or endpoint gets the same answer as an unknown id: nothing to probe.
  if (
    record === undefined ||
    record.principalId !== principal.subject ||
    scopeKey(record.scope) !== scopeKey(scope) ||
    record.transport !== 'streamable-http'
  ) {
    throw new McpError(-32001, 'Session not found', undefined, { httpStatus: 404 });
  }
  const version = header(req, 'mcp-protocol-version');
  if (version !== undefined && !isLegacyVersion(version.trim())) {
    throw unsupportedVersion(version, SUPPORTED_PROTOCOL_VERSIONS);
  }
  return record;
}

/** Handles `initialize` on the legacy endpoint: creates the session and answers with its id. */
export async function handleInitialize(
  engine: EngineInternals,
  res: ServerResponse,
  scope: Scope,
  principal: Principal,
  msg: JsonRpcRequest,
): Promise<void> {
  try {
    const protocolVersion = negotiateVersion(msg.params);
    const client = initializeClient(msg.params);
    const desc = await engine.runner.serverInfo.get(scope);
    const record = await engine.sessions.create({
      transport: 'streamable-http',
      protocolVersion,
      scope,
      principalId: principal.subject,
      clientCapabilities: client.capabilities,
      clientInfo: client.clientInfo,
    });
    sendJson(res, 200, resultFrame(msg.id, JSON.stringify(initializeResult(desc, protocolVersion))), {
      [SESSION_HEADER]: record.id,
    });
  } catch (err) {
    // Bad params are the client's (a JSON-RPC error in a 200); a failing store is ours (500).
    const status = err instanceof McpError ? (err.httpStatus ?? 200) : 500;
    sendJson(res, status, errorFrame(msg.id, toJsonRpcError(err)));
  }
}

function resumable(engine: EngineInternals, record: SessionRecord) {
  return {
    sessionId: record.id,
    events: engine.events,
    hub: engine.hub,
    prime: record.protocolVersion >= '2025-11-25',
  };
}

/** Handles one POSTed message (or batch) of an existing legacy session. */
export async function handleLegacyPost(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  record: SessionRecord,
  principal: Principal,
  messages: RpcMessage[],
  batch: boolean,
): Promise<void> {
  const requests: JsonRpcRequest[] = [];
  for (const m of messages) {
    if (m.kind === 'request') requests.push(m.msg);
    else if (m.kind === 'response') await engine.hub.routeClientResponse(m.msg);
    else await handleNotification(engine, record, m.msg.method, m.msg.params);
  }
  if (requests.length === 0) {
    sendEmpty(res, 202);
    return;
  }
  const base = {
    scope: record.scope,
    principal,
    protocolVersion: record.protocolVersion,
    modern: false,
    clientCapabilities: record.clientCapabilities,
    clientInfo: record.clientInfo,
    sessionId: record.id,
    logLevel: record.logLevel,
    session: engine.sessions.ops(record),
    headers: req.headers,
    remoteAddress: req.socket.remoteAddress,
  };
  const sessionHeader = { [SESSION_HEADER]: record.id };
  if (!batch) {
    const req0 = requests[0] as JsonRpcRequest;
    if (req0.method === 'initialize') {
      sendError(
        res,
        new McpError(ErrorCode.InvalidRequest, 'Invalid Request: session already initialized'),
        req0.id,
        400,
      );
      return;
    }
    const sink = new HttpRequestSink(
      res,
      accepts(req, 'text/event-stream'),
      sessionHeader,
      resumable(engine, record),
    );
    await runRequest(engine.runner, req0, base, sink);
    return;
  }
  // 2025-03-26 batches: answered together as one JSON array; nothing streams before it.
  const frames = await Promise.all(
    requests.map(
      (r) =>
        new Promise<string>((resolve) => {
          const sink: RequestSink = {
            streaming: false,
            send: () => undefined,
            respond: (frame) => resolve(frame),
          };
          void runRequest(engine.runner, r, base, sink);
        }),
    ),
  );
  sendJson(res, 200, `[${frames.join(',')}]`, sessionHeader);
}

async function handleNotification(
  engine: EngineInternals,
  record: SessionRecord,
  method: string,
  params: Record<string, unknown> | undefined,
): Promise<void> {
  if (method === 'notifications/cancelled') {
    const rid = params?.requestId;
    if (typeof rid === 'string' || typeof rid === 'number') {
      await engine.hub.cancel(record.id, rid, typeof params?.reason === 'string' ? params.reason : undefined);
    }
  } else if (method === 'notifications/initialized' && record.initialized !== true) {
    await engine.sessions.update(record.id, { initialized: true });
  }
  // Other client notifications (roots/list_changed, progress) have no engine-level effect.
}

/**
 * Legacy GET: the session's standalone SSE stream (one per session per replica), or the
 * resumption of any of its streams after `Last-Event-ID` on whichever replica the client reached.
 */
export async function handleLegacyGet(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  record: SessionRecord,
): Promise<void> {
  if (!accepts(req, 'text/event-stream')) {
    sendError(
      res,
      new McpError(
        ErrorCode.ConnectionClosed,
        'Not Acceptable: GET needs Accept: text/event-stream',
        undefined,
        { httpStatus: 406 },
      ),
    );
    return;
  }
  const lastEventId = header(req, 'last-event-id');
  const existing = engine.hub.channels.get(record.id);
  if (
    lastEventId === undefined &&
    existing !== undefined &&
    [...existing].some((c) => c.keepAlive !== undefined)
  ) {
    sendError(
      res,
      new McpError(
        ErrorCode.ConnectionClosed,
        'Conflict: only one standalone SSE stream is allowed per session',
        undefined,
        { httpStatus: 409 },
      ),
    );
    return;
  }
  startSse(res, { [SESSION_HEADER]: record.id });
  const conn = new SseConnection(res);
  let streamId = `g${randomBytes(8).toString('hex')}`;
  if (lastEventId !== undefined) {
    const resumed = await engine.hub.resume(record.id, lastEventId, conn);
    if (resumed !== false) {
      // A resumed request stream ends with its response; a resumed standalone stream lives on.
      if (!resumed.streamId.startsWith('g')) return;
      streamId = resumed.streamId;
    }
  }
  attachStandalone(engine, record, conn, streamId);
}

function attachStandalone(
  engine: EngineInternals,
  record: SessionRecord,
  conn: SseConnection,
  streamId: string,
): void {
  let chain: Promise<void> = Promise.resolve();
  const unregister = engine.hub.addChannel({
    sessionId: record.id,
    scope: record.scope,
    write: (frame) => {
      chain = chain
        .then(async () => conn.write(frame, await engine.events.append(record.id, streamId, frame)))
        .catch(() => conn.write(frame));
    },
    close: () => conn.end(),
    keepAlive: () => conn.writeRaw(':\n\n'),
  });
  conn.onClose(unregister);
}

/** Legacy DELETE: terminates the session everywhere. */
export async function handleLegacyDelete(
  engine: EngineInternals,
  res: ServerResponse,
  record: SessionRecord,
): Promise<void> {
  await engine.sessions.delete(record.id);
  await engine.events.deleteSession(record.id).catch(() => undefined);
  sendEmpty(res, 200);
}
