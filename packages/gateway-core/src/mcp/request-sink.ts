/**
 * Where the messages of one downstream request go: notifications and server→client requests
 * related to it (when the transport can stream them) and, last, its response.
 */
export interface RequestSink {
  /** True when messages can reach the client before the response (SSE, WebSocket, SSE session). */
  readonly streaming: boolean;
  /** Sends a notification or server→client request frame related to the request. */
  send(frame: string): void;
  /** Sends the final response frame; `httpStatus` applies to per-request HTTP transports only. */
  respond(frame: string, httpStatus: number): void;
}
