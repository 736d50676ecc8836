import { SecurityError } from '../errors.js';
import { type FetchLike, readResponseText } from '../ssrf/safe-fetch.js';

/** Largest OAuth/OIDC metadata or token response accepted. */
export const MAX_OAUTH_RESPONSE_BYTES = 256 * 1024;

/**
 * Fetches JSON from an OAuth/OIDC endpoint with a bounded body, turning failures into
 * `OAUTH_UPSTREAM_ERROR` (502) that name the endpoint role (`token_endpoint`, `registration_endpoint`…)
 * and carry the server's `error`/`error_description` — never request secrets.
 */
export async function fetchOAuthJson(
  fetch: FetchLike,
  url: string,
  init: RequestInit,
  role: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  let res: Response;
  try {
    res = await fetch(url, {
      ...init,
      headers: { accept: 'application/json', ...(init.headers as Record<string, string>) },
    });
  } catch (cause) {
    if (cause instanceof SecurityError) throw cause;
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', `${role}: request to ${origin(url)} failed`, {
      field: role,
      cause,
    });
  }
  const text = await readResponseText(res, MAX_OAUTH_RESPONSE_BYTES, role);
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    throw new SecurityError(
      'OAUTH_UPSTREAM_ERROR',
      `${role}: ${origin(url)} answered ${res.status} with a non-JSON body`,
      {
        field: role,
        details: { status: res.status },
      },
    );
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new SecurityError('OAUTH_UPSTREAM_ERROR', `${role}: expected a JSON object from ${origin(url)}`, {
      field: role,
    });
  }
  return { status: res.status, body: body as Record<string, unknown>, headers: res.headers };
}

/** An `OAUTH_UPSTREAM_ERROR` for an RFC 6749 §5.2 error answer. */
export function oauthErrorResponse(
  role: string,
  status: number,
  body: Record<string, unknown>,
): SecurityError {
  const error = typeof body.error === 'string' ? body.error : `http_${status}`;
  const description =
    typeof body.error_description === 'string' ? body.error_description.slice(0, 300) : undefined;
  return new SecurityError(
    'OAUTH_UPSTREAM_ERROR',
    `${role}: ${error}${description ? ` (${description})` : ''}`,
    {
      field: role,
      details: { status, error, ...(description ? { error_description: description } : {}) },
    },
  );
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'the endpoint';
  }
}
