import { describe, expect, it } from 'vitest';
import { NdjsonDecoder, sniffId } from './ndjson-decoder.js';

function decode(chunks: string[], max = 1024) {
  const lines: string[] = [];
  const oversize: Array<[string, number]> = [];
  const decoder = new NdjsonDecoder(max, {
    onLine: (l) => lines.push(l),
    onOversize: (p, b) => oversize.push([p, b]),
  });
  for (const chunk of chunks) decoder.push(Buffer.from(chunk));
  decoder.end();
  return { lines, oversize };
}

describe('NdjsonDecoder', () => {
  it('joins lines split across chunks and skips blank lines and CRs', () => {
    expect(decode(['{"a"', ':1}\n\n{"b":2}\r', '\n{"c":3}']).lines).toEqual([
      '{"a":1}',
      '{"b":2}',
      '{"c":3}',
    ]);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('{"t":"é€"}\n');
    const lines: string[] = [];
    const decoder = new NdjsonDecoder(1024, { onLine: (l) => lines.push(l), onOversize: () => undefined });
    decoder.push(bytes.subarray(0, 8));
    decoder.push(bytes.subarray(8));
    expect(lines).toEqual(['{"t":"é€"}']);
  });

  it('drops a line over the cap, reports its size and prefix, and goes on with the next', () => {
    const big = `{"jsonrpc":"2.0","id":42,"result":"${'x'.repeat(200)}"}`;
    const { lines, oversize } = decode([big.slice(0, 50), `${big.slice(50)}\n{"ok":1}\n`], 100);
    expect(lines).toEqual(['{"ok":1}']);
    expect(oversize).toHaveLength(1);
    expect(oversize[0]![1]).toBe(big.length);
    expect(sniffId(oversize[0]![0])).toBe(42);
  });
});

describe('sniffId', () => {
  it('finds numeric and string ids and nothing in garbage', () => {
    expect(sniffId('{"jsonrpc":"2.0","id":"a\\"b","res')).toBe('a"b');
    expect(sniffId('{"id": -3,')).toBe(-3);
    expect(sniffId('garbage')).toBeUndefined();
  });
});
