/**
 * Why an upstream operation failed. Stable strings: the invoke pipeline maps them to JSON-RPC
 * errors (and health) once, at the edge.
 *
 * - `timeout`: no answer within the call's time budget
 * - `unreachable`: could not connect / send (refused, DNS, TLS, reset before an answer), or the
 *   upstream is marked unhealthy and calls fail fast
 * - `protocol`: the upstream answered something that is not valid MCP (garbage, wrong id, bad content type)
 * - `remote`: the upstream answered with a JSON-RPC error (`rpcCode`, `rpcMessage`, `rpcData` carry it)
 * - `http`: the upstream answered with an unexpected HTTP status (`status` carries it; 401/403 included)
 * - `crashed`: the stdio process exited (exit code/signal and the last stderr lines in the message)
 * - `closed`: the connection or client was closed (by us or the peer) before an answer
 * - `cancelled`: the caller aborted the request
 * - `capacity`: a bound was reached (in-flight requests, sessions, processes)
 * - `config`: the spec or options are unusable (missing URL, stdio disabled, …)
 */
export type UpstreamErrorCode =
  | 'timeout'
  | 'unreachable'
  | 'protocol'
  | 'remote'
  | 'http'
  | 'crashed'
  | 'closed'
  | 'cancelled'
  | 'capacity'
  | 'config';

/** Extra detail of an {@link UpstreamError}. */
export interface UpstreamErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** Upstream id the error belongs to. */
  upstreamId?: string;
  /** JSON-RPC error code returned by the upstream (`remote`). */
  rpcCode?: number;
  /** JSON-RPC error message returned by the upstream (`remote`). */
  rpcMessage?: string;
  /** JSON-RPC error data returned by the upstream (`remote`). */
  rpcData?: unknown;
  /** HTTP status (`http`, and `remote` errors that came with a non-2xx status). */
  status?: number;
  /**
   * True when the failure proves the request never reached the upstream (connection refused,
   * session unknown, 503/429 refusal): re-sending it cannot run it twice.
   */
  notDelivered?: boolean;
}

/** A failed upstream operation, with a stable {@link UpstreamErrorCode} and its `cause`. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  /** Stable machine-readable code. */
  readonly code: UpstreamErrorCode;
  /** Upstream id, when known. */
  upstreamId: string | undefined;
  /** JSON-RPC error of a `remote` failure. */
  readonly rpcCode: number | undefined;
  readonly rpcMessage: string | undefined;
  readonly rpcData: unknown;
  /** HTTP status of an `http` failure. */
  readonly status: number | undefined;
  /** The request provably never reached the upstream (safe to re-send). */
  readonly notDelivered: boolean;

  /**
   * @param code why it failed
   * @param message what failed, what was expected, what was received, where
   * @param options cause and protocol detail
   */
  constructor(code: UpstreamErrorCode, message: string, options: UpstreamErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.upstreamId = options.upstreamId;
    this.rpcCode = options.rpcCode;
    this.rpcMessage = options.rpcMessage;
    this.rpcData = options.rpcData;
    this.status = options.status;
    this.notDelivered = options.notDelivered ?? false;
  }
}

/** True when `error` is an {@link UpstreamError} (also across bundle copies, by name and code). */
export function isUpstreamError(error: unknown): error is UpstreamError {
  return (
    error instanceof UpstreamError ||
    (error instanceof Error &&
      error.name === 'UpstreamError' &&
      typeof (error as UpstreamError).code === 'string')
  );
}

/** Wraps any thrown value as an {@link UpstreamError} (an existing one is returned unchanged). */
export function toUpstreamError(error: unknown, fallback: UpstreamErrorCode, context: string): UpstreamError {
  if (isUpstreamError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UpstreamError(fallback, `${context}: ${message}`, { cause: error });
}
