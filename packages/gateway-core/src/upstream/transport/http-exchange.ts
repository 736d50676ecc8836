import type { Dispatcher } from 'undici';
import { isJsonRpcMessage, type JsonRpcMessage, preview } from '../json-rpc.js';
import { type SseEvent, SseParser } from '../sse-parser.js';
import { toUpstreamError, UpstreamError } from '../upstream-error.js';

/** One HTTP request/response with an MCP body. */
export interface HttpExchangeInit {
  dispatcher: Dispatcher;
  /** Path and query of the endpoint. */
  path: string;
  method: 'POST' | 'GET' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  /** Bound on a JSON body or on one SSE event, in bytes. */
  maxBytes: number;
  /** Where the upstream is, for messages (never includes credentials). */
  where: string;
  /** Each JSON-RPC message of a JSON body or of the SSE stream, in order. */
  onMessage(message: JsonRpcMessage): void;
  /** SSE `id:`/`retry:` fields as they arrive (resumption points). */
  onEventId?(id: string | undefined, retryMs: number | undefined): void;
  /** Non-fatal oddities (an SSE event that is not JSON-RPC). */
  onWarning(message: string): void;
  /** SSE events other than `message` (the legacy `endpoint` event). */
  onOtherEvent?(event: SseEvent): void;
  /** Response status and headers, before any message of the body is delivered. */
  onHeaders?(status: number, headers: Record<string, string | string[] | undefined>): void;
  /** Accept any 2xx body without reading it as MCP (legacy SSE message POSTs answer `Accepted`). */
  ignoreBody?: boolean;
}

/** How an exchange ended when it did not fail at the network level. */
export interface HttpExchangeOutcome {
  status: number;
  /** `json`/`sse`: messages were delivered; `empty`: no body (202/204); `error`: a non-2xx status. */
  kind: 'json' | 'sse' | 'empty' | 'error';
  headers: Record<string, string | string[] | undefined>;
  /** Body text of an `error` outcome (at most 64 KiB). */
  errorBody?: string;
}

/** Network error codes that prove the request never left: nothing was written to a live connection. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const ERROR_BODY_LIMIT = 64 * 1024;

const noop = () => {};

/** What a finished exchange points at instead of its caller's callbacks. */
const RELEASED: HttpExchangeInit = {
  dispatcher: undefined as unknown as Dispatcher,
  path: '',
  method: 'POST',
  headers: {},
  maxBytes: 0,
  where: '(finished exchange)',
  onMessage: noop,
  onWarning: noop,
};

/** Maps a network failure to `unreachable`, marking it not delivered when it provably was not. */
function networkError(err: Error & { code?: string }, where: string): UpstreamError {
  const code = err.code ?? (err.cause as { code?: string } | undefined)?.code;
  const notDelivered = code !== undefined && NOT_SENT.has(code);
  return new UpstreamError(
    'unreachable',
    `${where}: ${notDelivered ? 'could not connect' : 'connection failed'} (${code ?? err.name}: ${err.message})`,
    { cause: err, notDelivered },
  );
}

/**
 * One exchange as an undici dispatch handler. A class rather than closures: this object is
 * allocated per upstream call on the hot path, so its state lives in fields and its callbacks on
 * the prototype.
 */
class HttpExchange implements Dispatcher.DispatchHandler {
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: UpstreamError | undefined;
  private status = 0;
  private kind: HttpExchangeOutcome['kind'] = 'empty';
  private headers: HttpExchangeOutcome['headers'] = {};
  private chunks: Buffer[] = [];
  private size = 0;
  private sse: SseParser | undefined;
  private settled = false;

  constructor(
    private init: HttpExchangeInit,
    private resolve: (outcome: HttpExchangeOutcome) => void,
    private reject: (error: UpstreamError) => void,
  ) {}

  /** Aborts the exchange (now, or as soon as it starts). */
  abort(reason: UpstreamError): void {
    if (this.settled) return;
    this.abortReason = reason;
    if (this.controller) this.fail(reason);
  }

  onRequestStart(c: Dispatcher.DispatchController): void {
    this.controller = c;
    if (this.abortReason) this.fail(this.abortReason);
  }

  onResponseStart(
    _c: Dispatcher.DispatchController,
    statusCode: number,
    responseHeaders: HttpExchangeOutcome['headers'],
  ): void {
    const init = this.init;
    this.status = statusCode;
    this.headers = responseHeaders;
    init.onHeaders?.(statusCode, responseHeaders);
    if (statusCode < 200 || statusCode >= 300) {
      this.kind = 'error';
      return;
    }
    if (statusCode === 202 || statusCode === 204 || init.ignoreBody) return;
    const type = String(responseHeaders['content-type'] ?? '').toLowerCase();
    if (type.startsWith('application/json')) this.kind = 'json';
    else if (type.startsWith('text/event-stream')) {
      this.kind = 'sse';
      this.sse = new SseParser((e) => this.onEvent(e), init.maxBytes);
    } else {
      this.fail(
        new UpstreamError(
          'protocol',
          `${init.where}: expected application/json or text/event-stream, received HTTP ${statusCode} with content-type '${type || '(none)'}'`,
          { status: statusCode },
        ),
      );
    }
  }

  onResponseData(_c: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.settled) return;
    if (this.sse) {
      try {
        this.sse.push(chunk);
      } catch (err) {
        this.fail(toUpstreamError(err, 'protocol', this.init.where));
      }
      return;
    }
    this.size += chunk.length;
    if (this.kind === 'empty') return; // 202/204 or ignored body: nothing to keep
    const limit = this.kind === 'error' ? ERROR_BODY_LIMIT : this.init.maxBytes;
    if (this.size > limit) {
      if (this.kind === 'error') return; // keep the first 64 KiB of an error body
      this.fail(
        new UpstreamError(
          'protocol',
          `${this.init.where}: response body exceeds ${this.init.maxBytes} bytes`,
        ),
      );
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    if (this.kind === 'json') {
      const raw = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks);
      this.chunks = [];
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        this.fail(
          new UpstreamError(
            'protocol',
            `${this.init.where}: response body is not JSON: ${preview(raw.toString('utf8'))}`,
            {
              status: this.status,
            },
          ),
        );
        return;
      }
      try {
        if (Array.isArray(parsed)) for (const m of parsed) this.deliver(m);
        else this.deliver(parsed);
      } catch (err) {
        this.fail(toUpstreamError(err, 'protocol', this.init.where));
        return;
      }
    }
    this.settled = true;
    const outcome: HttpExchangeOutcome = { status: this.status, kind: this.kind, headers: this.headers };
    if (this.kind === 'error') outcome.errorBody = Buffer.concat(this.chunks).toString('utf8');
    const resolve = this.resolve;
    this.release();
    resolve(outcome);
  }

  onResponseError(_c: Dispatcher.DispatchController, err: Error): void {
    if (this.settled) return;
    this.settled = true;
    const reject = this.reject;
    const error =
      this.abortReason ?? (err instanceof UpstreamError ? err : networkError(err, this.init.where));
    this.release();
    reject(error);
  }

  /** Fails the exchange and aborts the request. */
  fail(error: UpstreamError): void {
    if (this.settled) return;
    this.settled = true;
    const controller = this.controller;
    const reject = this.reject;
    this.release();
    reject(error);
    controller?.abort(error);
  }

  /**
   * Lets go of everything once the exchange is over. undici's connection keeps a reference to the
   * last handler it served until its next request; without this, each call's closures, message and
   * result stayed reachable from a long-lived socket, were promoted at every scavenge and made GC
   * the largest cost of the hot path (measured with --trace-gc-nvp).
   */
  private release(): void {
    this.controller = undefined;
    this.chunks = [];
    this.sse = undefined;
    this.headers = {};
    this.init = RELEASED;
    this.resolve = noop;
    this.reject = noop;
    this.abortReason = undefined;
  }

  private onEvent(e: SseEvent): void {
    const init = this.init;
    if (e.id !== undefined || e.retry !== undefined) init.onEventId?.(e.id, e.retry);
    if (e.event !== 'message') {
      init.onOtherEvent?.(e);
      return;
    }
    if (e.data === '') return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(e.data);
    } catch {
      init.onWarning(`${init.where}: SSE event is not JSON: ${preview(e.data)}`);
      return;
    }
    this.deliver(parsed);
  }

  private deliver(value: unknown): void {
    if (!isJsonRpcMessage(value)) {
      throw new UpstreamError(
        'protocol',
        `${this.init.where}: expected a JSON-RPC message, received ${preview(JSON.stringify(value) ?? String(value))}`,
      );
    }
    this.init.onMessage(value);
  }
}

/**
 * Runs one HTTP exchange on an undici dispatcher with a raw dispatch handler: no stream or
 * Response objects on the hot path, a JSON body parsed once, SSE parsed incrementally. Resolves
 * with the outcome; rejects with an {@link UpstreamError} on network failure, abort, oversize or
 * unparseable bodies.
 *
 * @param onAbortable receives a function that aborts the exchange with a reason
 */
export function runHttpExchange(
  init: HttpExchangeInit,
  onAbortable?: (abort: (reason: UpstreamError) => void) => void,
): Promise<HttpExchangeOutcome> {
  return new Promise((resolve, reject) => {
    const exchange = new HttpExchange(init, resolve, reject);
    onAbortable?.((reason) => exchange.abort(reason));
    try {
      init.dispatcher.dispatch(
        { path: init.path, method: init.method, headers: init.headers, body: init.body ?? null },
        exchange,
      );
    } catch (err) {
      exchange.fail(networkError(err as Error, init.where));
    }
  });
}
