import type { buildConnector } from 'undici';
import type { UpstreamLogger } from '../logger.js';
import { silentLogger } from '../logger.js';
import type { EnvInheritance } from '../stdio/safe-env.js';
import type { CustomTransportFactory } from '../transport/custom-transport.js';
import { UpstreamError } from '../upstream-error.js';

/** Options of the upstream pool; every field has a default. The gateway fills them from config. */
export interface UpstreamPoolOptions {
  /** `clientInfo` sent to upstreams (default `{ name: 'contextforge-gateway', version }`). */
  clientInfo?: { name: string; version: string };
  /**
   * Client capabilities declared upstream (default: sampling, elicitation (form + url) and roots,
   * which the gateway relays to downstream clients). Per-call `meta` may override the 2026-07-28
   * `io.modelcontextprotocol/clientCapabilities` envelope key.
   */
  clientCapabilities?: Record<string, unknown>;
  /** Default time budget of a call, retries included (default 30,000 ms). */
  timeoutMs?: number;
  /** Default extra attempts after retryable failures (default 2). */
  retries?: number;
  /** Delay before the first retry; doubles per attempt (default 50 ms). */
  retryDelayMs?: number;
  /** Bound on connecting: spawn + handshake (default 15,000 ms). */
  connectTimeoutMs?: number;
  /** How long a stdio/WebSocket upstream may stay silent on the `server/discover` probe before it is treated as 2025-era (default 3,000 ms). */
  probeTimeoutMs?: number;
  /** Bound on one response body or message (default 32 MiB). */
  maxResponseBytes?: number;
  /** Bound on requests in flight per upstream connection (default 1,024). */
  maxInFlight?: number;
  /**
   * While the downstream answers a server→client request (an elicitation a human fills in), the
   * call's budget is paused; this bounds the pause (default 300,000 ms).
   */
  serverRequestTimeoutMs?: number;
  /** Bound on upstreams held by the pool (default 10,000). */
  maxUpstreams?: number;
  /** Bounds on one discovery walk per list (default 100 pages, 10,000 items). */
  discovery?: { maxPages?: number; maxItems?: number };
  /** Keep-alive HTTP pools (one per origin). */
  http?: { connectionsPerOrigin?: number; keepAliveTimeoutMs?: number };
  /**
   * undici connector of every upstream HTTP socket: the gateway passes `gateway.auth.ssrfConnector`, so
   * each connection is checked against the SSRF policy at connect time (resolved and literal addresses).
   */
  connect?: buildConnector.connector;
  /** Per-downstream-session upstream sessions (`sessionKey`). */
  sessions?: {
    /** An isolated session unused this long is closed (default 300,000 ms). */
    idleMs?: number;
    /** Bound on isolated sessions per upstream; the least recently used idle one is evicted past it (default 1,000). */
    maxPerUpstream?: number;
  };
  /** Local stdio servers spawned by the gateway. */
  stdio?: {
    /** Spawning is off unless enabled (a registered stdio upstream then fails with `config`). */
    enabled?: boolean;
    /** Processes per upstream, isolated sessions included (default 8). */
    maxProcessesPerServer?: number;
    /** Processes for the whole pool (default 64). */
    maxProcesses?: number;
    /** A process unused this long is stopped; the next call starts it again (default 600,000 ms). */
    idleTtlMs?: number;
    /**
     * Restart backoff after a crash (default 500 ms doubling to 30,000 ms, ±20% jitter). The same
     * backoff paces reconnects of dropped WebSocket and SSE channels.
     */
    restartInitialDelayMs?: number;
    restartMaxDelayMs?: number;
    /** A process that stayed up this long resets the backoff (default 30,000 ms). */
    stableAfterMs?: number;
    /** SIGTERM→SIGKILL escalation window (default 2,000 ms). */
    killGraceMs?: number;
    /** stderr tail kept per process (default 64 KiB). */
    stderrBytes?: number;
    /** Environment inherited from the gateway: `safe` (default: PATH, HOME, locale, …), `all` or `none`. */
    inheritEnv?: EnvInheritance;
    /** stderr lines (rate-limited to 50/s per process). Default: the logger at debug. */
    onStderr?(upstreamId: string, line: string): void;
    /** Process start/stop notifications. */
    onProcess?(upstreamId: string, event: 'spawn' | 'exit', pid: number): void;
  };
  /** Active health checks. */
  health?: {
    /** Check interval (default 30,000 ms; 0 disables active checks). */
    intervalMs?: number;
    /** One check's time budget (default 5,000 ms). */
    timeoutMs?: number;
    /** Consecutive failures that make an upstream unhealthy (default 3). */
    unhealthyThreshold?: number;
    /** Consecutive successes that make an unhealthy upstream healthy again (default 1). */
    healthyThreshold?: number;
    /** While unhealthy (and checks run), calls fail at once with `unreachable` instead of waiting for a timeout (default true). */
    failFast?: boolean;
  };
  /**
   * Transports of `custom` specs, by connector name (`spec.connector`); more can be added later with
   * `McpUpstreamPool.registerTransport`.
   */
  transports?: Record<string, CustomTransportFactory>;
  logger?: UpstreamLogger;
}

/** Options with every default applied. */
export interface ResolvedPoolOptions {
  clientInfo: { name: string; version: string };
  clientCapabilities: Record<string, unknown>;
  timeoutMs: number;
  retries: number;
  retryDelayMs: number;
  connectTimeoutMs: number;
  probeTimeoutMs: number;
  maxResponseBytes: number;
  maxInFlight: number;
  serverRequestTimeoutMs: number;
  maxUpstreams: number;
  discovery: { maxPages: number; maxItems: number };
  http: { connectionsPerOrigin: number; keepAliveTimeoutMs: number };
  sessions: { idleMs: number; maxPerUpstream: number };
  stdio: {
    enabled: boolean;
    maxProcessesPerServer: number;
    maxProcesses: number;
    idleTtlMs: number;
    restartInitialDelayMs: number;
    restartMaxDelayMs: number;
    stableAfterMs: number;
    killGraceMs: number;
    stderrBytes: number;
    inheritEnv: EnvInheritance;
    onStderr: ((upstreamId: string, line: string) => void) | undefined;
    onProcess: ((upstreamId: string, event: 'spawn' | 'exit', pid: number) => void) | undefined;
  };
  health: {
    intervalMs: number;
    timeoutMs: number;
    unhealthyThreshold: number;
    healthyThreshold: number;
    failFast: boolean;
  };
  logger: UpstreamLogger;
}

function num(
  value: number | undefined,
  fallback: number,
  field: string,
  min: number,
  integer = true,
): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) {
    throw new UpstreamError(
      'config',
      `upstream pool option ${field} must be ${integer ? 'an integer' : 'a number'} ≥ ${min}; received ${String(value)}`,
    );
  }
  return v;
}

/**
 * Applies defaults and validates every bound.
 * @throws UpstreamError `config` naming the offending option
 */
export function resolvePoolOptions(o: UpstreamPoolOptions = {}, version = '0.0.0'): ResolvedPoolOptions {
  const inheritEnv = o.stdio?.inheritEnv ?? 'safe';
  if (!['safe', 'all', 'none'].includes(inheritEnv)) {
    throw new UpstreamError(
      'config',
      `upstream pool option stdio.inheritEnv must be safe, all or none; received ${String(inheritEnv)}`,
    );
  }
  const logger = o.logger ?? silentLogger;
  return {
    clientInfo: o.clientInfo ?? { name: 'contextforge-gateway', version },
    clientCapabilities: o.clientCapabilities ?? {
      sampling: {},
      elicitation: { form: {}, url: {} },
      roots: { listChanged: true },
    },
    timeoutMs: num(o.timeoutMs, 30_000, 'timeoutMs', 1),
    retries: num(o.retries, 2, 'retries', 0),
    retryDelayMs: num(o.retryDelayMs, 50, 'retryDelayMs', 0),
    connectTimeoutMs: num(o.connectTimeoutMs, 15_000, 'connectTimeoutMs', 1),
    probeTimeoutMs: num(o.probeTimeoutMs, 3_000, 'probeTimeoutMs', 1),
    maxResponseBytes: num(o.maxResponseBytes, 32 * 1024 * 1024, 'maxResponseBytes', 1024),
    maxInFlight: num(o.maxInFlight, 1024, 'maxInFlight', 1),
    serverRequestTimeoutMs: num(o.serverRequestTimeoutMs, 300_000, 'serverRequestTimeoutMs', 1),
    maxUpstreams: num(o.maxUpstreams, 10_000, 'maxUpstreams', 1),
    discovery: {
      maxPages: num(o.discovery?.maxPages, 100, 'discovery.maxPages', 1),
      maxItems: num(o.discovery?.maxItems, 10_000, 'discovery.maxItems', 1),
    },
    http: {
      connectionsPerOrigin: num(o.http?.connectionsPerOrigin, 256, 'http.connectionsPerOrigin', 1),
      keepAliveTimeoutMs: num(o.http?.keepAliveTimeoutMs, 30_000, 'http.keepAliveTimeoutMs', 1),
    },
    sessions: {
      idleMs: num(o.sessions?.idleMs, 300_000, 'sessions.idleMs', 1),
      maxPerUpstream: num(o.sessions?.maxPerUpstream, 1_000, 'sessions.maxPerUpstream', 1),
    },
    stdio: {
      enabled: o.stdio?.enabled ?? false,
      maxProcessesPerServer: num(o.stdio?.maxProcessesPerServer, 8, 'stdio.maxProcessesPerServer', 1),
      maxProcesses: num(o.stdio?.maxProcesses, 64, 'stdio.maxProcesses', 1),
      idleTtlMs: num(o.stdio?.idleTtlMs, 600_000, 'stdio.idleTtlMs', 1),
      restartInitialDelayMs: num(o.stdio?.restartInitialDelayMs, 500, 'stdio.restartInitialDelayMs', 0),
      restartMaxDelayMs: num(o.stdio?.restartMaxDelayMs, 30_000, 'stdio.restartMaxDelayMs', 0),
      stableAfterMs: num(o.stdio?.stableAfterMs, 30_000, 'stdio.stableAfterMs', 0),
      killGraceMs: num(o.stdio?.killGraceMs, 2_000, 'stdio.killGraceMs', 0),
      stderrBytes: num(o.stdio?.stderrBytes, 64 * 1024, 'stdio.stderrBytes', 256),
      inheritEnv,
      onStderr: o.stdio?.onStderr,
      onProcess: o.stdio?.onProcess,
    },
    health: {
      intervalMs: num(o.health?.intervalMs, 30_000, 'health.intervalMs', 0),
      timeoutMs: num(o.health?.timeoutMs, 5_000, 'health.timeoutMs', 1),
      unhealthyThreshold: num(o.health?.unhealthyThreshold, 3, 'health.unhealthyThreshold', 1),
      healthyThreshold: num(o.health?.healthyThreshold, 1, 'health.healthyThreshold', 1),
      failFast: o.health?.failFast ?? true,
    },
    logger,
  };
}
