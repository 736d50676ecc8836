import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

interface Addon {
  greet(name: unknown): string;
  add(a: unknown, b: unknown): number;
  sum(values: unknown): number;
  repeat(text: unknown, times: unknown): string[];
  reverseBytes(data: unknown): Buffer;
  describe(value: unknown): { type: string; keys: string[] | null; length: number | null };
  pick(object: unknown, name: unknown): unknown;
  fail(message: string, code?: string): never;
  panics(): never;
  callBack(fn: (value: unknown) => unknown, value: unknown): unknown;
  napiVersion: number;
}

const require = createRequire(import.meta.url);
const addon = require('../index.cjs') as Addon;

/** Runs `fn` and returns what it threw (fails the test if it did not throw). */
function thrown(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected the call to throw');
}

describe('node-api test addon (loaded through the platform loader)', () => {
  it('round-trips UTF-8 strings, including non-BMP characters and NUL bytes', () => {
    expect(addon.greet('wörld 🌍')).toBe('hello, wörld 🌍');
    expect(addon.greet('a\u0000b')).toBe('hello, a\u0000b');
  });

  it('reads and returns numbers and arrays', () => {
    expect(addon.add(0.1, 0.2)).toBeCloseTo(0.3);
    expect(addon.sum([1, 2, 3.5])).toBe(6.5);
    expect(addon.sum([])).toBe(0);
    expect(addon.repeat('ab', 3)).toEqual(['ab', 'ab', 'ab']);
  });

  it('copies buffers in and out without touching the input', () => {
    const input = Buffer.from([1, 2, 3, 255]);
    const output = addon.reverseBytes(input);
    expect(Buffer.isBuffer(output)).toBe(true);
    expect([...output]).toEqual([255, 3, 2, 1]);
    expect([...input]).toEqual([1, 2, 3, 255]);
    expect(addon.reverseBytes(Buffer.alloc(0)).length).toBe(0);
  });

  it('reads objects and builds result objects', () => {
    expect(addon.describe({ a: 1, b: 'x' })).toEqual({ type: 'object', keys: ['a', 'b'], length: null });
    expect(addon.describe([1, 2, 3])).toEqual({ type: 'array', keys: null, length: 3 });
    expect(addon.describe(null)).toEqual({ type: 'null', keys: null, length: null });
    expect(addon.pick({ key: { nested: true } }, 'key')).toEqual({ nested: true });
  });

  it('throws a TypeError naming the argument, the expected and the received type', () => {
    const error = thrown(() => addon.greet(42));
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('argument 1: expected a string, received number');
    expect(error.code).toBe('ERR_INVALID_ARG_TYPE');
    expect(thrown(() => addon.sum([1, 'two'])).message).toBe(
      'argument 1[1]: expected a number, received string',
    );
    expect(thrown(() => addon.reverseBytes('text')).message).toBe(
      'argument 1: expected a Buffer, received string',
    );
  });

  it('throws RangeErrors for out-of-range integers', () => {
    expect(thrown(() => addon.repeat('x', -1))).toBeInstanceOf(RangeError);
    expect(thrown(() => addon.repeat('x', 1.5)).message).toContain('expected a safe integer, received 1.5');
    expect(thrown(() => addon.repeat('x', 5000)).message).toBe(
      'argument 2: expected at most 1000, received 5000',
    );
  });

  it('throws errors returned by Rust as JS errors with message and code', () => {
    const error = thrown(() => addon.fail('it broke', 'E_BROKE'));
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('it broke');
    expect(error.code).toBe('E_BROKE');
    expect(thrown(() => addon.pick({}, 'missing')).code).toBe('ERR_NOT_FOUND');
  });

  it('turns a Rust panic into a JS error instead of crashing the process', () => {
    const error = thrown(() => addon.panics());
    expect(error.code).toBe('ERR_NATIVE_PANIC');
    expect(error.message).toMatch(/^panic in native code: index out of bounds/);
    // The process is still healthy afterwards.
    expect(addon.add(1, 1)).toBe(2);
  });

  it('calls back into JS and lets a JS exception propagate unchanged', () => {
    expect(addon.callBack((x) => (x as number) * 2, 21)).toBe(42);
    const original = new SyntaxError('from js');
    expect(
      thrown(() =>
        addon.callBack(() => {
          throw original;
        }, 0),
      ),
    ).toBe(original);
  });

  it('declares the N-API version it targets', () => {
    expect(addon.napiVersion).toBe(8);
  });

  it('survives a panic in a separate process with a zero exit code', () => {
    // Proves no panic crosses the boundary even when nothing catches the JS error early.
    const script = `const a = require(${JSON.stringify(fileURLToPath(new URL('../index.cjs', import.meta.url)))});
      try { a.panics(); } catch (e) { process.stdout.write(e.code); }`;
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: { ...process.env, RUST_BACKTRACE: '0' },
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('ERR_NATIVE_PANIC');
  });
});
