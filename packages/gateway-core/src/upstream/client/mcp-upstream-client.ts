import type { Dispatcher } from 'undici';
import { sleep } from '../backoff.js';
import { McpConnection } from '../connection/mcp-connection.js';
import type { RequestOptions } from '../connection/pending-request.js';
import { type McpParamDeclaration, paramHeaderValues, scanParamHeaders } from '../mcp-headers.js';
import type { HealthMonitor } from '../pool/health-monitor.js';
import type { ResolvedPoolOptions } from '../pool/pool-options.js';
import { LEGACY_PROTOCOL_VERSIONS } from '../protocol.js';
import { ProcessBudget } from '../stdio/process-budget.js';
import type { CustomTransportFactory } from '../transport/custom-transport.js';
import type { HttpDispatchers } from '../transport/http-dispatchers.js';
import type { StdioTransport } from '../transport/stdio-transport.js';
import type {
  ListChangedKind,
  UpstreamCallOptions,
  UpstreamClient,
  UpstreamDiscovery,
  UpstreamSpec,
} from '../types.js';
import { isUpstreamError, toUpstreamError, UpstreamError } from '../upstream-error.js';
import { ChangeListeners } from './change-listeners.js';
import { listAll } from './discovery.js';
import { passthroughHeaders } from './passthrough-headers.js';
import { countsAgainstHealth, isRetryable } from './retry-policy.js';
import { SessionRegistry } from './session-registry.js';
import { createTransport } from './transport-factory.js';

/** Pool-level resources a client uses. */
export interface ClientDeps {
  options: ResolvedPoolOptions;
  dispatchers: HttpDispatchers;
  /** The pool-wide stdio process budget. */
  processes: ProcessBudget;
  health: HealthMonitor;
  /** Factories of `custom` transports, by connector name (live: registrations apply to new connections). */
  transports: ReadonlyMap<string, CustomTransportFactory>;
}

/** Internal call flags: health checks bypass fail-fast, retries and passive health. */
interface CallFlags {
  check?: boolean;
  headers?: Record<string, string> | undefined;
}

const NO_OPTIONS: UpstreamCallOptions = {};

/**
 * The {@link UpstreamClient} of one upstream: a shared connection reused by every downstream
 * request, plus isolated connections per `sessionKey` (legacy sessions, stdio processes) that
 * are reaped when idle. Adds per-call time budgets, retries of provably safe failures, fail-fast
 * while unhealthy, passive health, `Mcp-Param-*` headers learnt at discovery, and debounced
 * change events.
 */
export class McpUpstreamClient implements UpstreamClient {
  private currentSpec: UpstreamSpec;
  private readonly where: string;
  private readonly shared: McpConnection;
  private readonly sessions: SessionRegistry;
  private readonly budget: ProcessBudget | undefined;
  private readonly origin: string | undefined;
  private readonly dispatcher: Dispatcher | undefined;
  private readonly listeners: ChangeListeners;
  private readonly resources = new Set<string>();
  private paramHeaders = new Map<string, McpParamDeclaration[]>();
  /**
   * A 2025-era session beside a 2026-07-28 shared connection, for calls of 2025-era downstream clients
   * (see {@link viaLegacySession}): created on first use, closed when idle; null once the upstream refused
   * `initialize` (it speaks 2026-07-28 only).
   */
  private legacy: McpConnection | null | undefined;
  private readonly reaper: NodeJS.Timeout;
  private closedFlag = false;

  /**
   * @param spec a validated spec
   * @param deps pool resources
   * @throws UpstreamError `config` (stdio disabled)
   */
  constructor(
    spec: UpstreamSpec,
    private readonly deps: ClientDeps,
  ) {
    this.currentSpec = spec;
    this.where = `upstream '${spec.name}' (${spec.id})`;
    this.listeners = new ChangeListeners(deps.options.logger, this.where, () => this.updateEventsWanted());
    const { options } = deps;
    if (spec.transport === 'streamable-http' || spec.transport === 'sse') {
      this.origin = new URL(spec.url as string).origin;
      this.dispatcher = deps.dispatchers.acquire(this.origin);
    }
    if (spec.transport === 'stdio')
      this.budget = new ProcessBudget(options.stdio.maxProcessesPerServer, this.where);
    try {
      this.shared = this.newConnection(true);
    } catch (err) {
      if (this.origin !== undefined) deps.dispatchers.release(this.origin);
      throw err;
    }
    this.sessions = new SessionRegistry(
      () => this.newConnection(false),
      options.sessions.maxPerUpstream,
      options.sessions.idleMs,
      this.where,
    );
    const idle =
      spec.transport === 'stdio'
        ? Math.min(options.sessions.idleMs, options.stdio.idleTtlMs)
        : options.sessions.idleMs;
    this.reaper = setInterval(() => this.reap(), Math.min(30_000, Math.max(50, Math.floor(idle / 2))));
    this.reaper.unref();
  }

  get spec(): UpstreamSpec {
    return this.currentSpec;
  }

  get era(): 'modern' | 'legacy' | undefined {
    return this.shared.era;
  }

  /** True while the shared connection is up. */
  get connected(): boolean {
    return this.shared.ready;
  }

  /** Requests in flight on every connection of this upstream. */
  get inFlight(): number {
    let n = this.shared.inFlight + (this.legacy?.inFlight ?? 0);
    for (const c of this.sessions.values()) n += c.inFlight;
    return n;
  }

  /** Live isolated sessions. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Pids of this upstream's running stdio processes (shared first). */
  processIds(): number[] {
    const pids: number[] = [];
    const extra = this.legacy ? [this.legacy] : [];
    for (const c of [this.shared, ...extra, ...this.sessions.values()]) {
      const pid = (c.transport as StdioTransport).pid;
      if (c.transport.kind === 'stdio' && pid !== undefined) pids.push(pid);
    }
    return pids;
  }

  /** Takes non-connection fields (name, timeout, retries) of a newer spec with the same fingerprint. */
  updateSpec(spec: UpstreamSpec): void {
    this.currentSpec = spec;
  }

  /** Connects the shared session (no-op when connected). @throws UpstreamError */
  connect(opts: UpstreamCallOptions = NO_OPTIONS): Promise<void> {
    if (this.shared.ready) return Promise.resolve();
    const failFast = this.guard();
    if (failFast) return Promise.reject(failFast);
    return this.shared.ensureReady(this.deadline(opts), opts.signal).catch((err: unknown) => {
      const error = toUpstreamError(err, 'unreachable', this.where);
      if (countsAgainstHealth(error)) this.deps.health.failure(this.currentSpec.id, error);
      throw error;
    });
  }

  async discover(opts: UpstreamCallOptions = NO_OPTIONS): Promise<UpstreamDiscovery> {
    await this.connect(opts);
    const caps = this.shared.capabilities;
    const bounds = this.deps.options.discovery;
    const shared = { ...opts, sessionKey: undefined };
    const page = (method: string) => (params: Record<string, unknown> | undefined) =>
      this.call(method, params, shared);
    const [tools, resources, resourceTemplates, prompts] = await Promise.all([
      caps.tools ? listAll(page('tools/list'), 'tools', bounds) : [],
      caps.resources ? listAll(page('resources/list'), 'resources', bounds) : [],
      caps.resources ? listAll(page('resources/templates/list'), 'resourceTemplates', bounds) : [],
      caps.prompts ? listAll(page('prompts/list'), 'prompts', bounds) : [],
    ]);
    const headers = new Map<string, McpParamDeclaration[]>();
    for (const tool of tools) {
      const decls = scanParamHeaders(tool.inputSchema);
      if (decls.length > 0 && typeof tool.name === 'string') headers.set(tool.name, decls);
    }
    this.paramHeaders = headers;
    const out: UpstreamDiscovery = {
      serverInfo: this.shared.serverInfo,
      capabilities: caps,
      protocolVersion: this.shared.protocolVersion as string,
      tools,
      resources,
      resourceTemplates,
      prompts,
    };
    if (this.shared.instructions !== undefined) out.instructions = this.shared.instructions;
    return out;
  }

  callTool(
    name: string,
    args: unknown,
    opts: UpstreamCallOptions = NO_OPTIONS,
  ): Promise<Record<string, unknown>> {
    const decls = this.paramHeaders.size === 0 ? undefined : this.paramHeaders.get(name);
    const headers = decls === undefined ? undefined : paramHeaderValues(decls, args);
    return this.call(
      'tools/call',
      { name, arguments: args ?? {} },
      opts,
      headers === undefined ? undefined : { headers },
    );
  }

  readResource(uri: string, opts: UpstreamCallOptions = NO_OPTIONS): Promise<Record<string, unknown>> {
    return this.call('resources/read', { uri }, opts);
  }

  getPrompt(
    name: string,
    args?: Record<string, string>,
    opts: UpstreamCallOptions = NO_OPTIONS,
  ): Promise<Record<string, unknown>> {
    return this.call('prompts/get', args === undefined ? { name } : { name, arguments: args }, opts);
  }

  complete(
    params: Record<string, unknown>,
    opts: UpstreamCallOptions = NO_OPTIONS,
  ): Promise<Record<string, unknown>> {
    return this.call('completion/complete', params, opts);
  }

  request(
    method: string,
    params?: Record<string, unknown>,
    opts: UpstreamCallOptions = NO_OPTIONS,
  ): Promise<Record<string, unknown>> {
    return this.call(method, params, opts);
  }

  async ping(opts: UpstreamCallOptions = NO_OPTIONS): Promise<void> {
    await this.connect(opts);
    await this.call(this.shared.era === 'modern' ? 'server/discover' : 'ping', undefined, {
      ...opts,
      sessionKey: undefined,
    });
  }

  /**
   * One health check: ping within `timeoutMs`, bypassing fail-fast and retries. A stdio upstream
   * whose process is stopped (idle) is not started for it: `skipped`.
   */
  async healthCheck(timeoutMs: number): Promise<'ok' | 'skipped'> {
    if (this.closedFlag) return 'skipped';
    if (this.currentSpec.transport === 'stdio' && this.shared.idle && this.shared.inFlight === 0) {
      // Stopped while idle: nothing to check without spawning (unless it is unhealthy and may have recovered).
      if (this.deps.health.get(this.currentSpec.id).state !== 'unhealthy') return 'skipped';
    }
    const deadline = Date.now() + timeoutMs;
    await this.shared.ensureReady(deadline);
    await this.call(
      this.shared.era === 'modern' ? 'server/discover' : 'ping',
      undefined,
      { timeoutMs: Math.max(1, deadline - Date.now()) },
      { check: true },
    );
    return 'ok';
  }

  async subscribeResource(uri: string): Promise<void> {
    if (this.resources.has(uri)) return;
    await this.connect();
    if (this.shared.era === 'legacy')
      await this.call('resources/subscribe', { uri }, { sessionKey: undefined });
    this.resources.add(uri);
    this.shared.setResourceSubscriptions(this.resources);
    this.updateEventsWanted();
  }

  async unsubscribeResource(uri: string): Promise<void> {
    if (!this.resources.delete(uri)) return;
    this.shared.setResourceSubscriptions(this.resources);
    this.updateEventsWanted();
    if (this.shared.era === 'legacy' && this.shared.ready)
      await this.call('resources/unsubscribe', { uri }, { sessionKey: undefined });
  }

  on(event: 'list_changed', fn: (kind: ListChangedKind) => void): () => void;
  on(event: 'resource_updated', fn: (uri: string) => void): () => void;
  on(
    event: 'list_changed' | 'resource_updated',
    fn: ((kind: ListChangedKind) => void) | ((uri: string) => void),
  ): () => void {
    return this.listeners.add(event, fn);
  }

  /** Closes the isolated session of a downstream session that ended. */
  endSession(sessionKey: string): Promise<void> {
    return this.sessions.drop(sessionKey);
  }

  async close(): Promise<void> {
    if (this.closedFlag) return;
    this.closedFlag = true;
    clearInterval(this.reaper);
    this.listeners.close();
    await Promise.all([this.shared.close(), this.legacy?.close(), this.sessions.closeAll()]);
    if (this.origin !== undefined) this.deps.dispatchers.release(this.origin);
  }

  /** A connection of this upstream; `pin` fixes its protocol revision (no era probe). */
  private newConnection(shared: boolean, pin?: string): McpConnection {
    const { options, processes } = this.deps;
    const spec = pin === undefined ? this.currentSpec : { ...this.currentSpec, protocolVersion: pin };
    const budgets = this.budget === undefined ? [] : [this.budget, processes];
    const transport = createTransport(spec, {
      options,
      dispatcher: this.dispatcher,
      budgets,
      custom: this.deps.transports,
      where: this.where,
    });
    const channel = spec.transport !== 'streamable-http';
    return new McpConnection({
      spec,
      where: this.where,
      transport,
      clientInfo: options.clientInfo,
      clientCapabilities: options.clientCapabilities,
      connectTimeoutMs: options.connectTimeoutMs,
      probeTimeoutMs: options.probeTimeoutMs,
      reconnect: { initialMs: options.stdio.restartInitialDelayMs, maxMs: options.stdio.restartMaxDelayMs },
      stableAfterMs: options.stdio.stableAfterMs,
      autoReconnect: shared && channel,
      idleTtlMs: spec.transport === 'stdio' ? options.stdio.idleTtlMs : options.sessions.idleMs,
      maxInFlight: options.maxInFlight,
      serverRequestTimeoutMs: options.serverRequestTimeoutMs,
      logger: options.logger,
      // A pinned side session's change notifications repeat the shared connection's: drop them.
      onEvent: pin === undefined ? (e) => this.listeners.emit(e) : () => {},
      onChannelFailure: shared ? (error) => this.deps.health.failure(spec.id, error) : undefined,
      onReady: shared ? () => this.resubscribe() : undefined,
    });
  }

  private deadline(opts: UpstreamCallOptions): number {
    return Date.now() + (opts.timeoutMs ?? this.currentSpec.timeoutMs ?? this.deps.options.timeoutMs);
  }

  private guard(): UpstreamError | undefined {
    if (this.closedFlag)
      return new UpstreamError('closed', `${this.where}: client is closed`, {
        upstreamId: this.currentSpec.id,
        notDelivered: true,
      });
    return this.deps.health.failFast(this.currentSpec.id, this.where);
  }

  /** One logical call: picks the connection, applies the budget, retries what is safe. */
  private call(
    method: string,
    params: Record<string, unknown> | undefined,
    opts: UpstreamCallOptions,
    flags?: CallFlags,
  ): Promise<Record<string, unknown>> {
    const blocked = flags?.check ? (this.closedFlag ? this.guard() : undefined) : this.guard();
    if (blocked) return Promise.reject(blocked);
    if (opts.inputResponses !== undefined || opts.requestState !== undefined) {
      params = { ...params };
      if (opts.inputResponses !== undefined) params.inputResponses = opts.inputResponses;
      if (opts.requestState !== undefined) params.requestState = opts.requestState;
    }
    let headers = flags?.headers;
    if (opts.headers !== undefined) headers = { ...passthroughHeaders(opts.headers), ...headers };
    const ro: RequestOptions = {
      deadline: this.deadline(opts),
      signal: opts.signal,
      onProgress: opts.onProgress,
      onLog: opts.onLog,
      onServerRequest: opts.onServerRequest,
      meta: opts.meta,
      headers,
      sessionKey: opts.sessionKey,
    };
    return this.attempt(method, params, ro, 0, flags?.check === true);
  }

  private attempt(
    method: string,
    params: Record<string, unknown> | undefined,
    ro: RequestOptions,
    n: number,
    check: boolean,
  ): Promise<Record<string, unknown>> {
    let sent: Promise<Record<string, unknown>>;
    const key = ro.sessionKey;
    if (ro.onServerRequest !== undefined && this.legacy !== null && this.shared.era !== 'legacy')
      sent = this.viaLegacySession(method, params, ro);
    else if (key === undefined || this.shared.era === 'modern')
      sent = this.shared.request(method, params, ro);
    else if (this.shared.era === undefined) {
      // The era decides whether isolation needs a session of its own: learn it first.
      sent = this.shared
        .ensureReady(ro.deadline, ro.signal)
        .then(() => this.isolated(key).request(method, params, ro));
    } else {
      try {
        sent = this.isolated(key).request(method, params, ro);
      } catch (err) {
        sent = Promise.reject(err);
      }
    }
    if (check) return sent;
    return sent.then(
      (result) => {
        this.deps.health.success(this.currentSpec.id);
        return result;
      },
      (err: unknown) => this.retryOrThrow(err, method, params, ro, n),
    );
  }

  /**
   * Serves the call of a 2025-era downstream client (one that can answer server→client requests) over a
   * 2025-era session when the shared connection speaks 2026-07-28. A tool written for 2025-era clients asks
   * for sampling, elicitation or roots in the middle of its call; a 2026-07-28 request cannot carry that
   * (the server must answer `input_required` instead, which a 2025-era client does not understand), so the
   * era the downstream client speaks is kept all the way to the upstream. An upstream that refuses
   * `initialize` (2026-07-28 only) is served on the shared connection from then on.
   */
  private async viaLegacySession(
    method: string,
    params: Record<string, unknown> | undefined,
    ro: RequestOptions,
  ): Promise<Record<string, unknown>> {
    // The shared connection's era decides whether a second session is needed at all: learn it first.
    if (this.shared.era === undefined) await this.shared.ensureReady(ro.deadline, ro.signal);
    if (this.shared.era === 'legacy') {
      const key = ro.sessionKey;
      return (key === undefined ? this.shared : this.isolated(key)).request(method, params, ro);
    }
    if (this.legacy === undefined) {
      this.legacy = this.newConnection(false, LEGACY_PROTOCOL_VERSIONS[0]);
      // Servers may send their requests on the session's GET stream rather than the call's response
      // stream (the SDK's do): open it; they are attributed to the one call in flight there.
      this.legacy.setEventsWanted(true);
    }
    const conn = this.legacy;
    if (conn === null) return this.shared.request(method, params, ro);
    if (!conn.ready) {
      try {
        await conn.ensureReady(ro.deadline, ro.signal);
      } catch (err) {
        // No stdio process left for a second session: the stateless connection still serves the call.
        if (isUpstreamError(err) && err.code === 'capacity') return this.shared.request(method, params, ro);
        if (!refusesInitialize(err)) throw err;
        if (this.legacy === conn) this.legacy = null;
        void conn.close();
        this.deps.options.logger.debug(`${this.where}: speaks 2026-07-28 only; 2025-era clients share it`, {
          upstream: this.currentSpec.id,
        });
        return this.shared.request(method, params, ro);
      }
    }
    return conn.request(method, params, ro);
  }

  private isolated(key: string): McpConnection {
    return this.shared.era === 'modern' ? this.shared : this.sessions.get(key);
  }

  private async retryOrThrow(
    err: unknown,
    method: string,
    params: Record<string, unknown> | undefined,
    ro: RequestOptions,
    n: number,
  ): Promise<Record<string, unknown>> {
    const error = toUpstreamError(err, 'unreachable', `${this.where}: ${method} failed`);
    error.upstreamId ??= this.currentSpec.id;
    if (countsAgainstHealth(error)) this.deps.health.failure(this.currentSpec.id, error);
    const retries = this.currentSpec.retries ?? this.deps.options.retries;
    if (n >= retries || this.closedFlag || ro.signal?.aborted || !isRetryable(error, method)) throw error;
    const delay = this.deps.options.retryDelayMs * 2 ** n;
    if (Date.now() + delay >= ro.deadline) throw error;
    await sleep(delay);
    if (this.guard()) throw error;
    this.deps.options.logger.debug(`${this.where}: retrying ${method} after ${error.code}`, {
      upstream: this.currentSpec.id,
      attempt: n + 1,
    });
    return this.attempt(method, params, ro, n + 1, false);
  }

  private updateEventsWanted(): void {
    this.shared.setEventsWanted(this.listeners.wanted || this.resources.size > 0);
  }

  /** A new legacy session starts without subscriptions: subscribe again. */
  private resubscribe(): void {
    if (this.shared.era !== 'legacy' || this.resources.size === 0) return;
    for (const uri of this.resources) {
      this.shared
        .request('resources/subscribe', { uri }, { deadline: Date.now() + this.deps.options.timeoutMs })
        .catch((err: Error) =>
          this.deps.options.logger.warn(`${this.where}: re-subscribing ${uri} failed: ${err.message}`),
        );
    }
  }

  private reap(): void {
    const now = Date.now();
    this.sessions.reap(now);
    const legacy = this.legacy;
    if (legacy && legacy.inFlight === 0 && now - legacy.lastUsed > this.deps.options.sessions.idleMs) {
      this.legacy = undefined;
      void legacy.close();
    }
    if (
      this.currentSpec.transport === 'stdio' &&
      this.shared.inFlight === 0 &&
      now - this.shared.lastUsed > this.deps.options.stdio.idleTtlMs
    ) {
      void this.shared.stopIdle();
    }
  }
}

/**
 * True when a 2025-era handshake failed because the upstream does not speak that era (a JSON-RPC error to
 * `initialize`, a 4xx other than 401/403, or an answer naming a revision we cannot speak), not because it
 * is unreachable.
 */
function refusesInitialize(err: unknown): boolean {
  if (!isUpstreamError(err)) return false;
  if (err.code === 'remote' || err.code === 'protocol') return true;
  const status = err.status ?? 0;
  return err.code === 'http' && status >= 400 && status < 500 && status !== 401 && status !== 403;
}
