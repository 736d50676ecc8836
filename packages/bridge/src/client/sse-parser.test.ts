import { describe, expect, it } from 'vitest';
import { type SseEvent, SseParser } from './sse-parser.js';

describe('SseParser', () => {
  it('parses named events, multi-line data, comments and CRLF in any chunking', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser((e) => events.push(e));
    const text =
      ': keepalive\r\n\r\nevent: endpoint\r\ndata: /message?x=1\r\n\r\ndata: {"a":\ndata: 1}\nid: 7\n\n';
    for (const ch of text) parser.push(ch);
    expect(events).toEqual([
      { event: 'endpoint', data: '/message?x=1', id: undefined },
      { event: 'message', data: '{"a":\n1}', id: '7' },
    ]);
  });
});
