import type { Dispatcher } from 'undici';
import type { ResolvedPoolOptions } from '../pool/pool-options.js';
import type { ProcessBudget } from '../stdio/process-budget.js';
import { buildChildEnv } from '../stdio/safe-env.js';
import type { CustomTransportFactory } from '../transport/custom-transport.js';
import { SseTransport } from '../transport/sse-transport.js';
import { StdioTransport } from '../transport/stdio-transport.js';
import { StreamableHttpTransport } from '../transport/streamable-http-transport.js';
import type { UpstreamTransport } from '../transport/transport.js';
import { WebSocketTransport } from '../transport/websocket-transport.js';
import type { UpstreamSpec } from '../types.js';
import { UpstreamError } from '../upstream-error.js';

/** What a transport needs besides the spec. */
export interface TransportContext {
  options: ResolvedPoolOptions;
  /** Keep-alive pool of the spec's origin (HTTP transports). */
  dispatcher: Dispatcher | undefined;
  /** Budgets a stdio process counts against. */
  budgets: ProcessBudget[];
  /** Factories of `custom` transports, by connector name. */
  custom: ReadonlyMap<string, CustomTransportFactory>;
  where: string;
}

/**
 * Builds the transport a (validated) spec asks for.
 * @throws UpstreamError `config` when stdio spawning is disabled or a custom connector is not registered
 */
export function createTransport(spec: UpstreamSpec, ctx: TransportContext): UpstreamTransport {
  const { options, where } = ctx;
  switch (spec.transport) {
    case 'streamable-http':
      return new StreamableHttpTransport({
        url: new URL(spec.url as string),
        dispatcher: ctx.dispatcher as Dispatcher,
        headers: spec.headers,
        maxResponseBytes: options.maxResponseBytes,
        where,
      });
    case 'sse':
      return new SseTransport({
        url: new URL(spec.url as string),
        dispatcher: ctx.dispatcher as Dispatcher,
        headers: spec.headers,
        maxResponseBytes: options.maxResponseBytes,
        where,
      });
    case 'websocket':
      return new WebSocketTransport({
        url: new URL(spec.url as string),
        headers: spec.headers,
        maxMessageBytes: options.maxResponseBytes,
        where,
      });
    case 'custom': {
      const factory = ctx.custom.get(spec.connector as string);
      if (factory === undefined) {
        const known = [...ctx.custom.keys()];
        throw new UpstreamError(
          'config',
          `${where}: no transport named ${JSON.stringify(spec.connector)} is registered with the upstream pool (registered: ${known.length > 0 ? known.join(', ') : 'none'})`,
          { upstreamId: spec.id, notDelivered: true },
        );
      }
      return factory(spec, { where, maxMessageBytes: options.maxResponseBytes });
    }
    case 'stdio': {
      if (!options.stdio.enabled) {
        throw new UpstreamError(
          'config',
          `${where}: spawning stdio servers is disabled in the gateway configuration`,
          {
            upstreamId: spec.id,
            notDelivered: true,
          },
        );
      }
      const { onStderr, onProcess } = options.stdio;
      const logger = options.logger;
      return new StdioTransport({
        command: spec.command as string,
        args: spec.args ?? [],
        env: buildChildEnv(spec.env, options.stdio.inheritEnv),
        cwd: spec.cwd,
        where,
        maxLineBytes: options.maxResponseBytes,
        stderrBytes: options.stdio.stderrBytes,
        onStderrLine: onStderr
          ? (line) => onStderr(spec.id, line)
          : (line) => logger.debug(line, { upstream: spec.id, stream: 'stderr' }),
        budgets: ctx.budgets,
        killGraceMs: options.stdio.killGraceMs,
        onProcess: onProcess ? (event, pid) => onProcess(spec.id, event, pid) : undefined,
      });
    }
  }
}
