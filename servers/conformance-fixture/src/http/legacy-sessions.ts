import { randomUUID } from 'node:crypto';
import {
  isInitializeRequest,
  type McpServer,
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/server';
import type { FixtureLogger } from '../fixture-options.js';
import { BoundedEventStore } from './bounded-event-store.js';
import { jsonRpcErrorResponse } from './json-rpc-response.js';

/** Limits of {@link LegacySessions}. */
export interface LegacySessionLimits {
  /** Most concurrent sessions; an `initialize` beyond it is refused with 503. */
  maxSessions: number;
  /** A session idle this long (no request) is closed, in milliseconds. */
  idleTimeoutMs: number;
  /** Milliseconds a client should wait before reconnecting a closed SSE stream (`retry:` field). */
  retryIntervalMs: number;
}

interface Session {
  transport: WebStandardStreamableHTTPServerTransport;
  server: McpServer;
  lastSeen: number;
}

/**
 * Serves 2025-era streamable HTTP (protocol 2025-03-26 … 2025-11-25) with real sessions: `initialize`
 * creates a session (`Mcp-Session-Id`) bound to its own fixture server, later POSTs, the GET stream and
 * DELETE are routed to it, and every SSE message is stamped with a resumable event id. Sessions are
 * bounded in number and reaped when idle, so the map never grows without bound.
 */
export class LegacySessions {
  readonly #sessions = new Map<string, Session>();
  readonly #reaper: NodeJS.Timeout;

  /**
   * @param createServer builds the fixture server a new session is bound to
   * @param limits session bounds
   * @param log where session lifecycle is reported
   */
  constructor(
    private readonly createServer: () => McpServer,
    private readonly limits: LegacySessionLimits,
    private readonly log: FixtureLogger,
  ) {
    this.#reaper = setInterval(
      () => this.#reapIdle(),
      Math.max(1_000, Math.min(limits.idleTimeoutMs, 60_000)),
    );
    this.#reaper.unref();
  }

  /** Number of open sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /** Answers one legacy-era HTTP request (`parsedBody` is the already-read JSON body of a POST). */
  async handle(request: Request, parsedBody: unknown): Promise<Response> {
    const sessionId = request.headers.get('mcp-session-id') ?? undefined;
    if (sessionId !== undefined) {
      const session = this.#sessions.get(sessionId);
      // Spec: an unknown or terminated session is 404, telling the client to initialize again.
      if (!session) return jsonRpcErrorResponse(404, -32001, `Session not found: ${sessionId}`);
      session.lastSeen = Date.now();
      return session.transport.handleRequest(request, { parsedBody });
    }
    if (request.method === 'POST' && isInitializeRequest(parsedBody)) return this.#open(request, parsedBody);
    return jsonRpcErrorResponse(
      400,
      -32000,
      request.method === 'POST'
        ? 'Bad Request: Mcp-Session-Id header is required for every request after initialize'
        : `Bad Request: ${request.method} needs an Mcp-Session-Id header`,
    );
  }

  /** Closes every session (server shutdown). */
  async closeAll(): Promise<void> {
    clearInterval(this.#reaper);
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    await Promise.allSettled(sessions.map(async (s) => s.transport.close()));
  }

  async #open(request: Request, parsedBody: unknown): Promise<Response> {
    if (this.#sessions.size >= this.limits.maxSessions) {
      return jsonRpcErrorResponse(
        503,
        -32000,
        `Too many sessions (limit ${this.limits.maxSessions}); retry later`,
      );
    }
    const server = this.createServer();
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      eventStore: new BoundedEventStore(),
      retryInterval: this.limits.retryIntervalMs,
      onsessioninitialized: (id) => {
        this.#sessions.set(id, { transport, server, lastSeen: Date.now() });
        this.log('debug', `legacy session ${id} opened (${this.#sessions.size} open)`);
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id !== undefined && this.#sessions.delete(id)) this.log('debug', `legacy session ${id} closed`);
      void server.close().catch(() => {});
    };
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody });
  }

  #reapIdle(): void {
    const cutoff = Date.now() - this.limits.idleTimeoutMs;
    for (const [id, session] of this.#sessions) {
      if (session.lastSeen < cutoff) {
        this.log('info', `legacy session ${id} idle for over ${this.limits.idleTimeoutMs} ms; closing`);
        void session.transport.close().catch(() => {});
      }
    }
  }
}
