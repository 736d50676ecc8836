import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, type EngineInternals, sendError } from './engine-internals.js';
import { invalidRequest, McpError, unsupportedVersion } from './errors.js';
import { accepts, header, readBody } from './http-io.js';
import { classifyMessage, idOf, parseJson, type IncomingMessage as RpcMessage } from './json-rpc.js';
import {
  handleInitialize,
  handleLegacyDelete,
  handleLegacyGet,
  handleLegacyPost,
  requireSession,
} from './legacy-http.js';
import { handleModernPost } from './modern-post.js';
import {
  ErrorCode,
  isLegacyVersion,
  isModernVersion,
  META,
  SUPPORTED_PROTOCOL_VERSIONS,
} from './protocol.js';
import type { Scope } from './types.js';

function declaresModernMeta(value: unknown): boolean {
  const params = (value as { params?: { _meta?: Record<string, unknown> } } | null)?.params;
  const meta = params?._meta;
  return typeof meta === 'object' && meta !== null && meta[META.protocolVersion] !== undefined;
}

function methodNotAllowed(res: ServerResponse, what: string): void {
  sendError(
    res,
    new McpError(ErrorCode.ConnectionClosed, `Method Not Allowed: ${what}`, undefined, {
      httpStatus: 405,
      headers: { allow: 'POST' },
    }),
  );
}

/**
 * The MCP endpoint (`/mcp`, `/servers/:id/mcp`) for both eras. A POST is served statelessly when
 * it declares a 2026-07-28 version (header or `_meta`), opens a session when it is `initialize`,
 * and otherwise belongs to the session named by `Mcp-Session-Id` (2026-07-28 versioning
 * §Backward Compatibility: a dual-era server selects behaviour from how the client opens).
 */
export async function handleStreamableHttp(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
  scope: Scope,
): Promise<void> {
  let id: string | number | null = null;
  try {
    const admitted = admit(engine, req);
    const principal = admitted instanceof Promise ? await admitted : admitted;
    const versionHeader = header(req, 'mcp-protocol-version')?.trim();
    const sessionId = header(req, 'mcp-session-id');
    if (req.method === 'GET' || req.method === 'DELETE') {
      // 2026-07-28 has no GET stream and no sessions: 405 (streamable-http §Backward Compatibility).
      if (isModernVersion(versionHeader) || sessionId === undefined) {
        methodNotAllowed(res, `${req.method} needs an Mcp-Session-Id of a session-based (2025-xx) client`);
        return;
      }
      const record = await requireSession(engine, req, scope, principal);
      if (req.method === 'GET') await handleLegacyGet(engine, req, res, record);
      else await handleLegacyDelete(engine, res, record);
      return;
    }
    if (req.method !== 'POST') {
      methodNotAllowed(res, `${req.method} is not an MCP endpoint method`);
      return;
    }
    if (!accepts(req, 'application/json') && !accepts(req, 'text/event-stream')) {
      throw new McpError(
        ErrorCode.ConnectionClosed,
        'Not Acceptable: Accept must list application/json and/or text/event-stream',
        undefined,
        { httpStatus: 406 },
      );
    }
    const ctype = header(req, 'content-type');
    if (ctype !== undefined && !ctype.includes('application/json')) {
      throw new McpError(
        ErrorCode.ConnectionClosed,
        `Unsupported Media Type: Content-Type must be application/json, got ${ctype}`,
        undefined,
        { httpStatus: 415 },
      );
    }
    const value = parseJson(await readBody(req, engine.limits.maxBodyBytes));
    id = idOf(value);
    const modern = isModernVersion(versionHeader) || (sessionId === undefined && declaresModernMeta(value));
    if (Array.isArray(value)) {
      if (modern || sessionId === undefined)
        throw invalidRequest(
          'Invalid Request: JSON-RPC batches are only accepted within a 2025-03-26 session',
        );
      if (value.length === 0) throw invalidRequest('Invalid Request: empty batch');
      const messages: RpcMessage[] = value.map(classifyMessage);
      const record = await requireSession(engine, req, scope, principal);
      await handleLegacyPost(engine, req, res, record, principal, messages, true);
      return;
    }
    const message = classifyMessage(value);
    if (
      modern ||
      (!isLegacyVersion(versionHeader) &&
        versionHeader !== undefined &&
        sessionId === undefined &&
        message.kind === 'request' &&
        message.msg.method !== 'initialize')
    ) {
      await handleModernPost(engine, req, res, scope, principal, message);
      return;
    }
    if (message.kind === 'request' && message.msg.method === 'initialize' && sessionId === undefined) {
      if (versionHeader !== undefined && !isLegacyVersion(versionHeader))
        throw unsupportedVersion(versionHeader, SUPPORTED_PROTOCOL_VERSIONS);
      await handleInitialize(engine, res, scope, principal, message.msg);
      return;
    }
    const record = await requireSession(engine, req, scope, principal);
    await handleLegacyPost(engine, req, res, record, principal, [message], false);
  } catch (err) {
    sendError(res, err, id, 500);
  }
}
