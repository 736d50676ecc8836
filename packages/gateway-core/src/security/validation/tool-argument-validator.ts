import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { SecurityError } from '../errors.js';

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

/** Options of {@link ToolArgumentValidator}. */
export interface ToolArgumentValidatorOptions {
  /** Compiled schemas kept (LRU); default 2 000. */
  maxCachedSchemas?: number;
  /** Largest schema accepted (serialised bytes); default 256 KiB. */
  maxSchemaBytes?: number;
  /** Errors reported at most; default 10. */
  maxErrors?: number;
}

/** One argument problem, naming the field by JSON path (`arguments.items[2].name`). */
export interface ArgumentIssue {
  readonly field: string;
  readonly message: string;
  readonly keyword: string;
}

const DRAFT7 = /json-schema\.org\/draft-0[4-7]\/schema/;

/**
 * Validates tool call arguments against the tool's JSON Schema (`inputSchema`) with ajv: draft 2020-12
 * by default (MCP 2025-11-25 default dialect), draft-07 when the schema says so. Compiled validators are
 * cached by a hash of the schema text in a bounded LRU (tool schemas change rarely, calls are hot).
 * Unknown keywords and formats are tolerated (`strict: false`) — tool schemas in the wild carry them.
 */
export class ToolArgumentValidator {
  readonly #ajv2020: Ajv2020;
  readonly #ajv07: Ajv;
  readonly #cache = new Map<string, ValidateFunction>();
  readonly #byObject = new WeakMap<object, ValidateFunction>();
  readonly #o: Required<ToolArgumentValidatorOptions>;

  constructor(options: ToolArgumentValidatorOptions = {}) {
    this.#o = { maxCachedSchemas: 2_000, maxSchemaBytes: 256 * 1024, maxErrors: 10, ...options };
    const common = { allErrors: true, strict: false, validateFormats: true, validateSchema: true } as const;
    this.#ajv2020 = new Ajv2020(common);
    this.#ajv07 = new Ajv(common);
    addFormats(this.#ajv2020 as unknown as Ajv);
    addFormats(this.#ajv07);
  }

  /**
   * Compiles (or fetches from cache) the validator of `schema`. Call at tool registration to reject
   * broken schemas early.
   * @throws SecurityError `SCHEMA_INVALID` (422) with ajv's explanation.
   */
  compile(schema: unknown, field = 'input_schema'): ValidateFunction {
    if (schema && typeof schema === 'object') {
      const hit = this.#byObject.get(schema);
      if (hit) return hit;
    }
    if (typeof schema === 'boolean') return this.#compileFresh(schema, String(schema), field);
    if (!schema || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new SecurityError('SCHEMA_INVALID', `${field}: a JSON Schema must be an object or a boolean`, {
        field,
      });
    }
    const text = JSON.stringify(schema);
    if (Buffer.byteLength(text) > this.#o.maxSchemaBytes) {
      throw new SecurityError(
        'SCHEMA_INVALID',
        `${field}: schema larger than ${this.#o.maxSchemaBytes} bytes`,
        { field },
      );
    }
    const key = createHash('sha256').update(text).digest('base64url');
    let fn = this.#cache.get(key);
    if (fn) {
      this.#cache.delete(key);
      this.#cache.set(key, fn);
    } else {
      fn = this.#compileFresh(schema, key, field);
    }
    this.#byObject.set(schema, fn);
    return fn;
  }

  /**
   * Validates `args` (a missing `arguments` is `{}`), returning the issues (empty when valid).
   * @throws SecurityError `SCHEMA_INVALID` when the schema itself is broken.
   */
  check(schema: unknown, args: unknown): ArgumentIssue[] {
    const fn = this.compile(schema);
    if (fn(args ?? {})) return [];
    return (fn.errors ?? []).slice(0, this.#o.maxErrors).map(issue);
  }

  /**
   * Throws unless `args` match `schema`.
   * @throws SecurityError `VALIDATION_FAILED` (422; JSON-RPC -32602 at the MCP edge) naming the first
   *   field in the message and listing every issue in `details.issues`.
   */
  assertValid(schema: unknown, args: unknown, toolName?: string): void {
    const issues = this.check(schema, args);
    if (issues.length === 0) return;
    const first = issues[0]!;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    throw new SecurityError(
      'VALIDATION_FAILED',
      `${toolName ? `tool '${toolName}': ` : ''}${first.field}: ${first.message}${more}`,
      {
        field: first.field,
        details: { issues },
      },
    );
  }

  /** Number of compiled schemas cached. */
  get size(): number {
    return this.#cache.size;
  }

  #compileFresh(schema: object | boolean, key: string, field: string): ValidateFunction {
    const s = schema as { $schema?: unknown };
    const ajv =
      typeof s === 'object' && typeof s.$schema === 'string' && DRAFT7.test(s.$schema)
        ? this.#ajv07
        : this.#ajv2020;
    let fn: ValidateFunction;
    try {
      // Strip `$id` so two tools with the same `$id` but different schemas do not collide in ajv's registry.
      const copy = typeof schema === 'object' ? { ...schema, $id: undefined } : schema;
      fn = ajv.compile(copy);
    } catch (cause) {
      throw new SecurityError('SCHEMA_INVALID', `${field}: ${(cause as Error).message}`, { field, cause });
    }
    this.#cache.set(key, fn);
    while (this.#cache.size > this.#o.maxCachedSchemas)
      this.#cache.delete(this.#cache.keys().next().value as string);
    return fn;
  }
}

function issue(e: ErrorObject): ArgumentIssue {
  let path = `arguments${e.instancePath.split('/').slice(1).map(segment).join('')}`;
  let message = e.message ?? 'is invalid';
  if (e.keyword === 'required') {
    const missing = (e.params as { missingProperty: string }).missingProperty;
    path += segment(missing);
    message = 'is required';
  } else if (e.keyword === 'additionalProperties') {
    path += segment((e.params as { additionalProperty: string }).additionalProperty);
    message = 'is not allowed (unknown property)';
  } else if (e.keyword === 'enum') {
    message = `must be one of ${JSON.stringify((e.params as { allowedValues: unknown[] }).allowedValues).slice(0, 200)}`;
  }
  return { field: path, message, keyword: e.keyword };
}

function segment(raw: string): string {
  const s = raw.replace(/~1/g, '/').replace(/~0/g, '~');
  if (/^\d+$/.test(s)) return `[${s}]`;
  return /^[A-Za-z_$][\w$]*$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`;
}
