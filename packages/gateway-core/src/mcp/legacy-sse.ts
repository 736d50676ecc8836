import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, type EngineInternals, sendError } from './engine-internals.js';
import { McpError, toJsonRpcError } from './errors.js';
import { readBody, sendEmpty, startSse } from './http-io.js';
import { classifyMessage, errorFrame, idOf, parseJson, resultFrame } from './json-rpc.js';
import { initializeClient, initializeResult, negotiateVersion } from './lifecycle.js';
import { ErrorCode } from './protocol.js';
import { runRequest } from './request-runner.js';
import type { RequestSink } from './request-sink.js';
import { scopeKey } from './server-info-cache.js';
import type { SessionRecord } from './session-store.js';
import { SseConnection } from './sse-connection.js';
import type { Scope } from './types.js';

/**
 * Deprecated HTTP+SSE transport (2024-11-05), GET side: opens the session's stream and announces
 * the POST endpoint in an `endpoint` event. The session lives while the stream is open; the record
 * names this replica as owner so POSTs reaching other replicas are answered through it.
 */
export async function handleSseOpen(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  messagePath: string,
): Promise<void> {
  let principal: Awaited<ReturnType<typeof admit>>;
  try {
    principal = await admit(engine, req);
  } catch (err) {
    sendError(res, err, null, 500);
    return;
  }
  const record = await engine.sessions.create({
    transport: 'sse',
    protocolVersion: '2024-11-05',
    scope,
    principalId: principal.subject,
    clientCapabilities: {},
    owner: engine.hub.replicaId,
  });
  startSse(res);
  const conn = new SseConnection(res);
  conn.writeRaw(`event: endpoint\ndata: ${messagePath}?session_id=${encodeURIComponent(record.id)}\n\n`);
  const unregister = engine.hub.addChannel({
    sessionId: record.id,
    scope,
    write: (frame) => conn.write(frame),
    close: () => conn.end(),
    keepAlive: () => conn.writeRaw(':\n\n'),
  });
  conn.onClose(() => {
    unregister();
    // No resumption on this transport: the session ends with its stream.
    void engine.sessions.delete(record.id).catch(() => undefined);
  });
}

/**
 * HTTP+SSE POST side: accepts one message with 202 and answers it on the session's stream,
 * wherever that stream is held.
 */
export async function handleSseMessage(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
  sessionId: string | null,
): Promise<void> {
  let id: string | number | null = null;
  try {
    const principal = await admit(engine, req);
    if (sessionId === null)
      throw new McpError(
        ErrorCode.ConnectionClosed,
        'Bad Request: session_id query parameter is required',
        undefined,
        { httpStatus: 400 },
      );
    const record = await engine.sessions.get(sessionId);
    if (
      record === undefined ||
      record.transport !== 'sse' ||
      record.principalId !== principal.subject ||
      scopeKey(record.scope) !== scopeKey(scope)
    ) {
      throw new McpError(-32001, 'Session not found', undefined, { httpStatus: 404 });
    }
    const value = parseJson(await readBody(req, engine.limits.maxBodyBytes));
    id = idOf(value);
    const message = classifyMessage(value);
    sendEmpty(res, 202);
    const deliver = (frame: string): void => {
      void engine.hub.deliverToSseSession(record.id, record.owner, frame).catch(() => undefined);
    };
    if (message.kind === 'response') {
      await engine.hub.routeClientResponse(message.msg);
    } else if (message.kind === 'notification') {
      const p = message.msg.params;
      if (
        message.msg.method === 'notifications/cancelled' &&
        (typeof p?.requestId === 'string' || typeof p?.requestId === 'number')
      ) {
        await engine.hub.cancel(record.id, p.requestId);
      }
    } else if (message.msg.method === 'initialize') {
      await initializeOverSse(engine, record, message.msg.id, message.msg.params, deliver);
    } else {
      const sink: RequestSink = { streaming: true, send: deliver, respond: deliver };
      await runRequest(
        engine.runner,
        message.msg,
        {
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
        },
        sink,
      );
    }
  } catch (err) {
    if (!res.headersSent) sendError(res, err, id, 500);
  }
}

async function initializeOverSse(
  engine: EngineInternals,
  record: SessionRecord,
  id: string | number,
  params: Record<string, unknown> | undefined,
  deliver: (frame: string) => void,
): Promise<void> {
  try {
    const protocolVersion = negotiateVersion(params);
    const client = initializeClient(params);
    await engine.sessions.update(record.id, {
      protocolVersion,
      clientCapabilities: client.capabilities,
      clientInfo: client.clientInfo,
    });
    const desc = await engine.runner.serverInfo.get(record.scope);
    deliver(resultFrame(id, JSON.stringify(initializeResult(desc, protocolVersion))));
  } catch (err) {
    deliver(errorFrame(id, toJsonRpcError(err)));
  }
}
