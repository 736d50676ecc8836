import { ErrorCode, errorResponse, isRequest, type JsonRpcMessage } from './json-rpc.js';
import type { CloseInfo, MessageTransport } from './message-transport.js';

/** Options of {@link pipe}. */
export interface PipeOptions {
  /** Called with errors of either side (send failures, bad lines). */
  onerror?: (error: Error, side: 'a' | 'b') => void;
  /** Called once when either side closed (and the other was closed in turn). */
  onclose?: (side: 'a' | 'b', info?: CloseInfo) => void;
  /** Rewrites or drops (return undefined) messages going from a to b. */
  aToB?: (message: JsonRpcMessage) => JsonRpcMessage | undefined;
  /** Rewrites or drops messages going from b to a. */
  bToA?: (message: JsonRpcMessage) => JsonRpcMessage | undefined;
}

/**
 * Connects two started transports: every message of one is sent to the other unchanged (ids,
 * notifications, progress, cancellation and server-initiated requests all pass as they are), and
 * when one side closes the other is closed too.
 *
 * @returns a function that unpipes and closes both sides
 */
export function pipe(
  a: MessageTransport,
  b: MessageTransport,
  options: PipeOptions = {},
): () => Promise<void> {
  let closed = false;
  const forward =
    (
      from: MessageTransport,
      to: MessageTransport,
      side: 'a' | 'b',
      map?: (m: JsonRpcMessage) => JsonRpcMessage | undefined,
    ) =>
    (message: JsonRpcMessage) => {
      const out = map ? map(message) : message;
      if (out === undefined) return;
      to.send(out).catch((error: Error) => {
        options.onerror?.(error, side === 'a' ? 'b' : 'a');
        // A request that could not be delivered is answered, so its sender never waits forever.
        if (isRequest(out)) {
          const answer = errorResponse(
            out.id,
            ErrorCode.ConnectionClosed,
            `could not forward "${out.method}": ${error.message}`,
          );
          from.send(answer).catch(() => undefined);
        }
      });
    };
  a.onmessage = forward(a, b, 'a', options.aToB);
  b.onmessage = forward(b, a, 'b', options.bToA);
  a.onerror = (error) => options.onerror?.(error, 'a');
  b.onerror = (error) => options.onerror?.(error, 'b');
  const shutdown = async (side?: 'a' | 'b', info?: CloseInfo) => {
    if (closed) return;
    closed = true;
    await Promise.allSettled([a.close(), b.close()]);
    if (side) options.onclose?.(side, info);
  };
  a.onclose = (info) => void shutdown('a', info);
  b.onclose = (info) => void shutdown('b', info);
  return () => shutdown();
}
