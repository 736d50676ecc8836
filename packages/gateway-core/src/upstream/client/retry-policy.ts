import { SAFE_METHODS } from '../protocol.js';
import type { UpstreamError } from '../upstream-error.js';

/**
 * Whether a failed request may be sent again. Safe methods (reads, discovery, ping) are retried
 * after any transport-level failure; everything else — `tools/call` above all — only when the
 * error proves the request never reached the upstream (connection refused, session unknown,
 * 429/503 refusal, process not running). A JSON-RPC error answer, a timeout, a cancellation or
 * a protocol violation is never retried: the upstream did answer, or the budget is spent.
 */
export function isRetryable(error: UpstreamError, method: string): boolean {
  switch (error.code) {
    case 'unreachable':
    case 'crashed':
    case 'closed':
      return error.notDelivered || SAFE_METHODS.has(method);
    case 'http':
      if (error.status === 401 || error.status === 403) return false;
      return error.notDelivered || (SAFE_METHODS.has(method) && (error.status ?? 0) >= 500);
    case 'capacity':
      return false;
    default:
      return false;
  }
}

/**
 * Whether a failure says something about the upstream's health (and counts towards marking it
 * unhealthy). Answers (`remote`), our own bounds and cancellations do not; a call timing out may
 * be a slow tool, so only health checks' timeouts count.
 */
export function countsAgainstHealth(error: UpstreamError): boolean {
  switch (error.code) {
    case 'unreachable':
    case 'crashed':
    case 'protocol':
      return true;
    case 'http':
      return (error.status ?? 0) >= 500 || error.status === 401 || error.status === 403;
    default:
      return false;
  }
}
