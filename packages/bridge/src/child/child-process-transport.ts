import { type ChildProcess, spawn } from 'node:child_process';
import { BridgeError } from '../core/bridge-error.js';
import { type JsonRpcMessage, validateMessage } from '../core/json-rpc.js';
import type { Logger } from '../core/logger.js';
import type { CloseInfo, MessageTransport } from '../core/message-transport.js';
import { NdjsonDecoder, sniffId } from '../core/ndjson-decoder.js';
import { terminateProcessGroup } from './process-group.js';

/** How to run a stdio MCP server. */
export interface ChildSpec {
  /** Executable (resolved on PATH). */
  command: string;
  /** Arguments. */
  args?: string[];
  /** Extra environment merged over the parent's. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Largest message the child may send, in bytes (default 4 MiB). */
  maxMessageBytes?: number;
  /** What to do with the child's stderr: pass it to ours (default) or drop it. */
  stderr?: 'inherit' | 'ignore';
  /** Grace period between SIGTERM and SIGKILL on close, ms (default 2000). */
  killGraceMs?: number;
}

/** Reported through `onerror` when the child's stdout carried a line that is not a JSON-RPC message. */
export class ChildOutputError extends BridgeError {
  /**
   * @param message what was wrong
   * @param requestId id found in an oversize line, so its request can be answered
   */
  constructor(
    message: string,
    readonly requestId?: string | number,
  ) {
    super('PROTOCOL_ERROR', message);
  }
}

/**
 * A stdio MCP server as a {@link MessageTransport}: spawns it detached (its own process group),
 * frames messages as newline-delimited JSON with a bounded streaming decoder, honours stdin
 * backpressure, and on close ends the whole process group (SIGTERM, then SIGKILL).
 */
export class ChildProcessTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  private child?: ChildProcess;
  private closing = false;
  private closed = false;
  private exitPromise?: Promise<void>;

  /**
   * @param spec command, arguments, env and limits
   * @param logger where diagnostics go (never stdout)
   */
  constructor(
    private readonly spec: ChildSpec,
    private readonly logger?: Logger,
  ) {}

  /** The child's pid once started. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the child. Rejects with SPAWN_FAILED when the command cannot be run. */
  start(): Promise<void> {
    const { command, args = [], env, cwd } = this.spec;
    const child = spawn(command, args, {
      cwd,
      env: env ? { ...process.env, ...env } : process.env,
      stdio: ['pipe', 'pipe', this.spec.stderr === 'ignore' ? 'ignore' : 'inherit'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    this.child = child;
    const decoder = new NdjsonDecoder(this.spec.maxMessageBytes ?? 4 * 1024 * 1024, {
      onLine: (line) => this.handleLine(line),
      onOversize: (prefix, bytes) =>
        this.onerror?.(
          new ChildOutputError(
            `MCP server sent a ${bytes}-byte message, more than the ${this.spec.maxMessageBytes ?? 4 * 1024 * 1024}-byte limit (--max-message-bytes); message dropped`,
            sniffId(prefix),
          ),
        ),
    });
    child.stdout!.on('data', (chunk: Buffer) => decoder.push(chunk));
    child.stdout!.on('end', () => decoder.end());
    // EPIPE on stdin after the child died is reported by 'exit'; do not crash on it.
    child.stdin!.on('error', (error) => this.logger?.debug('child stdin error', { error: error.message }));
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        resolve();
        this.finish(code === null ? `killed by ${signal}` : `exited with code ${code}`);
      });
    });
    return new Promise((resolve, reject) => {
      child.once('spawn', () => {
        this.logger?.debug('spawned MCP server', { pid: child.pid, command });
        resolve();
      });
      child.once('error', (error) => {
        const failure = new BridgeError('SPAWN_FAILED', `cannot start "${command}": ${error.message}`, error);
        reject(failure);
        this.finish(failure.message);
      });
    });
  }

  /** Writes one message as a JSON line; waits for 'drain' when the pipe is full (backpressure). */
  send(message: JsonRpcMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || this.closed || stdin.destroyed) {
      return Promise.reject(new BridgeError('CLOSED', 'MCP server process is not running'));
    }
    const ok = stdin.write(`${JSON.stringify(message)}\n`);
    if (ok) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        stdin.off('drain', done);
        stdin.off('close', done);
        resolve();
      };
      stdin.once('drain', done);
      stdin.once('close', done);
    });
  }

  /** Ends the child's process group and waits for it. */
  async close(): Promise<void> {
    if (!this.child || this.closing) {
      await this.exitPromise;
      return;
    }
    this.closing = true;
    this.child.stdin?.end();
    await terminateProcessGroup(this.child, this.spec.killGraceMs ?? 2000);
    await this.exitPromise;
    this.finish('closed');
  }

  private handleLine(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      this.onerror?.(
        new ChildOutputError(`MCP server wrote a line that is not JSON to stdout: ${line.slice(0, 200)}`),
      );
      return;
    }
    const message = validateMessage(parsed);
    if (typeof message === 'string') {
      this.onerror?.(new ChildOutputError(`MCP server wrote an invalid JSON-RPC message: ${message}`));
      return;
    }
    this.onmessage?.(message);
  }

  private finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({ reason, unexpected: !this.closing });
  }
}
