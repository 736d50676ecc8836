import { describe, expect, it } from 'vitest';
import { PiiScanner } from './pii-scanner.js';

describe('PiiScanner (native)', () => {
  it('scans many strings in one call and splits the masked result back', () => {
    const scanner = new PiiScanner({ mask: 'redact' });
    const result = scanner.scanAll(['ok', 'a@b.io', 'no pii', '4111111111111111 and 10.0.0.1'], true);
    expect(result).toEqual({
      total: 3,
      counts: { email: 1, credit_card: 1, ipv4: 1 },
      texts: ['ok', '[REDACTED]', 'no pii', '[REDACTED] and [REDACTED]'],
    });
    expect(scanner.scanAll(['nothing', 'here'], true)).toBeNull();
    expect(scanner.scanAll(['a@b.io'], false)).toEqual({ total: 1, counts: { email: 1 }, texts: null });
    scanner.release();
  });

  it('keeps multi-byte text intact around findings', () => {
    const scanner = new PiiScanner({ mask: 'partial' });
    expect(scanner.scan('naïve café ☕ → zoe@exemple.fr ✓', true)?.texts).toEqual([
      'naïve café ☕ → z***@exemple.fr ✓',
    ]);
  });

  it('throws a RangeError naming a bad option', () => {
    expect(() => new PiiScanner({ mask: 'blur' })).toThrow(
      'config.mask: expected one of redact, partial, hash, tokenize, remove',
    );
    expect(() => new PiiScanner({ detectors: ['emale'] })).toThrow(
      'config.detectors[0]: unknown detector "emale"',
    );
  });

  it('fails loudly after release', () => {
    const scanner = new PiiScanner();
    scanner.release();
    expect(() => scanner.scan('x', true)).toThrow(/no scanner with handle \d+ \(released\?\)/);
  });
});

describe('native text transfer', () => {
  it('never scans a truncated copy, whatever length hint it gets', async () => {
    const { loadPiiBinding } = await import('./native.js');
    const binding = loadPiiBinding();
    const handle = binding.createScanner({});
    const text = `${'x'.repeat(5000)} mail jane@example.com`;
    for (const hint of [undefined, text.length, 1, 0]) {
      expect(binding.scan(handle, text, true, hint)?.masked, String(hint)).toBe(
        `${'x'.repeat(5000)} mail [REDACTED]`,
      );
    }
    // Only 3-byte characters: the copy fills the length bound exactly and must be redone.
    const cjk = `${'漢'.repeat(100)} a@b.io`;
    expect(binding.scan(handle, cjk, true, cjk.length)?.masked).toBe(`${'漢'.repeat(100)} [REDACTED]`);
    expect(() => binding.scan(handle, 42 as never, true)).toThrow(
      'argument 2: expected a string, received number',
    );
    binding.releaseScanner(handle);
  });
});
