import { isJsonRpcMessage, type JsonRpcMessage, preview } from '../json-rpc.js';
import type { ProcessBudget } from '../stdio/process-budget.js';
import { StdioProcess, type StdioProcessOptions } from '../stdio/stdio-process.js';
import { UpstreamError } from '../upstream-error.js';
import type { TransportHandlers, UpstreamTransport } from './transport.js';

/** Options of a {@link StdioTransport}. */
export interface StdioTransportOptions extends StdioProcessOptions {
  /** Budgets the process counts against (per upstream, whole pool); all or none are taken. */
  budgets: ProcessBudget[];
  /** SIGTERM/SIGKILL escalation window when stopping. */
  killGraceMs: number;
  /** Notified with the pid when a process starts and stops (observability, tests). */
  onProcess?(event: 'spawn' | 'exit', pid: number): void;
}

/**
 * stdio: newline-delimited JSON-RPC over a spawned process's stdin/stdout (one process per
 * transport lifetime; the connection above restarts it with backoff). A line that is not JSON is
 * reported and skipped; the process exiting fails every pending request with `crashed`, carrying
 * the exit status and the last stderr lines.
 */
export class StdioTransport implements UpstreamTransport {
  readonly kind = 'stdio' as const;
  readonly exchanges = false;
  private proc: StdioProcess | undefined;
  /** Processes being stopped on purpose (their exit is not a crash). */
  private readonly stopping = new WeakSet<StdioProcess>();
  /** Lines that were not JSON-RPC since start (reported in timeout messages). */
  garbageLines = 0;

  /** @param options what to spawn, bounds and budgets */
  constructor(private readonly options: StdioTransportOptions) {}

  /** The running process id, if any. */
  get pid(): number | undefined {
    return this.proc?.exited === false ? this.proc.pid : undefined;
  }

  async start(handlers: TransportHandlers): Promise<void> {
    const taken: ProcessBudget[] = [];
    try {
      for (const b of this.options.budgets) {
        b.acquire();
        taken.push(b);
      }
    } catch (err) {
      for (const b of taken) b.release();
      throw err;
    }
    let proc: StdioProcess;
    try {
      proc = await StdioProcess.spawn(this.options);
    } catch (err) {
      for (const b of taken) b.release();
      throw err;
    }
    this.proc = proc;
    this.garbageLines = 0;
    const where = this.options.where;
    this.options.onProcess?.('spawn', proc.pid);
    let overflow: string | undefined;
    proc.onLine = (line) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = undefined;
      }
      if (!isJsonRpcMessage(parsed)) {
        this.garbageLines += 1;
        handlers.onWarning(`${where}: ignoring stdout line that is not JSON-RPC: ${preview(line)}`);
        return;
      }
      handlers.onMessage(parsed);
    };
    proc.onOverflow = (message) => {
      overflow = message;
    };
    proc.onExit = (exit) => {
      for (const b of taken) b.release();
      this.options.onProcess?.('exit', proc.pid);
      // A process replaced by a newer start (a slow stop overlapping a restart) reports nothing:
      // its exit must not fail the requests of its successor.
      if (this.proc !== proc) return;
      this.proc = undefined;
      if (this.stopping.has(proc)) {
        handlers.onClose(new UpstreamError('closed', `${where}: process stopped`));
        return;
      }
      const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
      const tail = proc.stderrTail(5);
      handlers.onClose(
        overflow
          ? new UpstreamError('protocol', overflow)
          : new UpstreamError(
              'crashed',
              `${where}: process ${proc.pid} exited with ${how}${tail ? `; stderr: ${preview(tail, 500)}` : ''}`,
            ),
      );
    };
  }

  setProtocolVersion(): void {}

  async send(message: JsonRpcMessage): Promise<void> {
    const proc = this.proc;
    if (proc === undefined) {
      throw new UpstreamError('crashed', `${this.options.where}: process is not running`, {
        notDelivered: true,
      });
    }
    proc.write(JSON.stringify(message));
  }

  async close(): Promise<void> {
    const proc = this.proc;
    if (proc === undefined) return;
    this.stopping.add(proc);
    await proc.stop(this.options.killGraceMs);
  }
}
