import type { IncomingMessage } from 'node:http';
import { headerMismatch } from './errors.js';
import { decodeHeaderValue } from './header-validation.js';
import { scopeKey } from './server-info-cache.js';
import type { Scope } from './types.js';

/** One `x-mcp-header` annotated parameter: header name suffix and property path in the arguments. */
export interface HeaderBinding {
  header: string;
  path: string[];
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Collects `x-mcp-header` annotations of a tool's inputSchema (nested `properties` chains). */
export function headerBindings(inputSchema: unknown): HeaderBinding[] {
  const out: HeaderBinding[] = [];
  const walk = (schema: unknown, path: string[], depth: number): void => {
    if (depth > 8 || typeof schema !== 'object' || schema === null) return;
    const props = (schema as { properties?: unknown }).properties;
    if (typeof props !== 'object' || props === null) return;
    for (const [key, def] of Object.entries(props as Record<string, unknown>)) {
      const h = (def as { 'x-mcp-header'?: unknown } | null)?.['x-mcp-header'];
      if (typeof h === 'string' && TOKEN.test(h)) out.push({ header: h, path: [...path, key] });
      walk(def, [...path, key], depth + 1);
    }
  };
  walk(inputSchema, [], 0);
  return out;
}

function valueAt(args: unknown, path: string[]): unknown {
  let v: unknown = args;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function matches(headerValue: string, bodyValue: unknown): boolean {
  if (typeof bodyValue === 'string') return headerValue === bodyValue;
  if (typeof bodyValue === 'number') return headerValue.trim() !== '' && Number(headerValue) === bodyValue;
  if (typeof bodyValue === 'boolean') return headerValue === String(bodyValue);
  return false;
}

/**
 * Validates `Mcp-Param-*` headers of a 2026-07-28 tools/call against the arguments
 * (streamable-http §Server Behavior for Custom Headers): a value present in the body needs its
 * header, a header must match its (Base64-decoded) body value.
 *
 * @throws McpError -32020 (HTTP 400) naming the header and what disagreed.
 */
export function validateParamHeaders(
  req: IncomingMessage,
  bindings: readonly HeaderBinding[],
  args: unknown,
): void {
  for (const b of bindings) {
    const bodyValue = valueAt(args, b.path);
    const raw = req.headers[`mcp-param-${b.header.toLowerCase()}`];
    const headerValue = Array.isArray(raw) ? raw[0] : raw;
    if (bodyValue === undefined || bodyValue === null) continue;
    if (headerValue === undefined) {
      throw headerMismatch(
        `required Mcp-Param-${b.header} header is missing (body ${b.path.join('.')} is ${JSON.stringify(bodyValue)})`,
      );
    }
    const decoded = decodeHeaderValue(headerValue, `Mcp-Param-${b.header}`);
    if (!matches(decoded, bodyValue)) {
      throw headerMismatch(
        `Mcp-Param-${b.header} header value '${decoded}' does not match body ${b.path.join('.')} ${JSON.stringify(bodyValue)}`,
      );
    }
  }
}

/**
 * Per-scope index of tools' `x-mcp-header` bindings, filled from the tools/list results the
 * backend returns (one listing on a cold scope) and dropped on tools change events. Bounded to
 * `maxScopes` scopes.
 */
export class ToolHeaderIndex {
  readonly #scopes = new Map<string, Promise<Map<string, HeaderBinding[]>>>();

  constructor(private readonly maxScopes = 1024) {}

  /**
   * Bindings of `name` in `scope` as `principalId` sees it (listings may differ per caller;
   * empty when the tool has none or is unknown).
   */
  async get(
    scope: Scope,
    principalId: string,
    name: string,
    list: () => Promise<object[]>,
  ): Promise<readonly HeaderBinding[]> {
    const key = `${scopeKey(scope)}\u0000${principalId}`;
    let index = this.#scopes.get(key);
    if (index === undefined) {
      index = list().then((tools) => {
        const map = new Map<string, HeaderBinding[]>();
        for (const t of tools as Array<{ name?: unknown; inputSchema?: unknown }>) {
          if (typeof t.name !== 'string') continue;
          const bindings = headerBindings(t.inputSchema);
          if (bindings.length > 0) map.set(t.name, bindings);
        }
        return map;
      });
      index.catch(() => this.#scopes.delete(key));
      this.#scopes.set(key, index);
      if (this.#scopes.size > this.maxScopes) this.#scopes.delete(this.#scopes.keys().next().value as string);
    }
    return (await index).get(name) ?? [];
  }

  /** Forgets every index (tools changed). */
  invalidate(): void {
    this.#scopes.clear();
  }
}
