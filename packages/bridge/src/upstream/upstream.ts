import type { JsonRpcMessage } from '../core/json-rpc.js';
import type { CloseInfo } from '../core/message-transport.js';

/** What a server transport knows about a client session when it opens it. */
export interface SessionContext {
  /** Session id (the `Mcp-Session-Id`, SSE session id, or a generated one). */
  id: string;
  /** Extra environment for a per-session child (from `--header-to-env`). */
  env?: Record<string, string>;
}

/** One client session's channel to the MCP server behind the bridge. */
export interface UpstreamSession {
  /** Session id. */
  readonly id: string;
  /** Sends a client message (ids as the client chose them). */
  send(message: JsonRpcMessage): Promise<void>;
  /** Messages for this client (ids restored to the client's). */
  onmessage?: (message: JsonRpcMessage) => void;
  /** The server side ended for good (the child gave up restarting). */
  onclose?: (info?: CloseInfo) => void;
  /** Ends the session: cancels its pending requests and releases its child if it owns one. */
  close(): Promise<void>;
}

/** A source of upstream sessions: one child per session, or one shared child. */
export interface Upstream {
  /** Opens a session. Rejects (SPAWN_FAILED) when the server cannot be started. */
  open(context: SessionContext): Promise<UpstreamSession>;
  /** Closes every session and child. */
  close(): Promise<void>;
  /** Sessions currently open. */
  readonly sessionCount: number;
  /** Pids of the children currently running (for health and leak checks). */
  readonly pids: number[];
}
