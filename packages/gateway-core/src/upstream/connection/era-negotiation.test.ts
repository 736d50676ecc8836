import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../upstream-error.js';
import { classifyProbe, pinsLegacy, pinsModern } from './era-negotiation.js';

describe('server/discover probe classification', () => {
  it('takes a discover result listing 2026-07-28 as modern evidence', () => {
    expect(
      classifyProbe({ result: { supportedVersions: ['2026-07-28'], capabilities: {} } }, 'streamable-http'),
    ).toMatchObject({
      kind: 'modern',
      version: '2026-07-28',
    });
    expect(classifyProbe({ result: { supportedVersions: ['2027-01-01'] } }, 'streamable-http')).toEqual({
      kind: 'legacy',
      restart: false,
    });
  });

  it('falls back to initialize on JSON-RPC errors and non-auth 4xx', () => {
    expect(
      classifyProbe({ error: new UpstreamError('remote', 'x', { rpcCode: -32601 }) }, 'streamable-http').kind,
    ).toBe('legacy');
    expect(
      classifyProbe({ error: new UpstreamError('http', 'x', { status: 405 }) }, 'streamable-http').kind,
    ).toBe('legacy');
  });

  it('keeps auth failures, 5xx and network errors as errors, not era verdicts', () => {
    for (const e of [
      new UpstreamError('http', 'x', { status: 401 }),
      new UpstreamError('http', 'x', { status: 503 }),
      new UpstreamError('unreachable', 'x'),
      new UpstreamError('protocol', 'x'),
    ]) {
      expect(classifyProbe({ error: e }, 'streamable-http').kind).toBe('error');
    }
  });

  it('treats silence or death on single-channel transports as a 2025-era server', () => {
    expect(classifyProbe({ error: new UpstreamError('timeout', 'x') }, 'stdio')).toEqual({
      kind: 'legacy',
      restart: false,
    });
    expect(classifyProbe({ error: new UpstreamError('crashed', 'x') }, 'stdio')).toEqual({
      kind: 'legacy',
      restart: true,
    });
    expect(classifyProbe({ error: new UpstreamError('timeout', 'x') }, 'streamable-http').kind).toBe('error');
  });

  it('reads protocol pins', () => {
    expect(pinsModern('2026-07-28')).toBe(true);
    expect(pinsModern('auto')).toBe(false);
    expect(pinsLegacy('2025-06-18')).toBe(true);
    expect(pinsLegacy(undefined)).toBe(false);
  });
});
