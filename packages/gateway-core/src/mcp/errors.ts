import { ErrorCode } from './protocol.js';

/** A JSON-RPC error object as it travels on the wire. */
export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

/**
 * A protocol error: JSON-RPC `code`, `message`, optional `data`, plus the HTTP status the
 * streamable HTTP transport answers it with (2026-07-28 fixes 400 for -32020/-32021/-32022/-32602
 * on `_meta`, and 404 for -32601). Thrown by the engine and by backends; mapped once, at the edge.
 */
export class McpError extends Error {
  /** JSON-RPC error code. */
  readonly code: number;
  /** Optional JSON-RPC error data. */
  readonly data: unknown;
  /** HTTP status for HTTP transports; `undefined` means 200 (the error travels in the body). */
  readonly httpStatus: number | undefined;
  /** Extra HTTP response headers (e.g. `WWW-Authenticate` on 401). */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: number,
    message: string,
    data?: unknown,
    opts: { httpStatus?: number; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'McpError';
    this.code = code;
    this.data = data;
    this.httpStatus = opts.httpStatus;
    this.headers = opts.headers;
  }

  /** The wire form of this error. */
  toJSON(): JsonRpcErrorObject {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** -32602 Invalid params naming the field and what was wrong with it. */
export function invalidParams(message: string, data?: unknown, httpStatus?: number): McpError {
  return new McpError(ErrorCode.InvalidParams, message, data, { httpStatus });
}

/** -32600 Invalid Request. */
export function invalidRequest(message: string, httpStatus = 400): McpError {
  return new McpError(ErrorCode.InvalidRequest, message, undefined, { httpStatus });
}

/** -32601 Method not found (HTTP 404 on the 2026-07-28 transport). */
export function methodNotFound(method: string, httpStatus?: number): McpError {
  return new McpError(ErrorCode.MethodNotFound, `Method not found: ${method}`, { method }, { httpStatus });
}

/** -32020 HeaderMismatch (always HTTP 400). */
export function headerMismatch(message: string): McpError {
  return new McpError(ErrorCode.HeaderMismatch, `Header mismatch: ${message}`, undefined, {
    httpStatus: 400,
  });
}

/** -32022 UnsupportedProtocolVersion listing what is supported (always HTTP 400). */
export function unsupportedVersion(requested: unknown, supported: readonly string[]): McpError {
  return new McpError(
    ErrorCode.UnsupportedProtocolVersion,
    `Unsupported protocol version: ${JSON.stringify(requested)}; supported: ${supported.join(', ')}`,
    { supported: [...supported], requested },
    { httpStatus: 400 },
  );
}

/** -32021 MissingRequiredClientCapability (HTTP 400 on 2026-07-28). */
export function missingCapability(capability: string, httpStatus?: number): McpError {
  return new McpError(
    ErrorCode.MissingRequiredClientCapability,
    `Missing required client capability: ${capability}`,
    { requiredCapabilities: { [capability]: {} } },
    { httpStatus },
  );
}

/** A transport-level rejection (bad session, bad Accept, DNS rebinding…) answered with `httpStatus`. */
export function transportError(
  httpStatus: number,
  message: string,
  code: number = ErrorCode.ConnectionClosed,
): McpError {
  return new McpError(code, message, undefined, { httpStatus });
}

/**
 * Maps anything thrown while serving a request to a JSON-RPC error object. `McpError` and
 * McpError-like objects (numeric `code` and string `message`, as thrown by the SDK and by upstream
 * connectors) keep their code; everything else becomes -32603 without leaking internals.
 */
export function toJsonRpcError(err: unknown): JsonRpcErrorObject {
  if (err instanceof McpError) return err.toJSON();
  if (typeof err === 'object' && err !== null) {
    const e = err as { code?: unknown; message?: unknown; data?: unknown; name?: unknown };
    if (typeof e.code === 'number' && Number.isInteger(e.code) && typeof e.message === 'string') {
      return e.data === undefined
        ? { code: e.code, message: e.message }
        : { code: e.code, message: e.message, data: e.data };
    }
    if (e.name === 'AbortError') return { code: ErrorCode.RequestTimeout, message: 'Request cancelled' };
  }
  return { code: ErrorCode.InternalError, message: 'Internal error' };
}

/**
 * HTTP status for a JSON-RPC error on the 2026-07-28 transport when the thrower did not set one:
 * the spec fixes 400 for -32020/-32021/-32022 and 404 for -32601; everything else travels in a 200.
 */
export function modernHttpStatus(err: unknown, error: JsonRpcErrorObject): number {
  if (err instanceof McpError && err.httpStatus !== undefined) return err.httpStatus;
  switch (error.code) {
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    case ErrorCode.MethodNotFound:
      return 404;
    default:
      return 200;
  }
}
