import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { UpstreamError } from '../upstream-error.js';
import { groupAlive, signalGroup, trackGroup, untrackGroup, waitGroupGone } from './process-groups.js';
import { StderrRing } from './stderr-ring.js';

/** What to spawn and how to bound it. */
export interface StdioProcessOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Display name for messages. */
  where: string;
  /** Longest stdout line (one JSON-RPC message) accepted; longer kills the process. */
  maxLineBytes: number;
  /** stderr tail kept for crash messages. */
  stderrBytes: number;
  /** stderr lines, rate-limited. */
  onStderrLine?(line: string): void;
}

/** Why a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * One spawned stdio server. Spawned `detached` so it leads its own process group: stopping it
 * signals the whole group, which also reaches grandchildren a wrapper (`npx`, `uvx`, shells) left
 * behind. stdout is split into lines (bounded); stderr goes to a bounded ring and the logger.
 */
export class StdioProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr: StderrRing;
  private partial: Buffer[] = [];
  private partialSize = 0;
  private exitInfo: ProcessExit | undefined;
  private readonly exitWaiters: Array<(e: ProcessExit) => void> = [];
  /** Called per complete stdout line. */
  onLine: (line: string) => void = () => {};
  /** Called once when the process exits (after the group was reaped). */
  onExit: (exit: ProcessExit) => void = () => {};
  /** Called when stdout breaks a bound (the process is then killed). */
  onOverflow: (message: string) => void = () => {};

  private constructor(
    child: ChildProcessWithoutNullStreams,
    private readonly options: StdioProcessOptions,
  ) {
    this.child = child;
    this.stderr = new StderrRing(options.stderrBytes, options.onStderrLine);
    const pid = child.pid as number;
    trackGroup(pid);
    child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => this.stderr.push(text));
    // EPIPE on a dead child's stdin is reported through exit; swallow the stream error.
    child.stdin.on('error', () => {});
    child.on('exit', (code, signal) => {
      // The leader is gone; kill stragglers in its group so nothing leaks.
      signalGroup(pid, 'SIGKILL');
      untrackGroup(pid);
      this.exitInfo = { code, signal };
      for (const w of this.exitWaiters.splice(0)) w(this.exitInfo);
      this.onExit(this.exitInfo);
    });
  }

  /**
   * Spawns the process and waits until it is running.
   * @throws UpstreamError `unreachable` when it cannot be started (ENOENT, EACCES, …)
   */
  static async spawn(options: StdioProcessOptions): Promise<StdioProcess> {
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    }) as ChildProcessWithoutNullStreams;
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (err: NodeJS.ErrnoException) =>
        reject(
          new UpstreamError(
            'unreachable',
            `${options.where}: cannot start '${options.command}' (${err.code ?? err.message})`,
            {
              cause: err,
              notDelivered: true,
            },
          ),
        ),
      );
    });
    return new StdioProcess(child, options);
  }

  /** The process (and process group) id. */
  get pid(): number {
    return this.child.pid as number;
  }

  /** True once the process exited. */
  get exited(): boolean {
    return this.exitInfo !== undefined;
  }

  /** The last `lines` stderr lines. */
  stderrTail(lines = 10): string {
    return this.stderr.tail(lines);
  }

  /** Writes one line (a JSON-RPC message). @throws UpstreamError `crashed` after exit */
  write(line: string): void {
    if (this.exitInfo !== undefined || !this.child.stdin.writable) {
      throw new UpstreamError('crashed', `${this.options.where}: process ${this.pid} is not running`, {
        notDelivered: true,
      });
    }
    this.child.stdin.write(`${line}\n`);
  }

  /** Resolves when the process has exited. */
  waitExit(): Promise<ProcessExit> {
    if (this.exitInfo !== undefined) return Promise.resolve(this.exitInfo);
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /**
   * Stops the process: closes stdin (the polite MCP shutdown), then SIGTERM to the group after
   * half the grace period, then SIGKILL to the group. Resolves when the group is gone.
   */
  async stop(graceMs: number): Promise<void> {
    const pid = this.pid;
    if (this.exitInfo === undefined) {
      this.child.stdin.end();
      const exited = this.waitExit();
      const waitFor = (ms: number) => Promise.race([exited.then(() => true), delay(ms).then(() => false)]);
      if (!(await waitFor(graceMs / 2))) {
        signalGroup(pid, 'SIGTERM');
        if (!(await waitFor(graceMs / 2))) {
          signalGroup(pid, 'SIGKILL');
          await exited;
        }
      }
    }
    // Grandchildren that ignored the leader's end are killed with the group; wait until they are gone.
    if (groupAlive(pid)) {
      signalGroup(pid, 'SIGKILL');
      await waitGroupGone(pid, 2000);
    }
  }

  private onStdout(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) break;
      let line: Buffer = chunk.subarray(start, nl);
      if (this.partial.length > 0) {
        this.partial.push(line);
        line = Buffer.concat(this.partial);
        this.partial = [];
        this.partialSize = 0;
      }
      start = nl + 1;
      const text = line.toString('utf8');
      if (text.trim() !== '') this.onLine(text);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      this.partialSize += rest.length;
      this.partial.push(rest);
      if (this.partialSize > this.options.maxLineBytes) {
        this.partial = [];
        this.partialSize = 0;
        this.onOverflow(`${this.options.where}: stdout message exceeds ${this.options.maxLineBytes} bytes`);
        signalGroup(this.pid, 'SIGKILL');
      }
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms).unref());
}
