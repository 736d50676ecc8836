import type { RequestId } from '../json-rpc.js';
import type { UpstreamProgress } from '../types.js';
import type { UpstreamError } from '../upstream-error.js';

/** What a connection needs to know about one call beyond method and params. */
export interface RequestOptions {
  /** Absolute deadline (epoch ms) for the answer. */
  deadline: number;
  /** No deadline at all (long-lived `subscriptions/listen`). */
  unbounded?: boolean;
  signal?: AbortSignal | undefined;
  onProgress?: ((p: UpstreamProgress) => void) | undefined;
  onLog?: ((params: unknown) => void) | undefined;
  onServerRequest?: ((method: string, params: unknown) => Promise<unknown>) | undefined;
  meta?: Record<string, unknown> | undefined;
  /** Extra HTTP headers (Mcp-Param-*). */
  headers?: Record<string, string> | undefined;
  /** Downstream session, used to attribute server→client requests on shared channels. */
  sessionKey?: string | undefined;
}

/** A request sent and not yet answered. */
export interface PendingRequest {
  id: RequestId;
  method: string;
  /** The wire message, kept to re-send after a legacy session expired. */
  message: { jsonrpc: '2.0'; id: RequestId; method: string; params?: Record<string, unknown> };
  options: RequestOptions;
  resolve(result: Record<string, unknown>): void;
  reject(error: UpstreamError): void;
  timer: NodeJS.Timeout | undefined;
  /** Aborts the HTTP exchange carrying this request (set by the transport). */
  abortExchange: ((reason: UpstreamError) => void) | undefined;
  onAbort: (() => void) | undefined;
  /** Session generation the request was sent in (legacy HTTP re-initialisation). */
  generation: number;
  /** Already re-sent once after a session expiry. */
  resent: boolean;
  /** Server→client requests being answered for this call (its timer is paused meanwhile). */
  serverRequests: number;
  /** When the first of those started. */
  pausedAt: number;
  sentAt: number;
}
