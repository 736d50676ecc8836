import { describe, expect, it } from 'vitest';
import { parseTunnelMessage } from './tunnel-messages.js';

describe('tunnel messages', () => {
  it('accepts a register message and fills defaults', () => {
    const m = parseTunnelMessage(
      JSON.stringify({ type: 'register', sessionId: 's1', payload: { server: { name: 'local' } } }),
    );
    expect(m).toEqual({
      type: 'register',
      sessionId: 's1',
      payload: { protocolVersion: 1, server: { name: 'local', protocol: 'stdio' } },
    });
  });

  it('accepts relayed JSON-RPC payloads untouched', () => {
    const payload = { jsonrpc: '2.0', id: 3, method: 'tools/list', params: { _meta: { x: 1 } } };
    expect(parseTunnelMessage(JSON.stringify({ type: 'request', sessionId: 's', payload }))).toEqual({
      type: 'request',
      sessionId: 's',
      payload,
    });
  });

  it('names the field of an invalid message', () => {
    expect(parseTunnelMessage('{"type":"register","sessionId":"s","payload":{"server":{}}}')).toContain(
      'payload.server.name',
    );
    expect(parseTunnelMessage('{"type":"bogus","sessionId":"s"}')).toContain('invalid tunnel message');
    expect(parseTunnelMessage('not json')).toContain('not valid JSON');
  });
});
