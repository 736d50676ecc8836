import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, type JsonRpcId } from '../core/json-rpc.js';
import type { Upstream, UpstreamSession } from '../upstream/upstream.js';
import { envFromHeaders, type HeaderEnvMapping } from './header-to-env.js';
import { sendRpcError } from './http-io.js';
import type { ManagedSession, SessionRegistry } from './session-registry.js';

/** A new client session's id and its channel to the MCP server. */
export interface OpenedSession {
  id: string;
  upstream: UpstreamSession;
}

/** Why no session was opened; each transport answers it its own way. */
export type SessionOpenFailure =
  | { reason: 'overloaded' }
  | { reason: 'headers'; message: string }
  | { reason: 'upstream'; message: string };

/**
 * Opens the upstream side of a new client session: reserves a slot (`--max-sessions`), maps the
 * request's headers to the child's environment (`--header-to-env`), then opens an upstream session
 * under a fresh id. When a step fails the slot is given back; the caller adds the session to the
 * registry once it has wrapped it.
 */
export async function openUpstreamSession(
  registry: SessionRegistry<ManagedSession>,
  upstream: () => Upstream,
  req: IncomingMessage,
  headerToEnv: HeaderEnvMapping[],
): Promise<OpenedSession | SessionOpenFailure> {
  if (!registry.reserve()) return { reason: 'overloaded' };
  let env: Record<string, string> | undefined;
  if (headerToEnv.length > 0) {
    const result = envFromHeaders(req, headerToEnv);
    if (typeof result === 'string') {
      registry.release();
      return { reason: 'headers', message: result };
    }
    env = result;
  }
  const id = randomUUID();
  try {
    return { id, upstream: await upstream().open({ id, env }) };
  } catch (error) {
    registry.release();
    return { reason: 'upstream', message: `cannot start the MCP server: ${(error as Error).message}` };
  }
}

/**
 * Answers an HTTP request whose session could not be opened: 503 `Overloaded` with `overloaded` as
 * the message, 400 for unusable headers, 502 when the MCP server did not start.
 */
export function sendSessionOpenFailure(
  res: ServerResponse,
  failure: SessionOpenFailure,
  overloaded: string,
  requestId: JsonRpcId | null,
  headers: Record<string, string>,
): void {
  if (failure.reason === 'overloaded') {
    sendRpcError(res, 503, ErrorCode.Overloaded, overloaded, requestId, headers);
  } else if (failure.reason === 'headers') {
    sendRpcError(res, 400, ErrorCode.InvalidRequest, failure.message, requestId, headers);
  } else {
    sendRpcError(res, 502, ErrorCode.InternalError, failure.message, requestId, headers);
  }
}
