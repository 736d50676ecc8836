/**
 * How the gateway reaches an upstream MCP server. `custom`: through a transport registered with the pool
 * under `spec.connector` (the reverse-proxy tunnels, or an embedder's own channel).
 */
export type UpstreamTransportKind = 'streamable-http' | 'sse' | 'websocket' | 'stdio' | 'custom';

/**
 * A registered upstream: the subset of a gateway record the connectors need. The invoke pipeline
 * builds it from the registry record with decrypted auth already applied to `headers` (HTTP) or
 * `env` (stdio).
 */
export interface UpstreamSpec {
  /** Stable id (the gateway record's id); pool entries, health and logs are keyed by it. */
  id: string;
  /** Human-readable name, used in error messages. */
  name: string;
  transport: UpstreamTransportKind;
  /** Endpoint URL (`streamable-http`, `sse`: the SSE stream URL, `websocket`: ws:// or wss://). */
  url?: string;
  /** Extra request headers (auth). Never logged. */
  headers?: Record<string, string>;
  /** stdio: executable to spawn. */
  command?: string;
  /** stdio: its arguments. */
  args?: string[];
  /** stdio: extra environment (added to a minimal safe environment). Never logged. */
  env?: Record<string, string>;
  /** stdio: working directory. */
  cwd?: string;
  /** custom: the name the transport factory was registered under (`McpUpstreamPool.registerTransport`). */
  connector?: string;
  /** Time budget of one call, retries included (default: the pool's `timeoutMs`). */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (default: the pool's `retries`). */
  retries?: number;
  /**
   * `auto` (default) probes with `server/discover` and falls back to `initialize`; a 2026-07-28+
   * revision pins the stateless era (no fallback); a 2025-era revision skips the probe and
   * initializes with that revision.
   */
  protocolVersion?: 'auto' | string;
}

/** A progress notification forwarded from the upstream. */
export interface UpstreamProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** Per-call options. */
export interface UpstreamCallOptions {
  /** Aborts the call: the upstream is told (`notifications/cancelled`, or the stream is closed on 2026-07-28). */
  signal?: AbortSignal;
  /** Overrides the spec's time budget for this call. */
  timeoutMs?: number;
  /** Receives progress notifications of this call (a progress token is added to the request). */
  onProgress?(p: UpstreamProgress): void;
  /** Receives `notifications/message` params the upstream sends while serving this call. */
  onLog?(params: unknown): void;
  /**
   * Answers server→client requests (sampling/createMessage, elicitation/create, roots/list) the
   * upstream sends while serving this call; a throw is returned to the upstream as a JSON-RPC
   * error (an `UpstreamError` of code `remote` keeps its `rpcCode`).
   */
  onServerRequest?(method: string, params: unknown): Promise<unknown>;
  /** Forwarded `_meta` (traceparent, tracestate, `io.modelcontextprotocol/logLevel`, …). */
  meta?: Record<string, unknown>;
  /**
   * 2026-07-28 MRTR retry: the answers to an `input_required` result's `inputRequests`, sent as
   * the request's `inputResponses` param (a params member, not `_meta`, per the spec and SDK).
   */
  inputResponses?: Record<string, unknown>;
  /** 2026-07-28 MRTR retry: the `requestState` of the `input_required` result, echoed byte-exact. */
  requestState?: string;
  /** Isolates: a separate upstream session (legacy era) or process (stdio) per key. */
  sessionKey?: string;
  /**
   * Extra HTTP headers for this call (streamable HTTP only): the gateway's `passthrough_headers`.
   * Names the protocol owns (content-type, accept, mcp-*, host, content-length, connection,
   * transfer-encoding) are dropped. Never logged.
   */
  headers?: Record<string, string>;
}

/** What `discover()` learned about an upstream. */
export interface UpstreamDiscovery {
  /** `serverInfo` from `initialize`, or the `io.modelcontextprotocol/serverInfo` result meta on 2026-07-28. */
  serverInfo: Record<string, unknown>;
  capabilities: Record<string, unknown>;
  /** The negotiated revision. */
  protocolVersion: string;
  instructions?: string;
  tools: Record<string, unknown>[];
  resources: Record<string, unknown>[];
  resourceTemplates: Record<string, unknown>[];
  prompts: Record<string, unknown>[];
}

/** Which change a `list_changed` event reports. */
export type ListChangedKind = 'tools' | 'resources' | 'prompts';

/** A connected upstream (shared across downstream requests; isolated per `sessionKey` when given). */
export interface UpstreamClient {
  readonly spec: UpstreamSpec;
  /** `modern` (2026-07-28, stateless) or `legacy` (session-based); undefined before the first connect. */
  readonly era: 'modern' | 'legacy' | undefined;
  /** Connects if needed and lists tools, resources, resource templates and prompts (all pages, bounded). */
  discover(opts?: UpstreamCallOptions): Promise<UpstreamDiscovery>;
  /** `tools/call`; the result is passed through untouched (MRTR `input_required` included). */
  callTool(name: string, args: unknown, opts?: UpstreamCallOptions): Promise<Record<string, unknown>>;
  readResource(uri: string, opts?: UpstreamCallOptions): Promise<Record<string, unknown>>;
  getPrompt(
    name: string,
    args?: Record<string, string>,
    opts?: UpstreamCallOptions,
  ): Promise<Record<string, unknown>>;
  complete(params: Record<string, unknown>, opts?: UpstreamCallOptions): Promise<Record<string, unknown>>;
  /** Any other request (e.g. `tasks/get`), with the same envelope, timeouts and retries. */
  request(
    method: string,
    params?: Record<string, unknown>,
    opts?: UpstreamCallOptions,
  ): Promise<Record<string, unknown>>;
  /** Starts `resource_updated` events for `uri` (legacy `resources/subscribe`; 2026-07-28 listen filter). */
  subscribeResource(uri: string): Promise<void>;
  unsubscribeResource(uri: string): Promise<void>;
  /** Liveness: `ping` (legacy) or `server/discover` (2026-07-28, which has no ping). */
  ping(opts?: UpstreamCallOptions): Promise<void>;
  on(event: 'list_changed', fn: (kind: ListChangedKind) => void): () => void;
  on(event: 'resource_updated', fn: (uri: string) => void): () => void;
  /** Closes every session/process of this upstream; later calls fail with `closed`. */
  close(): Promise<void>;
}

/** Health of one upstream as the pool sees it. */
export type UpstreamHealthState = 'healthy' | 'unhealthy' | 'unknown';

/** Health record of one upstream. */
export interface UpstreamHealth {
  state: UpstreamHealthState;
  consecutiveFailures: number;
  lastError?: string;
  /** Epoch ms of the last check or call outcome. */
  lastCheckedAt?: number;
}

/** Connection/session reuse, supervision and health for every upstream. */
export interface UpstreamPool {
  /** Returns the live client of `spec.id` (replacing it when connection-relevant fields changed), connecting first. */
  get(spec: UpstreamSpec): Promise<UpstreamClient>;
  health(id: string): UpstreamHealth;
  /** Called on every health state transition. */
  onHealthChange(fn: (id: string, state: UpstreamHealthState, health: UpstreamHealth) => void): () => void;
  /** Closes and forgets one upstream (its processes are killed). */
  remove(id: string): Promise<void>;
  /** Closes everything; the pool cannot be used afterwards. */
  close(): Promise<void>;
}
