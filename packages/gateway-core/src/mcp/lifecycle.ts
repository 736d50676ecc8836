import { invalidParams } from './errors.js';
import { isLegacyVersion, LEGACY_PROTOCOL_VERSIONS, META, SUPPORTED_PROTOCOL_VERSIONS } from './protocol.js';
import { validateWithSdk } from './sdk-validation.js';
import type { ServerDescription } from './types.js';

function implementation(desc: ServerDescription): Record<string, string> {
  return desc.title === undefined
    ? { name: desc.name, version: desc.version }
    : { name: desc.name, version: desc.version, title: desc.title };
}

/** Capabilities as advertised downstream: the backend's, plus logging, which the engine serves itself. */
export function advertisedCapabilities(desc: ServerDescription): Record<string, unknown> {
  return desc.capabilities.logging === undefined ? { ...desc.capabilities, logging: {} } : desc.capabilities;
}

/** Negotiated legacy version for an `initialize` request (the client's if served, else our latest). */
export function negotiateVersion(params: Record<string, unknown> | undefined): string {
  const requested = params?.protocolVersion;
  if (typeof requested !== 'string')
    throw invalidParams('initialize: params.protocolVersion is required and must be a string');
  return isLegacyVersion(requested) ? requested : (LEGACY_PROTOCOL_VERSIONS[0] as string);
}

/** Client capabilities and info of an `initialize` request. */
export function initializeClient(params: Record<string, unknown> | undefined): {
  capabilities: Record<string, unknown>;
  clientInfo?: { name: string; version: string };
} {
  validateWithSdk('initialize', params);
  const caps = params?.capabilities;
  const info = params?.clientInfo as { name: string; version: string } | undefined;
  return { capabilities: (caps as Record<string, unknown> | undefined) ?? {}, clientInfo: info };
}

/** InitializeResult of a legacy handshake. */
export function initializeResult(desc: ServerDescription, protocolVersion: string): Record<string, unknown> {
  const result: Record<string, unknown> = {
    protocolVersion,
    capabilities: advertisedCapabilities(desc),
    serverInfo: implementation(desc),
  };
  if (desc.instructions !== undefined) result.instructions = desc.instructions;
  return result;
}

/** DiscoverResult of 2026-07-28 `server/discover` (cache hints added by the caller). */
export function discoverResult(desc: ServerDescription): Record<string, unknown> {
  const result: Record<string, unknown> = {
    supportedVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    capabilities: advertisedCapabilities(desc),
    _meta: { [META.serverInfo]: implementation(desc) },
  };
  if (desc.instructions !== undefined) result.instructions = desc.instructions;
  return result;
}

/** The honoured filter of a `subscriptions/listen` request. */
export interface ListenFilter {
  toolsListChanged?: true;
  promptsListChanged?: true;
  resourcesListChanged?: true;
  resourceSubscriptions?: string[];
}

/**
 * Parses `params.notifications` of `subscriptions/listen` and keeps what the server can deliver
 * (2026-07-28 subscriptions §Acknowledgment: unsupported types are omitted).
 *
 * @throws McpError -32602 naming the malformed field.
 */
export function listenFilter(
  params: Record<string, unknown> | undefined,
  desc: ServerDescription,
  maxUris: number,
): ListenFilter {
  const { _meta, ...rest } = params ?? {};
  validateWithSdk('subscriptions/listen', rest);
  const n = params?.notifications;
  if (n === undefined) return {};
  if (typeof n !== 'object' || n === null || Array.isArray(n))
    throw invalidParams('subscriptions/listen: params.notifications must be an object');
  const f = n as Record<string, unknown>;
  const out: ListenFilter = {};
  for (const key of ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'] as const) {
    const v = f[key];
    if (v !== undefined && typeof v !== 'boolean')
      throw invalidParams(`subscriptions/listen: params.notifications.${key} must be a boolean`);
    const cap = key === 'toolsListChanged' ? 'tools' : key === 'promptsListChanged' ? 'prompts' : 'resources';
    if (v === true && desc.capabilities[cap] !== undefined) out[key] = true;
  }
  const uris = f.resourceSubscriptions;
  if (uris !== undefined) {
    if (!Array.isArray(uris) || uris.some((u) => typeof u !== 'string')) {
      throw invalidParams(
        'subscriptions/listen: params.notifications.resourceSubscriptions must be an array of URI strings',
      );
    }
    if (uris.length > maxUris)
      throw invalidParams(`subscriptions/listen: at most ${maxUris} resourceSubscriptions per stream`);
    if (desc.capabilities.resources !== undefined) out.resourceSubscriptions = uris as string[];
  }
  return out;
}
