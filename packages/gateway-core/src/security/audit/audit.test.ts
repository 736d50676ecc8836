import { describe, expect, it } from 'vitest';
import { auditEvent, logAuditSink, MemoryAuditSink } from './audit-event.js';
import { REDACTED, redactHeaders, redactSecrets, redactText } from './redact.js';

describe('redaction', () => {
  it('scrubs secrets recognisable by shape in free text', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhIn0.sig_nature-x';
    expect(redactText(`Authorization: Bearer abcdefghijklmnop`)).toBe('Authorization: Bearer ***');
    expect(redactText(`token ${jwt} end`)).toBe('token *** end');
    expect(redactText('used cfk_0123456789abcdefghijABCDEFGHIJ0123456789abcdef here')).toBe('used *** here');
    expect(redactText('https://user:hunter2@db.example/x')).toBe('https://user:***@db.example/x');
    expect(redactText('GET /cb?code=abc&state=s&client_secret=zzz')).toBe(
      'GET /cb?code=***&state=s&client_secret=***',
    );
    expect(redactText('{"password": "p4ss", "name": "n"}')).toBe('{"password": "***", "name": "n"}');
    expect(redactText('ghp_abcdefghijklmnopqrstuvwx1234')).toBe('***');
  });

  it('deep-copies objects replacing secret-named values, handling cycles, errors and depth', () => {
    const cyclic: Record<string, unknown> = {
      name: 'gw',
      auth_value: 'enc',
      headers: { Authorization: 'Bearer x', Accept: 'json' },
    };
    cyclic.self = cyclic;
    const out = redactSecrets({
      ...cyclic,
      client_secret: 's',
      apiKey: 'k',
      max_tokens: 5,
      err: new Error('failed with Bearer abcdefghijkl'),
    }) as Record<string, unknown>;
    expect(out).toMatchObject({
      name: 'gw',
      auth_value: REDACTED,
      client_secret: REDACTED,
      apiKey: REDACTED,
      max_tokens: 5,
      headers: { Authorization: REDACTED, Accept: 'json' },
      err: { name: 'Error', message: 'failed with Bearer ***' },
    });
    expect((out.self as Record<string, unknown>).self).toBe('[circular]');
    expect(redactSecrets({ a: { b: { c: 1 } } }, { maxDepth: 2 })).toEqual({ a: { b: '[truncated]' } });
    expect(redactSecrets({ custom_field: 'x' }, { extraKeys: ['CUSTOM_FIELD'] })).toEqual({
      custom_field: REDACTED,
    });
  });

  it('redacts request headers for logging', () => {
    expect(
      redactHeaders(
        new Headers({ authorization: 'Bearer t', cookie: 'a=b', 'x-api-key': 'k', accept: '*/*' }),
      ),
    ).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'x-api-key': REDACTED,
      accept: '*/*',
    });
  });
});

describe('audit events', () => {
  it('are stamped, frozen and redacted before reaching sinks', () => {
    const sink = new MemoryAuditSink(2);
    const lines: string[] = [];
    const log = logAuditSink((l) => lines.push(l));
    for (const action of ['token.created', 'auth.login.failed', 'user.updated'] as const) {
      const e = auditEvent({
        action,
        outcome: 'success',
        actor: { subject: 'admin@x', ip: '10.0.0.1' },
        details: { token: 'cfk_secret', name: 'ci' },
      });
      sink.write(e);
      log.write(e);
    }
    expect(sink.events.map((e) => e.action)).toEqual(['auth.login.failed', 'user.updated']);
    expect(sink.events[0]!.details).toEqual({ token: REDACTED, name: 'ci' });
    expect(lines.join('\n')).not.toContain('cfk_secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({
      audit: true,
      action: 'token.created',
      actor: { subject: 'admin@x' },
    });
    expect(Object.isFrozen(sink.events[0])).toBe(true);
  });

  it('a throwing logger never breaks the caller', () => {
    const sink = logAuditSink(() => {
      throw new Error('disk full');
    });
    expect(() =>
      sink.write(auditEvent({ action: 'auth.logout', outcome: 'success', actor: { subject: 'a' } })),
    ).not.toThrow();
  });
});
