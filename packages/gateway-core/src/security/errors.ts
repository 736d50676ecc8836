/**
 * Typed errors of the security building blocks. Every failure carries a stable string `code` and the
 * HTTP status the edge should answer with, so the gateway maps them to responses in one place
 * (`GatewayError` codes or JSON-RPC errors) without parsing messages.
 */

/** Stable codes of {@link SecurityError}, with the HTTP status each maps to in {@link SECURITY_ERROR_STATUS}. */
export type SecurityErrorCode =
  | 'UNAUTHENTICATED'
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_REVOKED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_LOCKED'
  | 'FORBIDDEN'
  | 'SCOPE_DENIED'
  | 'IP_NOT_ALLOWED'
  | 'PASSWORD_POLICY'
  | 'URL_NOT_ALLOWED'
  | 'RATE_LIMITED'
  | 'HEADERS_TOO_LARGE'
  | 'PAYLOAD_TOO_LARGE'
  | 'JSON_TOO_DEEP'
  | 'INVALID_JSON'
  | 'CSRF_FAILED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'VALIDATION_FAILED'
  | 'SCHEMA_INVALID'
  | 'OAUTH_AUTHORIZATION_REQUIRED'
  | 'OAUTH_INVALID_STATE'
  | 'OAUTH_UPSTREAM_ERROR'
  | 'OIDC_FAILED'
  | 'KEY_UNAVAILABLE'
  | 'CONFIG_INVALID';

/** HTTP status for each {@link SecurityErrorCode}. */
export const SECURITY_ERROR_STATUS: Readonly<Record<SecurityErrorCode, number>> = Object.freeze({
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  INVALID_CREDENTIALS: 401,
  // 401 rather than 423: a distinct status would let a caller enumerate accounts by locking them.
  ACCOUNT_LOCKED: 401,
  FORBIDDEN: 403,
  SCOPE_DENIED: 403,
  IP_NOT_ALLOWED: 403,
  PASSWORD_POLICY: 422,
  URL_NOT_ALLOWED: 400,
  RATE_LIMITED: 429,
  HEADERS_TOO_LARGE: 431,
  PAYLOAD_TOO_LARGE: 413,
  JSON_TOO_DEEP: 400,
  INVALID_JSON: 400,
  CSRF_FAILED: 403,
  ORIGIN_NOT_ALLOWED: 403,
  VALIDATION_FAILED: 422,
  SCHEMA_INVALID: 422,
  OAUTH_AUTHORIZATION_REQUIRED: 401,
  OAUTH_INVALID_STATE: 400,
  OAUTH_UPSTREAM_ERROR: 502,
  OIDC_FAILED: 401,
  KEY_UNAVAILABLE: 503,
  CONFIG_INVALID: 500,
});

/** Options of a {@link SecurityError}. */
export interface SecurityErrorOptions {
  /** The offending input field, as a dotted path (`scope.ip_restrictions.0`). */
  field?: string;
  /** Machine-readable detail safe to return to the caller (never a secret). */
  details?: Record<string, unknown>;
  /** Response headers the edge should add (`WWW-Authenticate`, `Retry-After`, …). */
  headers?: Record<string, string>;
  /** The underlying error (kept for logs; never serialised to callers). */
  cause?: unknown;
}

/** A security failure with a stable `code`, the HTTP `status` it maps to, and optional field/details/headers. */
export class SecurityError extends Error {
  override readonly name = 'SecurityError';
  /** Stable machine-readable code. */
  readonly code: SecurityErrorCode;
  /** HTTP status the edge answers with. */
  readonly status: number;
  /** Offending input field, when the error is about one. */
  readonly field: string | undefined;
  /** Extra detail for the caller. */
  readonly details: Record<string, unknown> | undefined;
  /** Headers to add to the error response. */
  readonly headers: Record<string, string> | undefined;

  constructor(code: SecurityErrorCode, message: string, options: SecurityErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = SECURITY_ERROR_STATUS[code];
    this.field = options.field;
    this.details = options.details;
    this.headers = options.headers;
  }

  /** The JSON body the edge returns: `{ error: { code, message, field?, details? } }`. */
  toJSON(): { error: { code: SecurityErrorCode; message: string; field?: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

/** True when `error` is a {@link SecurityError} (also across bundle copies, by name and code). */
export function isSecurityError(error: unknown): error is SecurityError {
  return (
    error instanceof SecurityError ||
    (error instanceof Error &&
      error.name === 'SecurityError' &&
      typeof (error as SecurityError).code === 'string' &&
      typeof (error as SecurityError).status === 'number')
  );
}
