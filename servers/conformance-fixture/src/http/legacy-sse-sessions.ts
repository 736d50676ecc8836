import {
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResponse,
  type McpServer,
} from '@modelcontextprotocol/server';
import type { FixtureLogger } from '../fixture-options.js';
import { jsonRpcErrorResponse } from './json-rpc-response.js';
import { LegacySseTransport } from './legacy-sse-transport.js';

/**
 * The legacy HTTP+SSE endpoints (`GET <ssePath>` + `POST <messagePath>?sessionId=…`), each SSE
 * connection bound to its own 2025-era fixture server. Bounded in number; a connection ends when its
 * client disconnects or the fixture shuts down.
 */
export class LegacySseSessions {
  readonly #sessions = new Map<string, LegacySseTransport>();

  /**
   * @param createServer builds the fixture server a new connection is bound to
   * @param messagePath where clients POST their messages
   * @param maxSessions most concurrent SSE connections
   * @param log where connection lifecycle is reported
   */
  constructor(
    private readonly createServer: () => McpServer,
    private readonly messagePath: string,
    private readonly maxSessions: number,
    private readonly log: FixtureLogger,
  ) {}

  /** Opens a connection: answers the SSE stream whose first event names the message endpoint. */
  async open(): Promise<Response> {
    if (this.#sessions.size >= this.maxSessions) {
      return jsonRpcErrorResponse(
        503,
        -32000,
        `Too many SSE sessions (limit ${this.maxSessions}); retry later`,
      );
    }
    const transport = new LegacySseTransport(this.messagePath);
    const server = this.createServer();
    this.#sessions.set(transport.sessionId, transport);
    transport.onclose = () => {
      this.#sessions.delete(transport.sessionId);
      this.log('debug', `SSE session ${transport.sessionId} closed`);
      void server.close().catch(() => {});
    };
    await server.connect(transport);
    this.log('debug', `SSE session ${transport.sessionId} opened`);
    return new Response(transport.stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' },
    });
  }

  /** Delivers one POSTed message to the session named by `sessionId`; 202 once accepted. */
  deliver(sessionId: string | null, body: unknown): Response {
    if (!sessionId)
      return jsonRpcErrorResponse(400, -32000, 'Bad Request: the sessionId query parameter is required');
    const transport = this.#sessions.get(sessionId);
    if (!transport) return jsonRpcErrorResponse(404, -32001, `SSE session not found: ${sessionId}`);
    if (!isJSONRPCRequest(body) && !isJSONRPCNotification(body) && !isJSONRPCResponse(body)) {
      return jsonRpcErrorResponse(
        400,
        -32600,
        'Invalid Request: expected one JSON-RPC request, notification or response',
      );
    }
    transport.receive(body);
    return new Response('Accepted', { status: 202 });
  }

  /** Closes every connection. */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#sessions.values()].map((t) => t.close()));
  }
}
