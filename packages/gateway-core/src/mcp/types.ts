/**
 * Public contract between the downstream MCP engine and whatever serves the requests (the
 * gateway's invoke pipeline). See ENGINE-CONTRACT.md §1: the engine owns transports, eras,
 * sessions and JSON-RPC framing; the backend owns tools, resources and prompts.
 */

/** Who is calling: resolved by the security layer's authenticator (anonymous when none is configured). */
import type { Principal } from '../security/authn/principal.js';

export type { Principal };

/** What a downstream request targets: one virtual server, or everything the caller may see. */
export type Scope = { kind: 'server'; serverId: string } | { kind: 'all' };

/** Progress update a backend reports for the request it is serving. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/** Per-request context handed to the backend. */
export interface RequestContext {
  scope: Scope;
  principal: Principal;
  requestId: string | number;
  /** Negotiated (legacy) or declared (2026-07-28) protocol version of the downstream client. */
  protocolVersion: string;
  /** Aborted on notifications/cancelled, on client disconnect (2026-07-28) or session end. */
  signal: AbortSignal;
  /** Present when the client sent a progressToken. */
  progress?(p: ProgressUpdate): void;
  /** Logging notifications; present when the client may receive them (respects its level). */
  log?(level: string, data: unknown, logger?: string): void;
  /**
   * Server→client request (sampling/createMessage, elicitation/create, roots/list) routed back to
   * the downstream session that caused this request. Absent on 2026-07-28 and `POST /rpc`
   * requests, where such input travels as an MRTR `input_required` result instead; rejects when
   * the client did not declare the matching capability or the session ends.
   */
  request?(method: string, params: unknown, opts?: { signal?: AbortSignal }): Promise<unknown>;
  /** Request `_meta` as sent (traceparent, progressToken, io.modelcontextprotocol/* keys, …). */
  meta?: Record<string, unknown>;
  /** Client capabilities (from `initialize`, or the 2026-07-28 per-request `_meta`). */
  clientCapabilities?: Record<string, unknown>;
  /** Client identity as self-reported (display and logging only). */
  clientInfo?: { name: string; version: string; [k: string]: unknown };
  /** MRTR retry inputs (2026-07-28): `params.inputResponses` of a tools/call, prompts/get or resources/read. */
  inputResponses?: Record<string, unknown>;
  /** MRTR opaque state echoed by the client (2026-07-28): `params.requestState`. */
  requestState?: string;
  /** Downstream session id (legacy eras and WebSocket); absent for stateless requests. */
  sessionId?: string;
  /**
   * Headers of the HTTP request (or WebSocket upgrade) that carried this request: the invoke pipeline
   * forwards allow-listed ones upstream (passthrough headers). Never logged.
   */
  headers?: Record<string, string | string[] | undefined>;
  /** Client address as the socket saw it (rate limits). */
  remoteAddress?: string;
}

/** What the backend reports about the server a scope addresses. */
export interface ServerDescription {
  name: string;
  version: string;
  title?: string;
  instructions?: string;
  /** MCP ServerCapabilities (tools, resources, prompts, logging, completions, …). */
  capabilities: Record<string, unknown>;
}

/** A change the engine fans out to subscribed downstream sessions and listeners. */
export type ChangeEvent =
  | { scope: Scope | 'any'; kind: 'tools' | 'resources' | 'prompts' }
  | { kind: 'resource-updated'; uri: string; scope?: Scope | 'any' };

/** Shape of a paginated list result. */
export type ListResult<K extends string> = { [P in K]: object[] } & { nextCursor?: string } & Record<
    string,
    unknown
  >;

/** The backend the engine dispatches to. The gateway implements it over registries + upstreams. */
export interface McpBackend {
  /** Identity and capabilities of the server `scope` addresses (cached by the engine per scope). */
  serverInfo(scope: Scope): Promise<ServerDescription>;
  listTools(ctx: RequestContext, cursor?: string): Promise<{ tools: object[]; nextCursor?: string }>;
  /** Returns a CallToolResult, or an MRTR `input_required` result (2026-07-28). */
  callTool(ctx: RequestContext, name: string, args: unknown): Promise<object>;
  listResources(ctx: RequestContext, cursor?: string): Promise<{ resources: object[]; nextCursor?: string }>;
  listResourceTemplates(
    ctx: RequestContext,
    cursor?: string,
  ): Promise<{ resourceTemplates: object[]; nextCursor?: string }>;
  readResource(ctx: RequestContext, uri: string): Promise<object>;
  subscribeResource?(ctx: RequestContext, uri: string): Promise<void>;
  unsubscribeResource?(ctx: RequestContext, uri: string): Promise<void>;
  listPrompts(ctx: RequestContext, cursor?: string): Promise<{ prompts: object[]; nextCursor?: string }>;
  getPrompt(ctx: RequestContext, name: string, args?: Record<string, string>): Promise<object>;
  complete?(ctx: RequestContext, params: object): Promise<object>;
  setLogLevel?(ctx: RequestContext, level: string): Promise<void>;
  /** Change notifications; returns an unsubscribe function. */
  onChange?(listener: (e: ChangeEvent) => void): () => void;
}

/**
 * Authenticates a downstream HTTP request or WebSocket upgrade (the security layer's
 * `authenticateNode`). `request.path` is the request path (`/mcp`, `/servers/{id}/mcp`, …): the resource
 * a token must be meant for (RFC 8707) and whose metadata a 401 challenge points at (RFC 9728).
 */
export type Authenticate = (
  headers: Record<string, string | string[] | undefined>,
  remoteAddress: string | undefined,
  request?: { path?: string },
) => Promise<Principal>;
