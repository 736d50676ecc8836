import type { UpstreamSpec } from '../types.js';
import type { UpstreamTransport } from './transport.js';

/** What a {@link CustomTransportFactory} receives besides the spec. */
export interface CustomTransportContext {
  /** `upstream 'name' (id)`, for error messages. */
  where: string;
  /** Largest message the pool accepts from an upstream (`maxResponseBytes`). */
  maxMessageBytes: number;
}

/**
 * Builds the wire of a `custom` upstream (`spec.transport === 'custom'`), looked up by `spec.connector`
 * among the factories registered with the pool. Called once per connection (the shared one, and each
 * isolated session); the connection above does ids, eras, timeouts and retries, the transport only
 * moves JSON-RPC messages (see {@link UpstreamTransport}).
 */
export type CustomTransportFactory = (
  spec: UpstreamSpec,
  context: CustomTransportContext,
) => UpstreamTransport;
