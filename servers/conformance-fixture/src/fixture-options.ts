import type { RequestStateCodec, ServerEventBus } from '@modelcontextprotocol/server';

/** How the fixture reports what it does (to stderr in the CLI; never to stdout). */
export type FixtureLogger = (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;

/** A logger that drops everything (the default for embedded use). */
export const silentLogger: FixtureLogger = () => {};

/**
 * Shared state behind every server instance one fixture process builds. The 2026-07-28 path builds a
 * fresh `McpServer` per HTTP request, so anything that must outlive a request (the requestState key,
 * the subscriptions/listen bus, resource subscriptions of legacy sessions) lives here.
 */
export interface FixtureContext {
  /** Seals and verifies multi-round-trip `requestState` (SEP-2322) with a per-process HMAC key. */
  readonly requestState: RequestStateCodec<Record<string, unknown>>;
  /**
   * The bus `subscriptions/listen` streams of the HTTP entry subscribe to. Absent on stdio, where the
   * connection's own instance routes its list-changed notifications to open listen subscriptions.
   */
  readonly bus?: ServerEventBus;
  /** URIs a legacy session subscribed to with `resources/subscribe`. */
  readonly resourceSubscriptions: Set<string>;
  /** Where the fixture reports what it does. */
  readonly log: FixtureLogger;
}
