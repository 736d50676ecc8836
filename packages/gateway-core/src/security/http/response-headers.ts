import type { Context } from 'hono';

/**
 * The response's headers, made writable first when the handler returned a Response with immutable
 * headers (e.g. one obtained from `fetch`, when proxying).
 */
export function writableHeaders(c: Context): Headers {
  try {
    c.res.headers.set('x-cf-probe', '1');
    c.res.headers.delete('x-cf-probe');
  } catch {
    c.res = new Response(c.res.body, c.res);
  }
  return c.res.headers;
}
