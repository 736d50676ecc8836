/**
 * Per-plugin metrics: call counts and outcomes per hook, latency totals and percentiles from a
 * small ring of recent samples (bounded memory whatever the traffic).
 */
import type { HookName } from '../hooks/hook-names.js';

/** Counters of one plugin (all hooks, or one hook). */
export interface HookCounters {
  calls: number;
  errors: number;
  timeouts: number;
  /** Violations that blocked the request. */
  violations: number;
  /** Violations reported in a mode that cannot block (transform/audit/fire_and_forget). */
  suppressedViolations: number;
  /** Calls whose modified payload was applied. */
  modifications: number;
  /** Calls skipped because conditions did not match. */
  skipped: number;
  totalMs: number;
  maxMs: number;
}

/** A snapshot of one plugin's metrics. */
export interface PluginStatsSnapshot extends HookCounters {
  /** Median and 95th percentile of the recent samples (ms). */
  p50Ms: number;
  p95Ms: number;
  /** Mean over all calls (ms). */
  meanMs: number;
  lastError?: { message: string; at: string; hook: HookName };
  byHook: Partial<Record<HookName, HookCounters>>;
}

const RING = 256;

const zero = (): HookCounters => ({
  calls: 0,
  errors: 0,
  timeouts: 0,
  violations: 0,
  suppressedViolations: 0,
  modifications: 0,
  skipped: 0,
  totalMs: 0,
  maxMs: 0,
});

/** Collects one plugin's metrics. Cheap enough for the hot path (no allocation per call). */
export class PluginStats {
  private readonly total = zero();
  private readonly hooks = new Map<HookName, HookCounters>();
  private readonly samples = new Float64Array(RING);
  private sampleCount = 0;
  private lastError: PluginStatsSnapshot['lastError'];

  private forHook(hook: HookName): HookCounters {
    let counters = this.hooks.get(hook);
    if (!counters) {
      counters = zero();
      this.hooks.set(hook, counters);
    }
    return counters;
  }

  /** Records one finished call. */
  record(
    hook: HookName,
    durationMs: number,
    outcome: 'ok' | 'modified' | 'violation' | 'suppressed' | 'error' | 'timeout',
  ): void {
    this.samples[this.sampleCount % RING] = durationMs;
    this.sampleCount++;
    for (const c of [this.total, this.forHook(hook)]) {
      c.calls++;
      c.totalMs += durationMs;
      if (durationMs > c.maxMs) c.maxMs = durationMs;
      if (outcome === 'modified') c.modifications++;
      else if (outcome === 'violation') c.violations++;
      else if (outcome === 'suppressed') c.suppressedViolations++;
      else if (outcome === 'error') c.errors++;
      else if (outcome === 'timeout') {
        c.timeouts++;
        c.errors++;
      }
    }
  }

  /** Records a call skipped by conditions. */
  skip(hook: HookName): void {
    this.total.skipped++;
    this.forHook(hook).skipped++;
  }

  /** Remembers the last error (message only: no payload data). */
  error(hook: HookName, message: string): void {
    this.lastError = { message, at: new Date().toISOString(), hook };
  }

  /** A copy of the current metrics. */
  snapshot(): PluginStatsSnapshot {
    const n = Math.min(this.sampleCount, RING);
    const sorted = Array.from(this.samples.subarray(0, n)).sort((a, b) => a - b);
    const pick = (q: number) => (n === 0 ? 0 : (sorted[Math.min(n - 1, Math.floor(q * n))] ?? 0));
    return {
      ...this.total,
      meanMs: this.total.calls === 0 ? 0 : this.total.totalMs / this.total.calls,
      p50Ms: pick(0.5),
      p95Ms: pick(0.95),
      ...(this.lastError ? { lastError: { ...this.lastError } } : {}),
      byHook: Object.fromEntries([...this.hooks].map(([h, c]) => [h, { ...c }])),
    };
  }
}
