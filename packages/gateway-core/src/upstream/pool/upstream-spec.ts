import { LEGACY_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSION } from '../protocol.js';
import type { UpstreamSpec } from '../types.js';
import { UpstreamError } from '../upstream-error.js';

const TRANSPORTS = new Set(['streamable-http', 'sse', 'websocket', 'stdio', 'custom']);
const SCHEMES: Record<string, readonly string[]> = {
  'streamable-http': ['http:', 'https:'],
  sse: ['http:', 'https:'],
  websocket: ['ws:', 'wss:'],
};

function bad(spec: Partial<UpstreamSpec>, field: string, problem: string): UpstreamError {
  return new UpstreamError('config', `upstream ${JSON.stringify(spec.id ?? '?')}: ${field} ${problem}`, {
    upstreamId: spec.id,
  });
}

/**
 * Checks a spec before anything connects: transport, URL scheme, stdio command, custom connector name,
 * numeric bounds, protocol pin.
 * @throws UpstreamError `config` naming the field
 */
export function validateSpec(spec: UpstreamSpec): void {
  if (spec === null || typeof spec !== 'object')
    throw new UpstreamError('config', 'upstream spec must be an object');
  if (typeof spec.id !== 'string' || spec.id === '') throw bad(spec, 'id', 'must be a non-empty string');
  if (typeof spec.name !== 'string' || spec.name === '')
    throw bad(spec, 'name', 'must be a non-empty string');
  if (!TRANSPORTS.has(spec.transport)) {
    throw bad(
      spec,
      'transport',
      `must be one of streamable-http, sse, websocket, stdio, custom; received ${JSON.stringify(spec.transport)}`,
    );
  }
  if (spec.transport === 'custom') {
    if (typeof spec.connector !== 'string' || spec.connector === '')
      throw bad(
        spec,
        'connector',
        'is required for custom (the name of a transport registered with the pool)',
      );
  } else if (spec.transport === 'stdio') {
    if (typeof spec.command !== 'string' || spec.command === '')
      throw bad(spec, 'command', 'is required for stdio');
    if (
      spec.args !== undefined &&
      (!Array.isArray(spec.args) || spec.args.some((a) => typeof a !== 'string'))
    ) {
      throw bad(spec, 'args', 'must be an array of strings');
    }
  } else {
    if (typeof spec.url !== 'string') throw bad(spec, 'url', `is required for ${spec.transport}`);
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw bad(spec, 'url', 'is not a valid URL');
    }
    const schemes = SCHEMES[spec.transport] ?? [];
    if (!schemes.includes(url.protocol)) {
      throw bad(
        spec,
        'url',
        `must use ${schemes.join(' or ')} for ${spec.transport}; received ${url.protocol}`,
      );
    }
  }
  if (spec.timeoutMs !== undefined && (!Number.isFinite(spec.timeoutMs) || spec.timeoutMs <= 0)) {
    throw bad(spec, 'timeoutMs', 'must be a positive number of milliseconds');
  }
  if (
    spec.retries !== undefined &&
    (!Number.isInteger(spec.retries) || spec.retries < 0 || spec.retries > 10)
  ) {
    throw bad(spec, 'retries', 'must be an integer from 0 to 10');
  }
  const pin = spec.protocolVersion;
  if (
    pin !== undefined &&
    pin !== 'auto' &&
    pin !== MODERN_PROTOCOL_VERSION &&
    !LEGACY_PROTOCOL_VERSIONS.includes(pin)
  ) {
    throw bad(
      spec,
      'protocolVersion',
      `must be auto, ${MODERN_PROTOCOL_VERSION} or one of ${LEGACY_PROTOCOL_VERSIONS.join(', ')}; received ${JSON.stringify(pin)}`,
    );
  }
}

function sorted(record: Record<string, string> | undefined): [string, string][] {
  return Object.entries(record ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The connection-relevant part of a spec: when it changes the pool replaces the client; other
 * fields (name, timeout, retries) are updated in place.
 */
export function connectionFingerprint(spec: UpstreamSpec): string {
  return JSON.stringify([
    spec.transport,
    spec.url ?? null,
    sorted(spec.headers),
    spec.command ?? null,
    spec.args ?? [],
    sorted(spec.env),
    spec.cwd ?? null,
    spec.protocolVersion ?? 'auto',
    spec.connector ?? null,
  ]);
}
