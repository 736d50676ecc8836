import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from './logger.js';

describe('logger', () => {
  it('redacts credentials wherever they appear in a logged object', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info(
      {
        gateway: { auth_password: 'pw1', auth_token: 'tok2', name: 'visible' },
        req: { headers: { authorization: 'Bearer tok3' } },
        config: { AUTH_ENCRYPTION_SECRET: 'key4', DATABASE_URL: 'postgres://u:pw5@db/x', PORT: 4444 },
      },
      'hello',
    );
    const line = lines.join('');
    for (const secret of ['pw1', 'tok2', 'tok3', 'key4', 'pw5']) expect(line).not.toContain(secret);
    expect(line).toContain('visible');
    expect(line).toContain('[redacted]');
  });

  it('hides URL passwords', () => {
    expect(redactUrl('redis://:hunter2@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactUrl('not a url user:pw@x')).toBe('not a url user:pw@x');
  });
});
