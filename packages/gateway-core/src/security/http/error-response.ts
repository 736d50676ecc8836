import { isSecurityError, type SecurityError } from '../errors.js';

/**
 * The HTTP response for a {@link SecurityError}: its status, its headers (`WWW-Authenticate`,
 * `Retry-After`, `X-RateLimit-*`) and the JSON body `{ error: { code, message, field?, details? } }`.
 * Use it from Hono's `app.onError` (the middleware here throw) or from a raw Node handler.
 */
export function securityErrorResponse(err: SecurityError): Response {
  return new Response(JSON.stringify(err.toJSON()), {
    status: err.status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...err.headers,
    },
  });
}

/** `app.onError` handler: SecurityErrors become their response; anything else is rethrown to the next handler. */
export function onSecurityError(err: Error): Response {
  if (isSecurityError(err)) return securityErrorResponse(err);
  throw err;
}
