import type { JsonRpcMessage } from './json-rpc.js';

/** Why a transport closed. */
export interface CloseInfo {
  /** Human-readable reason (exit code, HTTP status, socket error…). */
  reason: string;
  /** True when the peer went away on its own (crash, disconnect), false when we closed it. */
  unexpected: boolean;
}

/**
 * A bidirectional JSON-RPC message channel. Shape-compatible with the MCP SDK's `Transport`
 * (`start`/`send`/`close`/`onmessage`/`onclose`/`onerror`), so SDK transports can be piped too.
 */
export interface MessageTransport {
  /** Opens the channel (spawns, connects). Resolves once messages can be sent. */
  start(): Promise<void>;
  /** Sends one message; resolves when handed to the OS (respects backpressure). */
  send(message: JsonRpcMessage): Promise<void>;
  /** Closes the channel and releases everything it holds (processes, sockets). Idempotent. */
  close(): Promise<void>;
  /** Called for each message received. */
  onmessage?: (message: JsonRpcMessage) => void;
  /** Called once when the channel has closed, for whatever reason. */
  onclose?: (info?: CloseInfo) => void;
  /** Called for errors that do not close the channel (bad lines, failed sends). */
  onerror?: (error: Error) => void;
}
