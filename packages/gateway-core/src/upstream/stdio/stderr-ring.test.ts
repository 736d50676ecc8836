import { describe, expect, it } from 'vitest';
import { buildChildEnv } from './safe-env.js';
import { StderrRing } from './stderr-ring.js';

describe('StderrRing', () => {
  it('keeps only the last maxBytes and its last lines', () => {
    const ring = new StderrRing(32);
    for (let i = 0; i < 100; i++) ring.push(`line ${i}\n`);
    expect(ring.tail().length).toBeLessThanOrEqual(32);
    expect(ring.tail(2)).toBe('line 98\nline 99');
    const big = new StderrRing(8);
    big.push('0123456789abcdef');
    expect(big.tail()).toBe('89abcdef');
  });

  it('hands complete lines to the logger at a bounded rate, counting the rest', () => {
    const lines: string[] = [];
    const ring = new StderrRing(1024, (l) => lines.push(l), 5);
    ring.push('a\nb\nc');
    ring.push('d\ne\nf\ng\nh\n');
    expect(lines).toEqual(['a', 'b', 'cd', 'e', 'f']);
  });
});

describe('buildChildEnv', () => {
  const source = { PATH: '/bin', HOME: '/h', LC_ALL: 'C', JWT_SECRET_KEY: 'secret', DATABASE_URL: 'pg://x' };
  it('inherits only safe variables by default and lets the spec override them', () => {
    expect(buildChildEnv({ TOKEN: 't', PATH: '/custom' }, 'safe', source)).toEqual({
      PATH: '/custom',
      HOME: '/h',
      LC_ALL: 'C',
      TOKEN: 't',
    });
  });
  it('inherits everything or nothing on request', () => {
    expect(buildChildEnv(undefined, 'all', source)).toEqual(source);
    expect(buildChildEnv({ A: '1' }, 'none', source)).toEqual({ A: '1' });
  });
});
