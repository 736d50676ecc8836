import { Agent, buildConnector } from 'undici';
import { parseIp } from '../net/ip-address.js';
import type { SsrfGuard } from './ssrf-guard.js';

/**
 * An undici connector (for `Agent`/`Pool` option `connect`) that checks every connection with `guard`:
 * host names resolve through `guard.lookup` (so the address that was validated is the address that is
 * connected to: DNS-rebinding safe), and literal IP hosts — which never reach a lookup — are checked
 * before connecting. TLS still verifies the certificate against the host name.
 *
 * @param guard the SSRF guard
 * @param options extra connector options (timeouts, TLS); `lookup` is always the guard's
 */
export function createSsrfConnector(
  guard: SsrfGuard,
  options: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connector = buildConnector({ ...options, lookup: guard.lookup } as buildConnector.BuildOptions);
  return (opts, callback) => {
    const host = opts.hostname.startsWith('[') ? opts.hostname.slice(1, -1) : opts.hostname;
    const literal = parseIp(host);
    if (literal) {
      try {
        guard.checkAddress(literal, 'url');
      } catch (error) {
        callback(error as Error, null);
        return;
      }
    }
    connector(opts, callback);
  };
}

/**
 * An undici dispatcher whose every connection is checked by `guard` (see {@link createSsrfConnector}).
 *
 * @param guard the SSRF guard
 * @param options extra undici `Agent` options (timeouts, pool sizes); the connector is always the guard's
 */
export function createSsrfSafeDispatcher(guard: SsrfGuard, options: Agent.Options = {}): Agent {
  const connectOptions = typeof options.connect === 'function' ? {} : (options.connect ?? {});
  return new Agent({
    ...options,
    connect: createSsrfConnector(guard, connectOptions as buildConnector.BuildOptions),
  });
}
