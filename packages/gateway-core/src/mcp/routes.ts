import type { Scope } from './types.js';

/** A matched engine route. */
export type Route =
  | { kind: 'mcp'; scope: Scope }
  | { kind: 'sse'; scope: Scope; messagePath: string }
  | { kind: 'message'; scope: Scope; sessionId: string | null }
  | { kind: 'ws'; scope: Scope }
  | { kind: 'rpc' };

const ALL: Scope = Object.freeze({ kind: 'all' }) as Scope;

/**
 * Maps a request URL to an engine route: `/mcp`, `/servers/:id/mcp`, `/sse` + `/message`,
 * `/servers/:id/sse` + `/servers/:id/message`, `/ws`, `/servers/:id/ws`, `/rpc` (each under
 * `basePath`, trailing slash tolerated). Undefined for anything else.
 */
export function matchRoute(url: string, basePath: string): Route | undefined {
  const q = url.indexOf('?');
  let path = q < 0 ? url : url.slice(0, q);
  if (basePath !== '') {
    if (!path.startsWith(basePath)) return undefined;
    path = path.slice(basePath.length);
  }
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  let scope: Scope = ALL;
  let tail = path;
  if (path.startsWith('/servers/')) {
    const end = path.indexOf('/', 9);
    if (end < 0) return undefined;
    let serverId: string;
    try {
      serverId = decodeURIComponent(path.slice(9, end));
    } catch {
      return undefined;
    }
    if (serverId === '') return undefined;
    scope = { kind: 'server', serverId };
    tail = path.slice(end);
  }
  switch (tail) {
    case '/mcp':
      return { kind: 'mcp', scope };
    case '/sse':
      return { kind: 'sse', scope, messagePath: `${basePath}${path.slice(0, -4)}/message` };
    case '/message': {
      const params = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
      return { kind: 'message', scope, sessionId: params.get('session_id') ?? params.get('sessionId') };
    }
    case '/ws':
      return { kind: 'ws', scope };
    case '/rpc':
      return scope === ALL ? { kind: 'rpc' } : undefined;
    default:
      return undefined;
  }
}
