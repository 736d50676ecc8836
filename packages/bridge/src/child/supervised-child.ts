import { ErrorCode } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import { type ReconnectOptions, ResilientTransport } from '../core/resilient-transport.js';
import { ChildOutputError, ChildProcessTransport, type ChildSpec } from './child-process-transport.js';

/** Options of {@link SupervisedChild}. */
export interface SupervisedChildOptions extends ChildSpec {
  /** Restart policy after a crash; `false` ends the transport instead (default: restart, 0.5 s → 30 s). */
  restart?: ReconnectOptions | false;
  /** Diagnostics. */
  logger?: Logger;
}

/**
 * A stdio MCP server that survives crashes: pending requests are answered with a JSON-RPC error
 * naming the exit, the process is restarted with exponential backoff and the session's
 * `initialize` is replayed (see {@link ResilientTransport}). A response too large to relay is
 * answered with `-32004` for its request instead of being lost silently.
 */
export class SupervisedChild extends ResilientTransport {
  /** @param options command, limits and restart policy */
  constructor(options: SupervisedChildOptions) {
    super(
      () => new ChildProcessTransport(options, options.logger),
      'MCP server process',
      options.restart ?? {},
      options.logger,
    );
  }

  /** Current child pid (changes on restart). */
  get pid(): number | undefined {
    return (this.transport as ChildProcessTransport | undefined)?.pid;
  }

  protected override connectionError(error: Error): void {
    if (error instanceof ChildOutputError && error.requestId !== undefined) {
      this.fail(error.requestId, ErrorCode.MessageTooLarge, error.message);
    }
    super.connectionError(error);
  }
}
