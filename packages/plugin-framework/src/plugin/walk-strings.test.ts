import { describe, expect, it } from 'vitest';
import { walkStrings } from './walk-strings.js';

describe('walkStrings', () => {
  it('returns the same object when nothing changes', () => {
    const value = { a: ['x', { b: 'y' }], n: 1, t: true, z: null };
    const result = walkStrings(value, () => undefined);
    expect(result.changed).toBe(false);
    expect(result.value).toBe(value);
  });

  it('copies only the containers on the path to a changed string', () => {
    const untouched = { keep: 'same' };
    const value = { left: untouched, right: { list: ['a', 'secret', 'c'] } };
    const result = walkStrings(value, (s) => (s === 'secret' ? '***' : undefined));
    expect(result.changed).toBe(true);
    expect(result.value).toEqual({ left: { keep: 'same' }, right: { list: ['a', '***', 'c'] } });
    expect(result.value.left).toBe(untouched);
    expect(value.right.list[1]).toBe('secret');
  });

  it('visits strings in document order with their paths', () => {
    const seen: string[] = [];
    walkStrings({ a: 'one', b: [{ c: 'two' }, 'three'] }, (s, path) => {
      seen.push(`${path.join('.')}=${s}`);
      return undefined;
    });
    expect(seen).toEqual(['a=one', 'b.0.c=two', 'b.1=three']);
  });

  it('skips base64 data of image/audio blocks and blob fields', () => {
    const seen: string[] = [];
    const content = [
      { type: 'text', text: 'hello' },
      { type: 'image', data: 'AKIAIOSFODNN7EXAMPLE', mimeType: 'image/png' },
      { uri: 'file:///x', blob: 'QUtJQQ==' },
    ];
    walkStrings(content, (s) => {
      seen.push(s);
      return undefined;
    });
    expect(seen).toEqual(['text', 'hello', 'image', 'image/png', 'file:///x']);
  });

  it('throws RangeError past the depth and item limits', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 10; i++) deep = [deep];
    expect(() => walkStrings(deep, () => undefined, { maxDepth: 5 })).toThrow(/nested deeper than 5/);
    expect(() =>
      walkStrings(
        Array.from({ length: 20 }, () => 'x'),
        () => undefined,
        { maxItems: 10 },
      ),
    ).toThrow(/more than 10 values/);
  });
});
