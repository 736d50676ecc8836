import { describe, expect, it } from 'vitest';
import { MemoryRateStore } from './memory-store.js';
import { parseRate } from './rate.js';

describe('MemoryRateStore', () => {
  it('fixed window: allows the limit, refuses with the time left, resets after the window', () => {
    let now = 1_000;
    const store = new MemoryRateStore(() => now);
    expect(store.hitSync('k', 2, 1000, 'fixed_window')).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
    expect(store.hitSync('k', 2, 1000, 'fixed_window').allowed).toBe(true);
    now += 400;
    expect(store.hitSync('k', 2, 1000, 'fixed_window')).toEqual({
      allowed: false,
      count: 2,
      retryAfterMs: 600,
    });
    now += 600;
    expect(store.hitSync('k', 2, 1000, 'fixed_window')).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
    expect(store.hitSync('other', 2, 1000, 'fixed_window').count).toBe(1);
  });

  it('sliding window: a request frees its slot exactly one window after it was made', () => {
    let now = 0;
    const store = new MemoryRateStore(() => now);
    store.hitSync('k', 2, 1000, 'sliding_window');
    now = 500;
    store.hitSync('k', 2, 1000, 'sliding_window');
    now = 900;
    expect(store.hitSync('k', 2, 1000, 'sliding_window')).toEqual({
      allowed: false,
      count: 2,
      retryAfterMs: 100,
    });
    now = 1000;
    expect(store.hitSync('k', 2, 1000, 'sliding_window').allowed).toBe(true);
    expect(store.hitSync('k', 2, 1000, 'sliding_window').allowed).toBe(false);
  });
});

describe('parseRate', () => {
  it('parses counts per unit and rejects the rest', () => {
    expect(parseRate('60/m')).toEqual({ limit: 60, windowMs: 60_000, text: '60/m' });
    expect(parseRate(' 5 / second ')).toEqual({ limit: 5, windowMs: 1000, text: '5 / second' });
    expect(parseRate('1000/h')?.windowMs).toBe(3_600_000);
    for (const bad of ['0/m', '60', '60/w', '-1/s', 'x/m']) expect(parseRate(bad)).toBeUndefined();
  });
});
