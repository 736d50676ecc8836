import { Agent } from 'undici';
import type { SsrfGuard } from './ssrf-guard.js';

/**
 * An undici dispatcher whose every connection resolves its host through `guard.lookup`, so the address
 * that was validated is the address that is connected to (DNS-rebinding safe). TLS still verifies the
 * certificate against the host name (SNI uses the name, not the pinned address).
 *
 * @param guard the SSRF guard
 * @param options extra undici `Agent` options (timeouts, pool sizes); `connect.lookup` is always the guard's
 */
export function createSsrfSafeDispatcher(guard: SsrfGuard, options: Agent.Options = {}): Agent {
  const connect = typeof options.connect === 'function' ? {} : (options.connect ?? {});
  return new Agent({ ...options, connect: { ...connect, lookup: guard.lookup } });
}
