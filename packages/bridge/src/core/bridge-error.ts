/** Machine-readable codes of {@link BridgeError}. */
export type BridgeErrorCode =
  | 'INVALID_SPEC'
  | 'INVALID_OPTION'
  | 'SPAWN_FAILED'
  | 'CONNECT_FAILED'
  | 'LISTEN_FAILED'
  | 'HTTP_ERROR'
  | 'CLOSED'
  | 'TIMEOUT'
  | 'MESSAGE_TOO_LARGE'
  | 'PROTOCOL_ERROR';

/**
 * The bridge's internal error: a string `code`, a message that says what failed and what was expected,
 * and the underlying `cause`. Mapped to JSON-RPC or HTTP errors only at the edges.
 */
export class BridgeError extends Error {
  override readonly name = 'BridgeError';

  /**
   * @param code machine-readable failure kind
   * @param message what failed, what was expected, what was received
   * @param cause the underlying error, if any
   */
  constructor(
    readonly code: BridgeErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}
