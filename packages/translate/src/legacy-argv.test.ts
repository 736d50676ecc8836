import { describe, expect, it } from 'vitest';
import { normalizeArgv } from './legacy-argv.js';

const n = (...args: string[]) => normalizeArgv(['node', 'mcp-translate', ...args]).slice(2);

describe('normalizeArgv', () => {
  it('leaves subcommand lines alone apart from camelCase flag names', () => {
    expect(n('stdio-to-sse', '--ssePath', '/events', '--keepAlive=10', '--', 'x', '--logLevel')).toEqual([
      'stdio-to-sse',
      '--sse-path',
      '/events',
      '--keep-alive=10',
      '--',
      'x',
      '--logLevel',
    ]);
  });

  it('maps supergateway modes onto subcommands', () => {
    expect(
      n('--stdio', 'node s.js', '--outputTransport', 'streamableHttp', '--stateful', '--port', '9'),
    ).toEqual(['stdio-to-streamable-http', '--cmd', 'node s.js', '--port', '9']);
    expect(n('--stdio', 'node s.js')).toEqual(['stdio-to-sse', '--cmd', 'node s.js']);
    expect(n('--stdio', 'node s.js', '--outputTransport', 'ws')[0]).toBe('stdio-to-ws');
    expect(n('--sse', 'http://h/sse', '--oauth2Bearer', 't')).toEqual([
      'sse-to-stdio',
      '--url',
      'http://h/sse',
      '--oauth2-bearer',
      't',
    ]);
    expect(n('--streamableHttp', 'http://h/mcp')).toEqual([
      'streamable-http-to-stdio',
      '--url',
      'http://h/mcp',
    ]);
  });

  it('maps ContextForge translate modes onto subcommands', () => {
    expect(n('--stdio', 'cmd', '--expose-sse', '--expose-streamable-http', '--port', '1')).toEqual([
      'serve',
      '--cmd',
      'cmd',
      '--expose-sse',
      '--expose-streamable-http',
      '--port',
      '1',
    ]);
    expect(n('--stdio', 'cmd', '--expose-streamable-http', '--jsonResponse')).toEqual([
      'stdio-to-streamable-http',
      '--cmd',
      'cmd',
      '--json-response',
    ]);
    expect(n('--connect-sse', 'http://h/sse', '--enable-dynamic-env')).toEqual([
      'sse-to-stdio',
      '--url',
      'http://h/sse',
    ]);
    expect(n('--connect-streamable-http=http://h/mcp')).toEqual([
      'streamable-http-to-stdio',
      '--url',
      'http://h/mcp',
    ]);
  });

  it('keeps --help and --version as they are', () => {
    expect(n('--help')).toEqual(['--help']);
    expect(n('-V')).toEqual(['-V']);
  });
});
