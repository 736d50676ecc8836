import type { Readable, Writable } from 'node:stream';
import { BridgeError } from './bridge-error.js';
import { ErrorCode, errorResponse, type JsonRpcMessage, validateMessage } from './json-rpc.js';
import type { CloseInfo, MessageTransport } from './message-transport.js';
import { NdjsonDecoder, sniffId } from './ndjson-decoder.js';

/**
 * This process's stdin/stdout as an MCP stdio transport (the side a desktop client talks to).
 * Lines that are not JSON-RPC are answered on stdout with a JSON-RPC error (`-32700`/`-32600`), as
 * are oversize lines (with their id when it can be found); stdout carries nothing but messages.
 */
export class StdioServerTransport implements MessageTransport {
  onmessage?: (message: JsonRpcMessage) => void;
  onclose?: (info?: CloseInfo) => void;
  onerror?: (error: Error) => void;
  private closed = false;

  /**
   * @param maxMessageBytes largest accepted line
   * @param input defaults to process.stdin
   * @param output defaults to process.stdout
   */
  constructor(
    private readonly maxMessageBytes = 4 * 1024 * 1024,
    private readonly input: Readable = process.stdin,
    private readonly output: Writable = process.stdout,
  ) {}

  async start(): Promise<void> {
    const decoder = new NdjsonDecoder(this.maxMessageBytes, {
      onLine: (line) => this.line(line),
      onOversize: (prefix, bytes) => {
        const message = `message of ${bytes} bytes exceeds the ${this.maxMessageBytes}-byte limit (--max-message-bytes)`;
        this.onerror?.(new BridgeError('MESSAGE_TOO_LARGE', message));
        void this.send(errorResponse(sniffId(prefix) ?? null, ErrorCode.MessageTooLarge, message));
      },
    });
    this.input.on('data', (chunk: Buffer | string) =>
      decoder.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk),
    );
    this.input.on('end', () => {
      decoder.end();
      this.finish('stdin closed', true);
    });
    this.output.on('error', () => this.finish('stdout closed', true));
  }

  send(message: JsonRpcMessage): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.output.write(`${JSON.stringify(message)}\n`)) return Promise.resolve();
    return new Promise((resolve) => this.output.once('drain', resolve));
  }

  async close(): Promise<void> {
    this.input.pause();
    this.finish('closed', false);
  }

  private line(line: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      void this.send(
        errorResponse(null, ErrorCode.ParseError, `line is not valid JSON: ${(error as Error).message}`),
      );
      return;
    }
    const message = validateMessage(parsed);
    if (typeof message === 'string') {
      const id = (parsed as { id?: string | number } | null)?.id ?? null;
      void this.send(errorResponse(id, ErrorCode.InvalidRequest, `invalid JSON-RPC message: ${message}`));
      return;
    }
    this.onmessage?.(message);
  }

  private finish(reason: string, unexpected: boolean): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.({ reason, unexpected });
  }
}
