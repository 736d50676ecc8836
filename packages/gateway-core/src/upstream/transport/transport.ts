import type { JsonRpcMessage, RequestId } from '../json-rpc.js';
import type { UpstreamTransportKind } from '../types.js';
import type { UpstreamError } from '../upstream-error.js';

/** Where a transport delivers what it receives. */
export interface TransportHandlers {
  /**
   * A message from the upstream. `exchangeId` is the id of the request whose HTTP response stream
   * carried it (streamable HTTP), which attributes progress, logs and server→client requests to
   * the call that caused them; single-channel transports (stdio, WebSocket, SSE) pass undefined.
   */
  onMessage(message: JsonRpcMessage, exchangeId?: RequestId): void;
  /** The channel died (process exit, socket closed, stream ended): every pending request fails with `error`. */
  onClose(error: UpstreamError): void;
  /** A non-fatal oddity worth a log line (unparseable line, stray message). */
  onWarning(message: string): void;
}

/** Per-send options. */
export interface SendOptions {
  /** Extra HTTP headers for this message (Mcp-Param-*). Ignored by non-HTTP transports. */
  headers?: Record<string, string>;
  /** Receives a function that aborts this exchange (HTTP: closes the request and its stream). */
  onAbortable?(abort: (reason: UpstreamError) => void): void;
}

/**
 * A connector's wire: it moves JSON-RPC messages and reports what happened; protocol logic (ids,
 * eras, timeouts, retries) lives in the connection above it.
 */
export interface UpstreamTransport {
  readonly kind: UpstreamTransportKind;
  /**
   * True for per-request exchanges (streamable HTTP): `send` of a request resolves only after the
   * response was delivered through `onMessage`, so a resolved send without a response is a
   * protocol error. False for single-channel transports, where `send` resolves once written.
   */
  readonly exchanges: boolean;
  /**
   * True when (re)starting is a cheap local step that either succeeds or fails at once (a lookup of a
   * live tunnel): after the channel died the next request starts it again, without the restart
   * backoff stdio processes and sockets get, so calls fail fast while the channel is away and work
   * again as soon as it is back.
   */
  readonly reconnectOnDemand?: boolean;
  /** Opens the channel (spawn, connect, SSE endpoint handshake) before `deadline` (epoch ms). */
  start(handlers: TransportHandlers, deadline: number): Promise<void>;
  /** Sends one message. @throws UpstreamError */
  send(message: JsonRpcMessage, options?: SendOptions): Promise<void>;
  /** The negotiated revision, for transport-level headers (legacy HTTP `MCP-Protocol-Version`). */
  setProtocolVersion(version: string | undefined): void;
  /**
   * Legacy streamable HTTP only: opens the standalone GET stream for server-initiated messages.
   * Resolves `false` when the server offers none (405), `true` when an opened stream ended.
   */
  openEventStream?(signal: AbortSignal): Promise<boolean>;
  /** Ends the channel (graceful; processes are killed after a grace period). */
  close(): Promise<void>;
}
