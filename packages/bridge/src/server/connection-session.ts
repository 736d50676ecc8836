import type { JsonRpcMessage } from '../core/json-rpc.js';
import type { UpstreamSession } from '../upstream/upstream.js';
import type { ManagedSession } from './session-registry.js';

/**
 * A session bound to one long-lived connection (legacy SSE stream, WebSocket): everything the
 * upstream says goes down that connection; the session ends with it.
 */
export class ConnectionSession implements ManagedSession {
  readonly connectionBound = true;
  lastActivity = Date.now();
  private ended = false;

  /**
   * @param id session id
   * @param upstream server side of the session
   * @param deliver writes a message to the client connection
   * @param endConnection closes the client connection
   * @param onEnd called once when the session ends
   */
  constructor(
    readonly id: string,
    private readonly upstream: UpstreamSession,
    deliver: (message: JsonRpcMessage) => void,
    private readonly endConnection: (reason: string) => void,
    private readonly onEnd: (session: ConnectionSession) => void,
  ) {
    upstream.onmessage = (message) => {
      this.lastActivity = Date.now();
      deliver(message);
    };
    upstream.onclose = (info) => void this.close(`MCP server ended (${info?.reason ?? 'closed'})`);
  }

  /** Forwards a client message. */
  send(message: JsonRpcMessage): Promise<void> {
    this.lastActivity = Date.now();
    return this.upstream.send(message);
  }

  /** Ends the session, its connection and its upstream. */
  async close(reason: string): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.endConnection(reason);
    this.onEnd(this);
    await this.upstream.close();
  }
}
