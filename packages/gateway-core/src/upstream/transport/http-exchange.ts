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
    let controller: Dispatcher.DispatchController | undefined;
    let abortReason: UpstreamError | undefined;
    let status = 0;
    let kind: HttpExchangeOutcome['kind'] = 'empty';
    let headers: HttpExchangeOutcome['headers'] = {};
    let chunks: Buffer[] = [];
    let size = 0;
    let sse: SseParser | undefined;
    let settled = false;
    const fail = (error: UpstreamError) => {
      if (settled) return;
      settled = true;
      reject(error);
      controller?.abort(error);
    };
    const deliver = (value: unknown) => {
      if (!isJsonRpcMessage(value)) {
        throw new UpstreamError(
          'protocol',
          `${init.where}: expected a JSON-RPC message, received ${preview(JSON.stringify(value) ?? String(value))}`,
        );
      }
      init.onMessage(value);
    };
    onAbortable?.((reason) => {
      abortReason = reason;
      if (controller) fail(reason);
    });

    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (abortReason) fail(abortReason);
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        status = statusCode;
        headers = responseHeaders;
        init.onHeaders?.(statusCode, responseHeaders);
        if (statusCode < 200 || statusCode >= 300) {
          kind = 'error';
          return;
        }
        if (statusCode === 202 || statusCode === 204 || init.ignoreBody) return;
        const type = String(responseHeaders['content-type'] ?? '').toLowerCase();
        if (type.startsWith('application/json')) kind = 'json';
        else if (type.startsWith('text/event-stream')) {
          kind = 'sse';
          sse = new SseParser((e) => {
            if (e.id !== undefined || e.retry !== undefined) init.onEventId?.(e.id, e.retry);
            if (e.event !== 'message') return init.onOtherEvent?.(e);
            if (e.data === '') return;
            let parsed: unknown;
            try {
              parsed = JSON.parse(e.data);
            } catch {
              init.onWarning(`${init.where}: SSE event is not JSON: ${preview(e.data)}`);
              return;
            }
            deliver(parsed);
          }, init.maxBytes);
        } else {
          fail(
            new UpstreamError(
              'protocol',
              `${init.where}: expected application/json or text/event-stream, received HTTP ${statusCode} with content-type '${type || '(none)'}'`,
              { status: statusCode },
            ),
          );
        }
      },
      onResponseData(_c, chunk) {
        if (settled) return;
        if (sse) {
          try {
            sse.push(chunk);
          } catch (err) {
            fail(toUpstreamError(err, 'protocol', init.where));
          }
          return;
        }
        size += chunk.length;
        if (kind === 'empty') return; // 202/204 or ignored body: nothing to keep
        const limit = kind === 'error' ? ERROR_BODY_LIMIT : init.maxBytes;
        if (size > limit) {
          if (kind === 'error') return; // keep the first 64 KiB of an error body
          fail(new UpstreamError('protocol', `${init.where}: response body exceeds ${init.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      },
      onResponseEnd() {
        if (settled) return;
        if (kind === 'json') {
          const raw = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
          chunks = [];
          let parsed: unknown;
          try {
            parsed = JSON.parse(raw.toString('utf8'));
          } catch {
            return fail(
              new UpstreamError(
                'protocol',
                `${init.where}: response body is not JSON: ${preview(raw.toString('utf8'))}`,
                {
                  status,
                },
              ),
            );
          }
          try {
            if (Array.isArray(parsed)) for (const m of parsed) deliver(m);
            else deliver(parsed);
          } catch (err) {
            return fail(toUpstreamError(err, 'protocol', init.where));
          }
        }
        settled = true;
        const outcome: HttpExchangeOutcome = { status, kind, headers };
        if (kind === 'error') outcome.errorBody = Buffer.concat(chunks).toString('utf8');
        resolve(outcome);
      },
      onResponseError(_c, err) {
        if (settled) return;
        settled = true;
        reject(abortReason ?? (err instanceof UpstreamError ? err : networkError(err, init.where)));
      },
    };
    try {
      init.dispatcher.dispatch(
        { path: init.path, method: init.method, headers: init.headers, body: init.body ?? null },
        handler,
      );
    } catch (err) {
      fail(networkError(err as Error, init.where));
    }
  });
}
