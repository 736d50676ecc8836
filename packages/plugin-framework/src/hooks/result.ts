/**
 * What a hook returns: continue, continue with a modified payload, or stop with a violation.
 */

/** A policy violation: the request is refused, and the gateway turns this into a protocol error. */
export interface PluginViolation {
  /** Short reason shown to the client ("PII detected", "Rate limit exceeded"). */
  reason: string;
  /** Longer explanation. */
  description: string;
  /** Stable machine code (`PII_DETECTED`, `DENY_WORD`, `RATE_LIMIT`, …). */
  code: string;
  /** Extra structured details (never secrets or the matched sensitive values). */
  details?: Record<string, unknown>;
  /** The plugin that raised it (set by the manager). */
  pluginName?: string;
  /** JSON-RPC error code to answer with (default: see `violationToJsonRpcError`). */
  mcpErrorCode?: number;
  /** HTTP status to answer with on HTTP surfaces (default 403, 429 for rate limits). */
  httpStatusCode?: number;
  /** Extra HTTP response headers (e.g. `Retry-After`). */
  httpHeaders?: Record<string, string>;
}

/** The result of one hook call. Every field is optional: `{}` means "continue unchanged". */
export interface PluginResult<T = unknown> {
  /** `false` stops the pipeline (a violation should say why). Defaults to `true`. */
  continueProcessing?: boolean;
  /** Replacement payload (see `HookResultPayloadMap` for its type per hook). */
  modifiedPayload?: T;
  /** Why the request is refused. */
  violation?: PluginViolation;
  /** Observability data (counts, timings); never sensitive values. */
  metadata?: Record<string, unknown>;
}

/** A result that changes nothing. */
export function allow<T = never>(metadata?: Record<string, unknown>): PluginResult<T> {
  return metadata ? { metadata } : {};
}

/** A result that replaces the payload. */
export function modify<T>(modifiedPayload: T, metadata?: Record<string, unknown>): PluginResult<T> {
  return metadata ? { modifiedPayload, metadata } : { modifiedPayload };
}

/** A result that stops the pipeline with `violation`. */
export function block<T = never>(
  violation: PluginViolation,
  metadata?: Record<string, unknown>,
): PluginResult<T> {
  return metadata
    ? { continueProcessing: false, violation, metadata }
    : { continueProcessing: false, violation };
}
