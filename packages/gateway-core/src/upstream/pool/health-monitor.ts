import type { UpstreamLogger } from '../logger.js';
import type { UpstreamHealth, UpstreamHealthState } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import type { ResolvedPoolOptions } from './pool-options.js';

interface Record_ {
  state: UpstreamHealthState;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  lastError?: string;
  lastCheckedAt?: number;
  timer?: NodeJS.Timeout;
  checking: boolean;
  check?: () => Promise<'ok' | 'skipped'>;
}

/** Listener of health transitions. */
export type HealthListener = (id: string, state: UpstreamHealthState, health: UpstreamHealth) => void;

/** The outcome of one active health check (skipped checks are not reported). */
export interface HealthCheckResult {
  /** True when the upstream answered in time. */
  reachable: boolean;
  /** Why it failed (no secrets). */
  error?: string;
  /** Epoch ms of the check. */
  at: number;
}

/** Listener of individual health checks. */
export type HealthCheckListener = (id: string, result: HealthCheckResult) => void;

/**
 * Health per upstream from two sources: active checks on an interval (ping / server/discover with
 * their own timeout) and passive outcomes of real calls. `unhealthyThreshold` consecutive
 * failures make an upstream unhealthy; `healthyThreshold` consecutive successes bring it back.
 * Every transition is reported once to the listeners. Checks of different upstreams are
 * independent, so one hanging upstream never delays another's.
 */
export class HealthMonitor {
  private readonly records = new Map<string, Record_>();
  private readonly listeners = new Set<HealthListener>();
  private readonly checkListeners = new Set<HealthCheckListener>();
  private closed = false;

  /**
   * @param options thresholds and interval
   * @param logger transitions are logged at info/warn
   */
  constructor(
    private readonly options: ResolvedPoolOptions['health'],
    private readonly logger: UpstreamLogger,
  ) {}

  /** The health of `id` (`unknown` when never seen). */
  get(id: string): UpstreamHealth {
    const r = this.records.get(id);
    if (r === undefined) return { state: 'unknown', consecutiveFailures: 0 };
    const h: UpstreamHealth = { state: r.state, consecutiveFailures: r.consecutiveFailures };
    if (r.lastError !== undefined) h.lastError = r.lastError;
    if (r.lastCheckedAt !== undefined) h.lastCheckedAt = r.lastCheckedAt;
    return h;
  }

  onChange(fn: HealthListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Called after every active check that ran (for a registry's last-check bookkeeping). */
  onCheck(fn: HealthCheckListener): () => void {
    this.checkListeners.add(fn);
    return () => this.checkListeners.delete(fn);
  }

  /**
   * The error a call should fail with at once, when the upstream is unhealthy and active checks
   * are running (they will notice recovery); undefined otherwise.
   */
  failFast(id: string, where: string): UpstreamError | undefined {
    if (!this.options.failFast || this.options.intervalMs === 0) return undefined;
    const r = this.records.get(id);
    if (r === undefined || r.state !== 'unhealthy') return undefined;
    return new UpstreamError(
      'unreachable',
      `${where} is unhealthy (${r.lastError ?? 'failing health checks'}); failing fast until a health check succeeds`,
      {
        upstreamId: id,
        notDelivered: true,
      },
    );
  }

  /** A success (check or call). Cheap when nothing changes: this runs on every call. */
  success(id: string): void {
    const r = this.records.get(id);
    if (r === undefined) {
      this.transition(id, this.create(id), 'healthy');
      return;
    }
    r.lastCheckedAt = Date.now();
    if (r.state === 'healthy' && r.consecutiveFailures === 0) return;
    r.consecutiveFailures = 0;
    r.consecutiveSuccesses += 1;
    if (
      r.state === 'unknown' ||
      (r.state === 'unhealthy' && r.consecutiveSuccesses >= this.options.healthyThreshold)
    ) {
      r.lastError = undefined;
      this.transition(id, r, 'healthy');
    }
  }

  /** A failure (check, or a call failing at the transport level). */
  failure(id: string, error: Error): void {
    const r = this.records.get(id) ?? this.create(id);
    r.lastCheckedAt = Date.now();
    r.lastError = error.message;
    r.consecutiveSuccesses = 0;
    r.consecutiveFailures += 1;
    if (r.state !== 'unhealthy' && r.consecutiveFailures >= this.options.unhealthyThreshold)
      this.transition(id, r, 'unhealthy');
  }

  /**
   * Starts periodic checks of `id`. `check` resolves `skipped` when there is nothing to check
   * (a stopped idle stdio process), which leaves the state alone.
   */
  watch(id: string, check: () => Promise<'ok' | 'skipped'>): void {
    const r = this.records.get(id) ?? this.create(id);
    r.check = check;
    if (this.options.intervalMs > 0 && r.timer === undefined && !this.closed) this.schedule(id, r);
  }

  /** Runs one check of `id` now (also without a running interval). */
  async checkNow(id: string): Promise<UpstreamHealth> {
    const r = this.records.get(id);
    if (r?.check === undefined || r.checking) return this.get(id);
    r.checking = true;
    let result: HealthCheckResult | undefined;
    try {
      const outcome = await r.check();
      if (outcome === 'ok') {
        this.success(id);
        result = { reachable: true, at: Date.now() };
      }
    } catch (err) {
      this.failure(id, err as Error);
      result = { reachable: false, error: (err as Error).message, at: Date.now() };
    } finally {
      r.checking = false;
    }
    if (result !== undefined && this.records.get(id) === r) {
      for (const fn of this.checkListeners) {
        try {
          fn(id, result);
        } catch (err) {
          this.logger.warn(`health check listener threw: ${(err as Error).message}`);
        }
      }
    }
    return this.get(id);
  }

  /** Stops checking and forgets `id`. */
  forget(id: string): void {
    const r = this.records.get(id);
    if (r !== undefined) clearTimeout(r.timer);
    this.records.delete(id);
  }

  close(): void {
    this.closed = true;
    for (const r of this.records.values()) clearTimeout(r.timer);
    this.records.clear();
    this.listeners.clear();
    this.checkListeners.clear();
  }

  private create(id: string): Record_ {
    const r: Record_ = { state: 'unknown', consecutiveFailures: 0, consecutiveSuccesses: 0, checking: false };
    this.records.set(id, r);
    return r;
  }

  private schedule(id: string, r: Record_): void {
    // ±10% jitter so upstreams registered together are not checked in lockstep.
    const delay = Math.round(this.options.intervalMs * (0.9 + Math.random() * 0.2));
    r.timer = setTimeout(() => {
      if (this.records.get(id) !== r || this.closed) return;
      void this.checkNow(id).finally(() => {
        if (this.records.get(id) === r && !this.closed) this.schedule(id, r);
      });
    }, delay);
    r.timer.unref();
  }

  private transition(id: string, r: Record_, state: UpstreamHealthState): void {
    if (r.state === state) return;
    r.state = state;
    if (state === 'healthy') r.consecutiveSuccesses = 0;
    const health = this.get(id);
    if (state === 'unhealthy')
      this.logger.warn(`upstream ${id} is unhealthy`, { upstream: id, lastError: r.lastError });
    else this.logger.info(`upstream ${id} is ${state}`, { upstream: id });
    for (const fn of this.listeners) {
      try {
        fn(id, state, health);
      } catch (err) {
        this.logger.warn(`health listener threw: ${(err as Error).message}`);
      }
    }
  }
}
