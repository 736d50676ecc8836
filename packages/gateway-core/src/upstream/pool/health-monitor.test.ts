import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { HealthMonitor } from './health-monitor.js';

const opts = { intervalMs: 0, timeoutMs: 100, unhealthyThreshold: 3, healthyThreshold: 2, failFast: true };

describe('HealthMonitor', () => {
  it('turns unhealthy after the threshold of consecutive failures and healthy after enough successes', () => {
    const m = new HealthMonitor(opts, silentLogger);
    const events: string[] = [];
    m.onChange((id, state) => events.push(`${id}:${state}`));
    expect(m.get('u')).toEqual({ state: 'unknown', consecutiveFailures: 0 });
    m.success('u');
    m.failure('u', new Error('one'));
    m.failure('u', new Error('two'));
    expect(m.get('u').state).toBe('healthy');
    m.failure('u', new Error('three'));
    expect(m.get('u')).toMatchObject({ state: 'unhealthy', consecutiveFailures: 3, lastError: 'three' });
    m.success('u');
    expect(m.get('u').state).toBe('unhealthy');
    m.success('u');
    expect(m.get('u')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect(events).toEqual(['u:healthy', 'u:unhealthy', 'u:healthy']);
  });

  it('fails fast only while unhealthy and only when active checks run', () => {
    const off = new HealthMonitor(opts, silentLogger);
    for (let i = 0; i < 3; i++) off.failure('x', new Error('down'));
    expect(off.failFast('x', 'upstream x')).toBeUndefined();
    const on = new HealthMonitor({ ...opts, intervalMs: 1000 }, silentLogger);
    expect(on.failFast('x', 'upstream x')).toBeUndefined();
    for (let i = 0; i < 3; i++) on.failure('x', new Error('down'));
    expect(on.failFast('x', 'upstream x')).toMatchObject({ code: 'unreachable', notDelivered: true });
    on.close();
  });

  it('runs a check on demand and leaves the state alone when the check is skipped', async () => {
    const m = new HealthMonitor(opts, silentLogger);
    let outcome: 'ok' | 'skipped' | 'fail' = 'fail';
    const checks: unknown[] = [];
    m.onCheck((id, r) => checks.push([id, r.reachable, r.error]));
    m.watch('c', async () => {
      if (outcome === 'fail') throw new Error('no answer');
      return outcome;
    });
    expect(await m.checkNow('c')).toMatchObject({ consecutiveFailures: 1, lastError: 'no answer' });
    outcome = 'skipped';
    expect(await m.checkNow('c')).toMatchObject({ consecutiveFailures: 1 });
    outcome = 'ok';
    expect(await m.checkNow('c')).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect(checks).toEqual([
      ['c', false, 'no answer'],
      ['c', true, undefined],
    ]);
    m.forget('c');
    expect(m.get('c').state).toBe('unknown');
  });
});
