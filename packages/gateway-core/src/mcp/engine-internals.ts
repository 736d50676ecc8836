import type { IncomingMessage, ServerResponse } from 'node:http';
import { ANONYMOUS_PRINCIPAL } from '../security/authn/principal.js';
import { McpError, toJsonRpcError } from './errors.js';
import type { EventStore } from './event-store.js';
import { sendJson } from './http-io.js';
import type { Hub } from './hub.js';
import { errorFrame, type RequestId } from './json-rpc.js';
import { checkOrigin, type OriginGuardOptions } from './origin-guard.js';
import { ErrorCode } from './protocol.js';
import type { RunnerDeps } from './request-runner.js';
import type { SessionManager } from './session-manager.js';
import type { ToolHeaderIndex } from './tool-header-index.js';
import type { Authenticate, Principal } from './types.js';

/** Resolved limits and knobs every transport reads. */
export interface EngineLimits {
  maxBodyBytes: number;
  maxListeners: number;
  maxListenUris: number;
  maxWsInFlight: number;
  ownerTtlMs: number;
}

/** Everything the transports share (one per engine). */
export interface EngineInternals {
  runner: RunnerDeps;
  sessions: SessionManager;
  events: EventStore;
  hub: Hub;
  authenticate: Authenticate;
  /** True when no authenticator is configured: every caller is the anonymous principal. */
  anonymous: boolean;
  origin: OriginGuardOptions;
  limits: EngineLimits;
  /** `x-mcp-header` bindings of listed tools, for Mcp-Param-* validation. */
  headerIndex: ToolHeaderIndex;
}

/** The anonymous principal used until authentication is configured. */
/** The principal of every caller when no authenticator is configured. */
export const ANONYMOUS: Principal = ANONYMOUS_PRINCIPAL;

/** Writes a JSON-RPC error as an HTTP response, honouring the error's status and headers. */
export function sendError(
  res: ServerResponse,
  err: unknown,
  id: RequestId | null = null,
  fallbackStatus = 400,
): void {
  const status = err instanceof McpError && err.httpStatus !== undefined ? err.httpStatus : fallbackStatus;
  const headers = err instanceof McpError ? err.headers : undefined;
  sendJson(res, status, errorFrame(id, toJsonRpcError(err)), headers);
}

/**
 * DNS-rebinding check then authentication, shared by every HTTP entry point. Synchronous when no
 * authenticator is configured (the anonymous default), so the hot path skips an await.
 *
 * @throws McpError 403 (rebinding) or whatever `authenticate` throws (mapped to 401/403).
 */
export function admit(engine: EngineInternals, req: IncomingMessage): Principal | Promise<Principal> {
  const refused = checkOrigin(req, engine.origin);
  if (refused !== undefined)
    throw new McpError(ErrorCode.ConnectionClosed, `Forbidden: ${refused}`, undefined, { httpStatus: 403 });
  if (engine.anonymous) return ANONYMOUS;
  return authenticateRequest(engine, req);
}

async function authenticateRequest(engine: EngineInternals, req: IncomingMessage): Promise<Principal> {
  try {
    return await engine.authenticate(req.headers, req.socket.remoteAddress);
  } catch (err) {
    if (err instanceof McpError) throw err;
    const e = err as {
      status?: unknown;
      httpStatus?: unknown;
      statusCode?: unknown;
      message?: unknown;
      headers?: unknown;
    };
    const status =
      [e?.httpStatus, e?.status, e?.statusCode].find((s): s is number => typeof s === 'number') ?? 401;
    throw new McpError(
      ErrorCode.ConnectionClosed,
      typeof e?.message === 'string' ? e.message : 'Unauthorized',
      undefined,
      {
        httpStatus: status,
        headers:
          typeof e?.headers === 'object' && e.headers !== null
            ? (e.headers as Record<string, string>)
            : undefined,
        cause: err,
      },
    );
  }
}
