import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse-parser.js';

function parse(chunks: (string | Buffer)[], max?: number): SseEvent[] {
  const events: SseEvent[] = [];
  const p = new SseParser((e) => events.push(e), max);
  for (const c of chunks) p.push(c);
  return events;
}

describe('SseParser', () => {
  it('parses events split across arbitrary chunk boundaries, with CRLF, CR and LF line ends', () => {
    const text =
      'event: message\r\ndata: {"a":1}\r\n\r\nid: 7\rdata: line1\rdata: line2\r\r: keep-alive\n\ndata: last\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse([text.slice(0, cut), text.slice(cut)])).toEqual([
        { event: 'message', data: '{"a":1}' },
        { event: 'message', data: 'line1\nline2', id: '7' },
        { event: 'message', data: 'last' },
      ]);
    }
  });

  it('decodes multi-byte characters split between chunks', () => {
    const bytes = Buffer.from('data: Zürich €\n\n', 'utf8');
    const at = bytes.indexOf(0xc3) + 1; // inside "ü"
    expect(parse([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([
      { event: 'message', data: 'Zürich €' },
    ]);
  });

  it('reports named events, retry hints and id-only priming events', () => {
    expect(parse(['event: endpoint\ndata: /messages?s=1\n\nid: p1\n\nretry: 1500\ndata: x\n\n'])).toEqual([
      { event: 'endpoint', data: '/messages?s=1' },
      { event: 'message', data: '', id: 'p1' },
      { event: 'message', data: 'x', retry: 1500 },
    ]);
  });

  it('throws when one event exceeds the bound, even without a line end', () => {
    expect(() => parse([`data: ${'x'.repeat(2000)}`], 1024)).toThrow(/exceeds 1024 bytes/);
    expect(() => parse(['data: 1234\n'.repeat(300)], 1024)).toThrow(/exceeds 1024 bytes/);
    expect(parse(['data: 1234\n\n'.repeat(200)], 1024)).toHaveLength(200);
  });
});
