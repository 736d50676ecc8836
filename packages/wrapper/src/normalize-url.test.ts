import { describe, expect, it } from 'vitest';
import { normalizeServerUrl } from './normalize-url.js';

describe('normalizeServerUrl', () => {
  it.each([
    ['https://gw:4444/servers/abc', 'https://gw:4444/servers/abc/mcp'],
    ['https://gw:4444/servers/abc/', 'https://gw:4444/servers/abc/mcp'],
    ['https://gw:4444/servers/abc/sse', 'https://gw:4444/servers/abc/mcp'],
    ['https://gw:4444/servers/abc/mcp', 'https://gw:4444/servers/abc/mcp'],
    ['http://localhost:8000/sse', 'http://localhost:8000/mcp'],
    ['http://localhost:8000', 'http://localhost:8000/mcp'],
    ['http://localhost:8000/custom/endpoint?x=1', 'http://localhost:8000/custom/endpoint?x=1'],
  ])('maps %s to %s', (input, expected) => {
    expect(normalizeServerUrl(input)).toBe(expected);
  });

  it('rejects what is not an http(s) URL, naming the setting', () => {
    expect(() => normalizeServerUrl('gateway:4444')).toThrow('must be http:// or https://');
    expect(() => normalizeServerUrl('not a url')).toThrow(
      'MCP_SERVER_URL / --url "not a url" is not a valid URL',
    );
  });
});
