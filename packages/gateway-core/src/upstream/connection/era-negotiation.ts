import { isModernVersion, MODERN_PROTOCOL_VERSION } from '../protocol.js';
import type { UpstreamTransportKind } from '../types.js';
import { isUpstreamError, type UpstreamError } from '../upstream-error.js';

/** The outcome of a `server/discover` probe. */
export type ProbeVerdict =
  | { kind: 'modern'; version: string; result: Record<string, unknown> }
  | { kind: 'legacy'; restart: boolean }
  | { kind: 'error'; error: UpstreamError };

/**
 * Classifies a `server/discover` probe outcome (2026-07-28 §Versioning; the rules follow the
 * official SDK's probe classifier): a discover result listing our revision is modern evidence;
 * a JSON-RPC error, a 4xx other than 401/403, or (on single-channel transports) silence or a
 * crash means a 2025-era server, to be initialised; auth failures, 5xx and network failures are
 * errors, not era verdicts.
 */
export function classifyProbe(
  outcome: { result: Record<string, unknown> } | { error: unknown },
  transport: UpstreamTransportKind,
): ProbeVerdict {
  if ('result' in outcome) {
    const supported = outcome.result.supportedVersions;
    if (Array.isArray(supported) && supported.includes(MODERN_PROTOCOL_VERSION)) {
      return { kind: 'modern', version: MODERN_PROTOCOL_VERSION, result: outcome.result };
    }
    return { kind: 'legacy', restart: false };
  }
  const error = outcome.error;
  if (!isUpstreamError(error)) throw error;
  const channel = transport !== 'streamable-http';
  switch (error.code) {
    case 'remote':
      return { kind: 'legacy', restart: false };
    case 'http': {
      const status = error.status ?? 0;
      if (status === 401 || status === 403 || status >= 500) return { kind: 'error', error };
      return { kind: 'legacy', restart: false };
    }
    case 'timeout':
      // A 2025-era stdio server may silently drop a method it does not know before initialize.
      return channel ? { kind: 'legacy', restart: false } : { kind: 'error', error };
    case 'crashed':
    case 'closed':
      // …or exit on it: start it again and initialise.
      return channel ? { kind: 'legacy', restart: true } : { kind: 'error', error };
    default:
      return { kind: 'error', error };
  }
}

/** True when a pinned `protocolVersion` asks for the stateless era. */
export function pinsModern(pin: string | undefined): boolean {
  return pin !== undefined && pin !== 'auto' && isModernVersion(pin);
}

/** True when a pinned `protocolVersion` asks for a session-based revision (no probe). */
export function pinsLegacy(pin: string | undefined): boolean {
  return pin !== undefined && pin !== 'auto' && !isModernVersion(pin);
}
