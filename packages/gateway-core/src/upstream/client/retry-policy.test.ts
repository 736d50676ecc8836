import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../upstream-error.js';
import { countsAgainstHealth, isRetryable } from './retry-policy.js';

const err = (code: UpstreamError['code'], o: { status?: number; notDelivered?: boolean } = {}) =>
  new UpstreamError(code, 'x', o);

describe('retry policy', () => {
  it('re-sends a tools/call only when the failure proves it was not delivered', () => {
    expect(isRetryable(err('unreachable', { notDelivered: true }), 'tools/call')).toBe(true);
    expect(isRetryable(err('unreachable'), 'tools/call')).toBe(false);
    expect(isRetryable(err('crashed'), 'tools/call')).toBe(false);
    expect(isRetryable(err('http', { status: 503, notDelivered: true }), 'tools/call')).toBe(true);
    expect(isRetryable(err('http', { status: 500 }), 'tools/call')).toBe(false);
    expect(isRetryable(err('timeout'), 'tools/call')).toBe(false);
  });

  it('retries safe methods after transport failures, never after answers, auth failures or our own bounds', () => {
    expect(isRetryable(err('unreachable'), 'tools/list')).toBe(true);
    expect(isRetryable(err('crashed'), 'resources/read')).toBe(true);
    expect(isRetryable(err('http', { status: 502 }), 'prompts/get')).toBe(true);
    expect(isRetryable(err('http', { status: 401, notDelivered: true }), 'tools/list')).toBe(false);
    expect(isRetryable(err('remote'), 'tools/list')).toBe(false);
    expect(isRetryable(err('protocol'), 'tools/list')).toBe(false);
    expect(isRetryable(err('capacity', { notDelivered: true }), 'tools/list')).toBe(false);
    expect(isRetryable(err('cancelled'), 'tools/list')).toBe(false);
  });

  it('counts transport-level failures against health, not answers or call timeouts', () => {
    expect(countsAgainstHealth(err('unreachable'))).toBe(true);
    expect(countsAgainstHealth(err('crashed'))).toBe(true);
    expect(countsAgainstHealth(err('protocol'))).toBe(true);
    expect(countsAgainstHealth(err('http', { status: 503 }))).toBe(true);
    expect(countsAgainstHealth(err('http', { status: 404 }))).toBe(false);
    expect(countsAgainstHealth(err('remote'))).toBe(false);
    expect(countsAgainstHealth(err('timeout'))).toBe(false);
    expect(countsAgainstHealth(err('cancelled'))).toBe(false);
  });
});
