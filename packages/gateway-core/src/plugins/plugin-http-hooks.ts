import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  createGlobalContext,
  type HeaderMap,
  type PluginManager,
  pluginErrorToHttpError,
  violationToHttpError,
} from '@contextforge/plugin-framework';
import type { GatewayLogger } from '../observability/logger.js';

/** Decides, before any handler runs, whether a request goes on (true) or was answered (false). */
export type RequestGate = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | undefined;

function headerMap(headers: IncomingMessage['headers'] | OutgoingHttpHeaders): HeaderMap {
  const out: HeaderMap = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return out;
}

/** Replaces the request's headers (both views: frameworks read `rawHeaders`, the MCP engine `headers`). */
function replaceHeaders(req: IncomingMessage, headers: HeaderMap): void {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  for (const name of Object.keys(req.headers)) if (!(name in lower)) delete req.headers[name];
  Object.assign(req.headers, lower);
  req.rawHeaders = Object.entries(lower).flat();
}

function answer(
  res: ServerResponse,
  error: { status: number; body: unknown; headers: Record<string, string> },
): void {
  const body = JSON.stringify(error.body);
  res.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

/**
 * ContextForge's HTTP middleware hooks for every request the gateway serves — REST, admin and the MCP
 * transports alike, since they run before routing: `http_pre_request` (before authentication) may
 * replace the request headers (e.g. strip identity headers a client could spoof) or refuse the request
 * with the violation as an HTTP error; `http_post_request` sees the status and response headers once the
 * response is sent (observe-only: they are on the wire by then). A request no enabled plugin listens to
 * costs two lookups.
 */
export function pluginHttpGate(manager: PluginManager, logger: GatewayLogger): RequestGate {
  return (req, res) => {
    const pre = manager.hasHooks('http_pre_request');
    const post = manager.hasHooks('http_post_request');
    if (!pre && !post) return undefined;
    return (async () => {
      const requestId = req.headers['x-request-id'];
      const global = createGlobalContext(typeof requestId === 'string' ? { requestId } : {});
      const payload = {
        path: (req.url ?? '/').split('?')[0] ?? '/',
        method: req.method ?? 'GET',
        headers: headerMap(req.headers),
        ...(req.socket.remoteAddress !== undefined ? { client_host: req.socket.remoteAddress } : {}),
        ...(req.socket.remotePort !== undefined ? { client_port: req.socket.remotePort } : {}),
      };
      let contexts: Awaited<ReturnType<PluginManager['invokeHook']>>['contexts'] | undefined;
      if (pre) {
        try {
          const outcome = await manager.invokeHook('http_pre_request', payload, global);
          contexts = outcome.contexts;
          if (!outcome.continueProcessing) {
            answer(
              res,
              violationToHttpError(
                outcome.violation ?? {
                  reason: 'Request blocked',
                  description: 'a plugin stopped the request',
                  code: 'PLUGIN_BLOCKED',
                },
              ),
            );
            return false;
          }
          const replaced = outcome.modifiedPayload as HeaderMap | undefined;
          if (outcome.modified && replaced !== undefined) {
            replaceHeaders(req, replaced);
            payload.headers = headerMap(req.headers);
          }
        } catch (error) {
          let mapped: ReturnType<typeof pluginErrorToHttpError>;
          try {
            mapped = pluginErrorToHttpError(error);
          } catch {
            logger.error({ err: (error as Error).message }, 'http_pre_request failed');
            mapped = { status: 500, body: { detail: 'Internal error', code: 'INTERNAL' }, headers: {} };
          }
          answer(res, mapped);
          return false;
        }
      }
      if (post) {
        res.once('finish', () => {
          manager
            .invokeHook(
              'http_post_request',
              { ...payload, status_code: res.statusCode, response_headers: headerMap(res.getHeaders()) },
              global,
              contexts,
            )
            .catch((error: unknown) =>
              logger.warn({ err: (error as Error).message }, 'http_post_request plugin failed'),
            );
        });
      }
      return true;
    })();
  };
}
