import type { Context } from 'hono';
import { type GatewayErrorCode, isGatewayError } from '../errors.js';
import type { GatewayLogger } from '../observability/logger.js';

/** HTTP status of every error code: the one place where internal errors meet HTTP. */
export const STATUS_BY_CODE: Record<GatewayErrorCode, number> = {
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RENDER_FAILED: 422,
  CRYPTO_FAILED: 422,
  CONFIG_INVALID: 500,
  DB_UNAVAILABLE: 503,
  CACHE_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** The JSON error body: `{"error": {"code", "message", "field"?, "details"?}}`. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string; details?: Record<string, unknown> };
}

/**
 * Hono `onError` handler: `GatewayError`s become their status and JSON body; anything else is logged with
 * its stack and answered with a generic 500 (no internals leak to callers).
 */
export function createErrorHandler(logger: GatewayLogger) {
  return function errorHandler(error: Error, c: Context): Response {
    if (isGatewayError(error)) {
      const status = STATUS_BY_CODE[error.code] ?? 500;
      if (status >= 500) logger.error({ err: error, code: error.code, path: c.req.path }, error.message);
      const body: ErrorBody = { error: { code: error.code, message: error.message } };
      if (error.field !== undefined) body.error.field = error.field;
      if (error.details !== undefined) body.error.details = error.details;
      return c.json(body, status as 400);
    }
    logger.error({ err: error, path: c.req.path, method: c.req.method }, 'unhandled error');
    return c.json(
      { error: { code: 'INTERNAL', message: 'internal error (see the gateway log)' } } satisfies ErrorBody,
      500,
    );
  };
}
