import type { Dispatcher } from 'undici';
import type { ResolvedPoolOptions } from '../pool/pool-options.js';
import type { ProcessBudget } from '../stdio/process-budget.js';
import { buildChildEnv } from '../stdio/safe-env.js';
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
  where: string;
}

/**
 * Builds the transport a (validated) spec asks for.
 * @throws UpstreamError `config` when stdio spawning is disabled
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
