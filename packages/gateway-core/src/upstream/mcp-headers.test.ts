import { describe, expect, it } from 'vitest';
import { encodeHeaderValue, paramHeaderValues, scanParamHeaders } from './mcp-headers.js';

describe('2026-07-28 header mirroring', () => {
  it('passes plain ASCII and wraps anything else in the Base64 sentinel', () => {
    expect(encodeHeaderValue('get_weather')).toBe('get_weather');
    expect(encodeHeaderValue('Zürich')).toBe(`=?base64?${Buffer.from('Zürich').toString('base64')}?=`);
    expect(encodeHeaderValue(' padded')).toMatch(/^=\?base64\?/);
    expect(encodeHeaderValue('')).toBe('=?base64??=');
    expect(encodeHeaderValue('=?base64?abc?=')).toMatch(/^=\?base64\?PT9iYXNl/);
  });

  it('finds x-mcp-header declarations along properties chains only, once per header name', () => {
    const schema = {
      type: 'object',
      properties: {
        region: { type: 'string', 'x-mcp-header': 'Region' },
        nested: { type: 'object', properties: { tenant: { type: 'string', 'x-mcp-header': 'Tenant' } } },
        dup: { type: 'string', 'x-mcp-header': 'region' },
        bad: { type: 'string', 'x-mcp-header': 'has space' },
        list: { type: 'array', items: { type: 'string', 'x-mcp-header': 'Item' } },
      },
    };
    expect(scanParamHeaders(schema)).toEqual([
      { path: ['region'], header: 'mcp-param-region' },
      { path: ['nested', 'tenant'], header: 'mcp-param-tenant' },
    ]);
    expect(scanParamHeaders({ 'x-mcp-header': 'Root' })).toEqual([]);
  });

  it('renders primitive argument values and omits absent, null and structured ones', () => {
    const decls = [
      { path: ['a'], header: 'mcp-param-a' },
      { path: ['b'], header: 'mcp-param-b' },
      { path: ['c'], header: 'mcp-param-c' },
      { path: ['d', 'e'], header: 'mcp-param-e' },
      { path: ['f'], header: 'mcp-param-f' },
    ];
    expect(paramHeaderValues(decls, { a: 'x', b: 42, c: true, d: { e: null }, f: { no: 1 } })).toEqual({
      'mcp-param-a': 'x',
      'mcp-param-b': '42',
      'mcp-param-c': 'true',
    });
    expect(paramHeaderValues(decls, {})).toBeUndefined();
    expect(paramHeaderValues([{ path: ['n'], header: 'mcp-param-n' }], { n: 2 ** 60 })).toBeUndefined();
  });
});
