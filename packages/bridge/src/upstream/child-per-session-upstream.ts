import { SupervisedChild, type SupervisedChildOptions } from '../child/supervised-child.js';
import type { JsonRpcMessage } from '../core/json-rpc.js';
import type { CloseInfo } from '../core/message-transport.js';
import type { SessionContext, Upstream, UpstreamSession } from './upstream.js';

class ChildSession implements UpstreamSession {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;

  constructor(
    readonly id: string,
    readonly child: SupervisedChild,
    private readonly release: () => void,
  ) {
    child.onmessage = (message) => this.onmessage?.(message);
    child.onclose = (info) => {
      this.release();
      if (info?.unexpected) this.onclose?.(info);
    };
  }

  send(message: JsonRpcMessage): Promise<void> {
    return this.child.send(message);
  }

  async close(): Promise<void> {
    this.release();
    await this.child.close();
  }
}

/**
 * One stdio child per client session (what stateful servers expect: each client gets its own
 * server state). Messages pass through untouched, ids included. `--header-to-env` values become
 * the child's environment.
 */
export class ChildPerSessionUpstream implements Upstream {
  private readonly sessions = new Map<string, ChildSession>();

  /** @param options how to run (and restart) each child */
  constructor(private readonly options: SupervisedChildOptions) {}

  /** Spawns a child for the session. */
  async open(context: SessionContext): Promise<UpstreamSession> {
    const env = context.env ? { ...this.options.env, ...context.env } : this.options.env;
    const child = new SupervisedChild({ ...this.options, env });
    await child.start();
    const session = new ChildSession(context.id, child, () => this.sessions.delete(context.id));
    this.sessions.set(context.id, session);
    return session;
  }

  /** Ends every session's child. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  get pids(): number[] {
    return [...this.sessions.values()].flatMap((s) => (s.child.pid === undefined ? [] : [s.child.pid]));
  }
}
