import type { Context, Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod';
import { GatewayError } from '../errors.js';
import type { GatewayHooks } from './hooks.js';
import type { RouteDef } from './route-def.js';
import { zodToGatewayError } from './zod-issues.js';

/** Options of {@link mountRoutes}. */
export interface MountOptions {
  hooks: GatewayHooks;
  /** Default body limit in bytes (`MAX_BODY_SIZE`). */
  maxBodySize: number;
  /**
   * Also mount every `/v1/…` route at its unversioned path, as ContextForge's legacy API, answering with
   * `Deprecation`, `Sunset` and `Link: <…>; rel="successor-version"` headers (RFC 9745, RFC 8594).
   */
  legacy?: { sunset: Date };
}

/** `/v1/tools/{id}` → `/v1/tools/:id` (Hono syntax). */
export function toHonoPath(path: string): string {
  return path.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, ':$1');
}

function parse<S extends z.ZodType>(schema: S | undefined, value: unknown, where: 'body' | 'query' | 'path') {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw zodToGatewayError(result.error, where);
  return result.data;
}

async function readJson(c: Context): Promise<unknown> {
  const type = c.req.header('content-type');
  if (type && !/^application\/([a-z0-9.+-]*\+)?json\b/i.test(type)) {
    throw new GatewayError(
      'UNSUPPORTED_MEDIA_TYPE',
      `request body must be application/json, received ${type}`,
    );
  }
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new GatewayError('BAD_REQUEST', `request body is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/**
 * Mounts declared routes on `app`. For each request: authorize (before the body is read), enforce the
 * body limit (413), parse JSON (400/415), validate path, query and body with the route's zod schemas
 * (400 naming the field), run the handler, and send its result as JSON.
 */
export function mountRoutes(app: Hono, routes: readonly RouteDef[], options: MountOptions): void {
  for (const route of routes) {
    const limit = route.bodyLimit ?? options.maxBodySize;
    const authorize: MiddlewareHandler = async function authorize(c, next) {
      if (route.permission !== null) await options.hooks.authorize(c, route.permission);
      await next();
    };
    const limitBody = bodyLimit({
      maxSize: limit,
      onError: () => {
        throw new GatewayError('PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`, {
          details: { limit_bytes: limit },
        });
      },
    });
    const handle = async (c: Context) => {
      const params = parse(route.params, c.req.param(), 'path');
      const query = parse(route.query, c.req.query(), 'query');
      const body = route.body ? parse(route.body, await readJson(c), 'body') : undefined;
      const actor = await options.hooks.actor(c);
      const result = await route.handler({ params, query, body, c, actor });
      if (result instanceof Response) return result;
      return c.json(result.body as object, (result.status ?? route.status ?? 200) as 200, result.headers);
    };
    const middlewares: MiddlewareHandler[] = [authorize];
    if (route.body) middlewares.push(limitBody);
    app.on([route.method], [toHonoPath(route.path)], ...middlewares, handle);
    const legacy = options.legacy;
    if (legacy && route.path.startsWith('/v1/')) {
      const deprecated: MiddlewareHandler = async function deprecated(c, next) {
        await next();
        c.header('Deprecation', 'true');
        c.header('Sunset', legacy.sunset.toUTCString());
        c.header('Link', `</v1${c.req.path}>; rel="successor-version"`);
      };
      app.on([route.method], [toHonoPath(route.path.slice(3))], deprecated, ...middlewares, handle);
    }
  }
}
