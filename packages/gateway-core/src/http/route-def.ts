import type { Context } from 'hono';
import type { z } from 'zod';
import type { Actor } from '../registry/common/actor.js';

/** A route's successful result: body and optional status/headers (defaults: 200, JSON). */
export interface RouteResult {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** What a handler receives: validated params, query and body, the Hono context and the acting user. */
export interface RouteContext<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  c: Context;
  actor: Actor;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * A REST route, declared once: the app mounts it (validation, authorization, errors) and the OpenAPI
 * document is generated from the same declaration.
 */
export interface RouteDef<
  P extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  B extends Schema | undefined = Schema | undefined,
> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** OpenAPI-style path: `/v1/tools/{id}`. */
  path: string;
  /**
   * ContextForge permission checked through the `authorize` hook before the handler runs (`tools.read`,
   * `servers.update`, `admin.export`, …); null for public endpoints (health, well-known).
   */
  permission: string | null;
  /** OpenAPI tag (`Tools`, `Servers`, …). */
  tag: string;
  summary: string;
  params?: P;
  query?: Q;
  body?: B;
  /** Body size limit in bytes for this route (defaults to `MAX_BODY_SIZE`). */
  bodyLimit?: number;
  /** Response schema for the OpenAPI document. */
  response?: Schema;
  /** Status of a success (default 200). */
  status?: number;
  handler(ctx: RouteContext<Out<P>, Out<Q>, Out<B>>): Promise<RouteResult | Response>;
}

/** Identity helper that infers a route's parameter types from its schemas. */
export function defineRoute<
  P extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  B extends Schema | undefined = undefined,
>(route: RouteDef<P, Q, B>): RouteDef {
  return route as unknown as RouteDef;
}
