import { describe, expect, it } from 'vitest';
import { resolveConfig } from './wrapper-config.js';

describe('resolveConfig', () => {
  it('reads the ContextForge environment variables', () => {
    const config = resolveConfig(
      {},
      {
        MCP_SERVER_URL: 'http://gw/servers/1',
        MCP_AUTH: 'Bearer t',
        MCP_TOOL_CALL_TIMEOUT: '2.5',
        CONCURRENCY: '4',
        MCP_WRAPPER_LOG_LEVEL: 'OFF',
      },
    );
    expect(config).toMatchObject({
      url: 'http://gw/servers/1/mcp',
      auth: 'Bearer t',
      timeoutMs: 2500,
      concurrency: 4,
      logLevel: 'off',
    });
  });

  it('lets flags win over the environment', () => {
    const config = resolveConfig(
      { url: 'http://a/mcp', timeout: '1', header: ['X-A: b'] },
      { MCP_SERVER_URL: 'http://b/mcp', MCP_TOOL_CALL_TIMEOUT: '9' },
    );
    expect(config).toMatchObject({ url: 'http://a/mcp', timeoutMs: 1000, headers: { 'x-a': 'b' } });
  });

  it('names the missing or malformed setting', () => {
    expect(() => resolveConfig({}, {})).toThrow('set MCP_SERVER_URL or pass --url');
    expect(() => resolveConfig({}, { MCP_SERVER_URL: 'http://a', CONCURRENCY: '0' })).toThrow(
      'CONCURRENCY / --concurrency must be a positive number',
    );
    expect(() => resolveConfig({ timeout: 'soon' }, { MCP_SERVER_URL: 'http://a' })).toThrow(
      'MCP_TOOL_CALL_TIMEOUT',
    );
  });
});
