import { isGatewayError } from '../errors.js';
import { McpError } from '../mcp/errors.js';
import { ErrorCode } from '../mcp/protocol.js';
import { isSecurityError } from '../security/errors.js';
import { isUpstreamError } from '../upstream/upstream-error.js';

/** JSON-RPC code of an authorization refusal (implementation-defined server range, as ContextForge uses). */
export const FORBIDDEN_RPC_CODE = -32003;

/** JSON-RPC code of a rate-limit refusal. */
export const RATE_LIMITED_RPC_CODE = -32029;

/** Unknown, invisible or disabled entities all answer alike (-32602), so nothing can be probed. */
export function unknownEntity(kind: 'tool' | 'prompt' | 'resource', name: string): McpError {
  const label = kind === 'resource' ? `Unknown resource: ${name}` : `Unknown ${kind}: ${name}`;
  return new McpError(ErrorCode.InvalidParams, label, kind === 'resource' ? { uri: name } : undefined);
}

/**
 * Maps the invoke pipeline's failures to JSON-RPC errors, once, at the edge of the backend: upstream
 * protocol errors keep their code, message and data; transport failures name the upstream and what
 * happened (never its credentials); security refusals name the permission; anything else stays an
 * internal error without details (the engine logs nothing secret).
 */
export function toMcpError(error: unknown, upstreamName?: string): unknown {
  if (error instanceof McpError) return error;
  if (isUpstreamError(error)) {
    const who = upstreamName === undefined ? 'upstream' : `upstream '${upstreamName}'`;
    switch (error.code) {
      case 'remote':
        return new McpError(
          error.rpcCode ?? ErrorCode.InternalError,
          error.rpcMessage ?? error.message,
          error.rpcData,
        );
      case 'timeout':
        return new McpError(ErrorCode.RequestTimeout, `${who} did not answer in time: ${error.message}`);
      case 'cancelled':
        return new McpError(ErrorCode.RequestTimeout, `request cancelled: ${error.message}`);
      case 'config':
        return new McpError(ErrorCode.InternalError, `${who} is not usable: ${error.message}`);
      default:
        return new McpError(ErrorCode.InternalError, `${who} failed (${error.code}): ${error.message}`, {
          upstream: upstreamName,
          reason: error.code,
          ...(error.status !== undefined ? { status: error.status } : {}),
        });
    }
  }
  if (isSecurityError(error)) {
    if (error.code === 'VALIDATION_FAILED')
      return new McpError(ErrorCode.InvalidParams, error.message, { code: error.code, field: error.field });
    if (error.code === 'RATE_LIMITED')
      return new McpError(RATE_LIMITED_RPC_CODE, error.message, error.details, {
        httpStatus: 429,
        ...(error.headers ? { headers: error.headers } : {}),
      });
    return new McpError(FORBIDDEN_RPC_CODE, error.message, { code: error.code });
  }
  if (isGatewayError(error)) {
    if (error.code === 'NOT_FOUND') return new McpError(ErrorCode.InvalidParams, error.message);
    if (error.code === 'VALIDATION_FAILED' || error.code === 'UNPROCESSABLE' || error.code === 'BAD_REQUEST')
      return new McpError(ErrorCode.InvalidParams, error.message, { code: error.code });
    return new McpError(ErrorCode.InternalError, error.message, { code: error.code });
  }
  return error;
}
