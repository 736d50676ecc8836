import { describe, expect, it } from 'vitest';
import { SecurityError } from '../errors.js';
import {
  canonicalResourceUri,
  protectedResourceMetadata,
  protectedResourceMetadataUrl,
  resourcePathFromMetadataPath,
} from './protected-resource-metadata.js';
import { assertAudience } from './resource-indicator.js';
import { buildWwwAuthenticate, parseWwwAuthenticate } from './www-authenticate.js';

describe('RFC 9728 protected-resource metadata', () => {
  it('builds the document for a virtual server', () => {
    expect(
      protectedResourceMetadata({
        resource: 'HTTPS://GW.example:443/servers/abc/mcp/',
        authorizationServers: ['https://idp.example/realms/main'],
        scopesSupported: ['mcp:tools'],
        resourceName: 'Virtual server abc',
      }),
    ).toEqual({
      resource: 'https://gw.example/servers/abc/mcp',
      authorization_servers: ['https://idp.example/realms/main'],
      bearer_methods_supported: ['header'],
      scopes_supported: ['mcp:tools'],
      resource_name: 'Virtual server abc',
    });
  });

  it('inserts the well-known suffix between host and path, and maps it back', () => {
    expect(protectedResourceMetadataUrl('https://gw.example/servers/abc/mcp')).toBe(
      'https://gw.example/.well-known/oauth-protected-resource/servers/abc/mcp',
    );
    expect(protectedResourceMetadataUrl('https://gw.example/')).toBe(
      'https://gw.example/.well-known/oauth-protected-resource',
    );
    expect(resourcePathFromMetadataPath('/.well-known/oauth-protected-resource/servers/abc/mcp')).toBe(
      '/servers/abc/mcp',
    );
    expect(resourcePathFromMetadataPath('/.well-known/oauth-protected-resource')).toBe('/');
    expect(resourcePathFromMetadataPath('/.well-known/oauth-protected-resourcex')).toBeUndefined();
  });

  it('rejects non-http resources and fragments', () => {
    expect(() => canonicalResourceUri('ftp://x/')).toThrow(/expected http/);
    expect(() => canonicalResourceUri('https://x/#a')).toThrow(/fragment/);
    expect(() => canonicalResourceUri('nope')).toThrow(/absolute URL/);
  });
});

describe('RFC 8707 audience', () => {
  it('accepts a token whose aud (string or list) names this resource in any canonical spelling', () => {
    expect(() =>
      assertAudience('https://GW.example/servers/abc/mcp/', ['https://gw.example/servers/abc/mcp']),
    ).not.toThrow();
    expect(() =>
      assertAudience(
        ['mcpgateway-api', 'https://gw.example:443/servers/abc/mcp'],
        ['https://gw.example/servers/abc/mcp'],
      ),
    ).not.toThrow();
  });

  it('rejects tokens for another resource, including the gateway root for a server', () => {
    expect(() =>
      assertAudience('https://gw.example/servers/other/mcp', ['https://gw.example/servers/abc/mcp']),
    ).toThrow(/audience/);
    expect(() => assertAudience('https://gw.example', ['https://gw.example/servers/abc/mcp'])).toThrow(
      /audience/,
    );
    expect(() => assertAudience(undefined, ['https://gw.example/'])).toThrow(/audience/);
  });
});

describe('WWW-Authenticate', () => {
  it('builds challenges per RFC 6750 and escapes values', () => {
    expect(buildWwwAuthenticate({})).toBe('Bearer');
    expect(
      buildWwwAuthenticate({
        resourceMetadata: 'https://gw/.well-known/oauth-protected-resource',
        scope: ['a', 'b'],
      }),
    ).toBe('Bearer resource_metadata="https://gw/.well-known/oauth-protected-resource", scope="a b"');
    const forbidden = new SecurityError('SCOPE_DENIED', 'needs "tools.execute"\n');
    expect(buildWwwAuthenticate({ realm: 'mcp', error: forbidden })).toBe(
      'Bearer realm="mcp", error="insufficient_scope", error_description="needs \\"tools.execute\\""',
    );
    expect(buildWwwAuthenticate({ error: new SecurityError('UNAUTHENTICATED', 'x') })).toBe('Bearer');
  });

  it('parses challenges, including several in one header', () => {
    expect(
      parseWwwAuthenticate(
        'Bearer resource_metadata="https://x/.well-known/oauth-protected-resource", error="invalid_token"',
      ),
    ).toEqual([
      {
        scheme: 'bearer',
        params: {
          resource_metadata: 'https://x/.well-known/oauth-protected-resource',
          error: 'invalid_token',
        },
      },
    ]);
    expect(parseWwwAuthenticate('Basic realm="a", Bearer scope="x y", error=invalid_token')).toEqual([
      { scheme: 'basic', params: { realm: 'a' } },
      { scheme: 'bearer', params: { scope: 'x y', error: 'invalid_token' } },
    ]);
    expect(parseWwwAuthenticate('Bearer realm="a \\"q\\""')[0]?.params.realm).toBe('a "q"');
  });
});
