import { LEGACY_PROTOCOL_VERSIONS, META, MODERN_PROTOCOL_VERSION } from '../protocol.js';
import type { UpstreamTransport } from '../transport/transport.js';
import type { UpstreamSpec } from '../types.js';
import { UpstreamError } from '../upstream-error.js';
import { classifyProbe, pinsLegacy, pinsModern } from './era-negotiation.js';

/** What a handshake learnt about the upstream. */
export interface SessionInfo {
  era: 'modern' | 'legacy';
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  serverInfo: Record<string, unknown>;
  instructions: string | undefined;
  /** The 2026-07-28 `_meta` envelope every request carries (modern era only). */
  envelope: Record<string, unknown> | undefined;
}

/** What the handshake needs from its connection. */
export interface HandshakeContext {
  spec: UpstreamSpec;
  where: string;
  transport: UpstreamTransport;
  clientInfo: { name: string; version: string };
  clientCapabilities: Record<string, unknown>;
  /** How long a single-channel upstream may stay silent on the probe. */
  probeTimeoutMs: number;
  /** Sends one request outside the era machinery (no envelope added, not counted in flight). */
  request(
    method: string,
    params: Record<string, unknown>,
    deadline: number,
  ): Promise<Record<string, unknown>>;
  /** Stops and starts the transport again (a server that died on the probe). */
  restart(deadline: number): Promise<void>;
}

/** The 2026-07-28 per-request `_meta` envelope for `version`. */
export function makeEnvelope(
  version: string,
  clientInfo: HandshakeContext['clientInfo'],
  clientCapabilities: Record<string, unknown>,
): Record<string, unknown> {
  return {
    [META.protocolVersion]: version,
    [META.clientInfo]: clientInfo,
    [META.clientCapabilities]: clientCapabilities,
  };
}

/**
 * Negotiates the era on a started transport: a pinned 2025-era revision (or the SSE transport,
 * which only exists in that era) initialises directly; otherwise a `server/discover` probe decides
 * (2026-07-28 §Versioning), falling back to `initialize` for 2025-era servers unless the spec pins
 * 2026-07-28.
 *
 * @throws UpstreamError `protocol` when the upstream offers nothing we speak, or the probe's error
 */
export async function negotiateSession(ctx: HandshakeContext, deadline: number): Promise<SessionInfo> {
  const { spec, transport, where } = ctx;
  const pin = spec.protocolVersion;
  if (pinsLegacy(pin) || transport.kind === 'sse') {
    return initialize(
      ctx,
      pin !== undefined && pinsLegacy(pin) ? pin : (LEGACY_PROTOCOL_VERSIONS[0] as string),
      deadline,
    );
  }
  const probeDeadline = transport.exchanges ? deadline : Math.min(deadline, Date.now() + ctx.probeTimeoutMs);
  const envelope = makeEnvelope(MODERN_PROTOCOL_VERSION, ctx.clientInfo, ctx.clientCapabilities);
  let outcome: { result: Record<string, unknown> } | { error: unknown };
  try {
    outcome = { result: await ctx.request('server/discover', { _meta: envelope }, probeDeadline) };
  } catch (error) {
    outcome = { error };
  }
  const verdict = classifyProbe(outcome, transport.kind);
  if (verdict.kind === 'error') throw verdict.error;
  if (verdict.kind === 'modern') {
    const info = (verdict.result._meta as Record<string, unknown> | undefined)?.[META.serverInfo];
    return {
      era: 'modern',
      protocolVersion: verdict.version,
      capabilities: (verdict.result.capabilities as Record<string, unknown>) ?? {},
      serverInfo: (info as Record<string, unknown>) ?? { name: spec.name },
      instructions: typeof verdict.result.instructions === 'string' ? verdict.result.instructions : undefined,
      envelope,
    };
  }
  if (pinsModern(pin)) {
    throw new UpstreamError(
      'protocol',
      `${where}: upstream does not offer protocol ${pin} (server/discover failed), and the spec pins it`,
    );
  }
  // The server died on the probe: start it again and go straight to initialize.
  if (verdict.restart) await ctx.restart(deadline);
  return initialize(ctx, LEGACY_PROTOCOL_VERSIONS[0] as string, deadline);
}

/** The 2025-era handshake: initialize, check the chosen revision, notifications/initialized. */
async function initialize(ctx: HandshakeContext, offered: string, deadline: number): Promise<SessionInfo> {
  const result = await ctx.request(
    'initialize',
    { protocolVersion: offered, capabilities: ctx.clientCapabilities, clientInfo: ctx.clientInfo },
    deadline,
  );
  const chosen = result.protocolVersion;
  if (typeof chosen !== 'string' || !LEGACY_PROTOCOL_VERSIONS.includes(chosen)) {
    throw new UpstreamError(
      'protocol',
      `${ctx.where}: initialize answered protocolVersion ${JSON.stringify(chosen)}; expected one of ${LEGACY_PROTOCOL_VERSIONS.join(', ')}`,
    );
  }
  ctx.transport.setProtocolVersion(chosen);
  await ctx.transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
  return {
    era: 'legacy',
    protocolVersion: chosen,
    capabilities: (result.capabilities as Record<string, unknown>) ?? {},
    serverInfo: (result.serverInfo as Record<string, unknown>) ?? { name: ctx.spec.name },
    instructions: typeof result.instructions === 'string' ? result.instructions : undefined,
    envelope: undefined,
  };
}
