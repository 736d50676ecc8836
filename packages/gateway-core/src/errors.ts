/**
 * Internal error family of the gateway. Every failure that can reach a caller is a `GatewayError` with a
 * stable string `code`; the HTTP edge (`http/error-mapper.ts`) maps codes to status codes exactly once.
 */

/** Stable error codes. Adding one means adding its HTTP status in `http/error-mapper.ts`. */
export type GatewayErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'UNPROCESSABLE'
  | 'CONFIG_INVALID'
  | 'DB_UNAVAILABLE'
  | 'CACHE_UNAVAILABLE'
  | 'RENDER_FAILED'
  | 'CRYPTO_FAILED'
  | 'INTERNAL';

/** Options of a {@link GatewayError}. */
export interface GatewayErrorOptions {
  /** The offending input field, as a dotted path (`associated_tools.1`, `input_schema`). */
  field?: string;
  /** Extra machine-readable detail returned to the caller (never secrets). */
  details?: Record<string, unknown>;
  /** The underlying error. */
  cause?: unknown;
}

/** An error with a stable `code`, an optional offending `field`, and a `cause`. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  /** Stable machine-readable code. */
  readonly code: GatewayErrorCode;
  /** Offending input field, when the error is about one. */
  readonly field: string | undefined;
  /** Extra detail for the caller. */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

/** A missing entity: `tool 'abc' not found`. */
export function notFound(entity: string, key: string, field?: string): GatewayError {
  return new GatewayError('NOT_FOUND', `${entity} '${key}' not found`, field ? { field } : {});
}

/** A uniqueness conflict: `tool name 'x' already exists`. */
export function conflict(message: string, field?: string): GatewayError {
  return new GatewayError('CONFLICT', message, field ? { field } : {});
}

/** True when `error` is a {@link GatewayError} (also across bundle copies, by name and code). */
export function isGatewayError(error: unknown): error is GatewayError {
  return (
    error instanceof GatewayError ||
    (error instanceof Error &&
      error.name === 'GatewayError' &&
      typeof (error as GatewayError).code === 'string')
  );
}
