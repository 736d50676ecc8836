import {
  isRequest,
  isResponse,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type RequestId,
} from '../json-rpc.js';
import type { UpstreamLogger } from '../logger.js';
import { RpcCode } from '../protocol.js';
import type { ListChangedKind } from '../types.js';
import { isUpstreamError, UpstreamError } from '../upstream-error.js';
import type { PendingRequest } from './pending-request.js';
import type { PendingTable } from './pending-table.js';

/** A change notification worth telling listeners about. */
export type ChangeEvent =
  | { kind: 'list_changed'; list: ListChangedKind }
  | { kind: 'resource_updated'; uri: string };

/** What the router needs from its connection. */
export interface InboundRouterDeps {
  pending: PendingTable<PendingRequest>;
  where: string;
  upstreamId: string;
  logger: UpstreamLogger;
  /** The negotiated era (2026-07-28 has no server→client requests). */
  era(): 'modern' | 'legacy' | undefined;
  /** Bound on the pause of a call's budget while its server→client request is being answered. */
  serverRequestTimeoutMs: number;
  /** Removes a settled call from the table and clears its timer. */
  cleanup(pending: PendingRequest): void;
  /** (Re)arms a call's timer for the time left. */
  arm(pending: PendingRequest): void;
  /** Gives up on a call (and tells the upstream). */
  cancel(pending: PendingRequest, code: 'timeout' | 'cancelled', message: string): void;
  /** Sends our answer to a server→client request. */
  reply(message: JsonRpcResponse): Promise<void>;
  onEvent(event: ChangeEvent): void;
  onAcknowledged(params: Record<string, unknown>): void;
}

/**
 * Routes what an upstream sends to the call it belongs to: responses settle their call; progress
 * finds its call by progress token; logs and server→client requests go to the call whose HTTP
 * response stream carried them, or — on single-channel transports — to the only call that can take
 * them (several calls of one downstream session count as one). Change notifications go to the
 * listeners.
 */
export class InboundRouter {
  /** @param deps the connection's table, timers and outputs */
  constructor(private readonly deps: InboundRouterDeps) {}

  /** Handles one message; `exchangeId` is the request whose response stream carried it, if known. */
  route(message: JsonRpcMessage, exchangeId: RequestId | undefined): void {
    if (isResponse(message)) {
      this.onResponse(message);
      return;
    }
    if (isRequest(message)) {
      void this.onServerRequest(message, exchangeId);
      return;
    }
    this.onNotification(message as JsonRpcNotification, exchangeId);
  }

  private onResponse(message: JsonRpcResponse): void {
    const { deps } = this;
    const pending = message.id === null ? undefined : deps.pending.get(message.id);
    if (pending === undefined) {
      deps.logger.debug('dropping a response for no pending request', {
        upstream: deps.upstreamId,
        id: message.id,
      });
      return;
    }
    deps.cleanup(pending);
    if (message.error !== undefined) {
      const e = message.error;
      const code = typeof e.code === 'number' ? e.code : RpcCode.InternalError;
      const text = typeof e.message === 'string' ? e.message : 'error';
      pending.reject(
        new UpstreamError('remote', `${deps.where}: ${pending.method} failed upstream: ${text} (${code})`, {
          rpcCode: code,
          rpcMessage: text,
          rpcData: e.data,
          upstreamId: deps.upstreamId,
        }),
      );
      return;
    }
    const result = message.result;
    pending.resolve(result !== null && typeof result === 'object' ? result : {});
  }

  private onNotification(message: JsonRpcNotification, exchangeId: RequestId | undefined): void {
    const { deps } = this;
    const params = message.params ?? {};
    switch (message.method) {
      case 'notifications/progress': {
        const pending = deps.pending.get(params.progressToken as RequestId);
        const fn = pending?.options.onProgress;
        if (pending === undefined || fn === undefined || typeof params.progress !== 'number') return;
        const update: { progress: number; total?: number; message?: string } = { progress: params.progress };
        if (typeof params.total === 'number') update.total = params.total;
        if (typeof params.message === 'string') update.message = params.message;
        this.safely(() => fn(update));
        return;
      }
      case 'notifications/message': {
        const target = exchangeId !== undefined ? deps.pending.get(exchangeId) : this.soleWith('onLog');
        const fn = target?.options.onLog;
        if (fn !== undefined) this.safely(() => fn(params));
        return;
      }
      case 'notifications/tools/list_changed':
        deps.onEvent({ kind: 'list_changed', list: 'tools' });
        return;
      case 'notifications/resources/list_changed':
        deps.onEvent({ kind: 'list_changed', list: 'resources' });
        return;
      case 'notifications/prompts/list_changed':
        deps.onEvent({ kind: 'list_changed', list: 'prompts' });
        return;
      case 'notifications/resources/updated':
        if (typeof params.uri === 'string') deps.onEvent({ kind: 'resource_updated', uri: params.uri });
        return;
      case 'notifications/subscriptions/acknowledged':
        deps.onAcknowledged(params);
        return;
      default:
        return;
    }
  }

  /** The only pending call with a given handler (attribution on single-channel transports). */
  private soleWith(handler: 'onLog' | 'onServerRequest'): PendingRequest | undefined {
    let found: PendingRequest | undefined;
    for (const p of this.deps.pending.values()) {
      if (p.options[handler] === undefined) continue;
      // Several candidates: acceptable only when they all serve the same downstream session.
      if (
        found !== undefined &&
        (found.options.sessionKey === undefined || found.options.sessionKey !== p.options.sessionKey)
      ) {
        return undefined;
      }
      found = p;
    }
    return found;
  }

  private async onServerRequest(message: JsonRpcRequest, exchangeId: RequestId | undefined): Promise<void> {
    const { deps } = this;
    if (deps.era() === 'modern') {
      // 2026-07-28 has no server→client requests (MRTR replaces them); nothing can answer.
      deps.logger.warn(`${deps.where}: ignoring server→client ${message.method} on a 2026-07-28 connection`);
      return;
    }
    const target = exchangeId !== undefined ? deps.pending.get(exchangeId) : this.soleWith('onServerRequest');
    const handler = target?.options.onServerRequest;
    let reply: JsonRpcResponse;
    if (target === undefined || handler === undefined) {
      const ambiguous = exchangeId === undefined && deps.pending.size > 1;
      reply = {
        jsonrpc: '2.0',
        id: message.id,
        error: ambiguous
          ? {
              code: RpcCode.InternalError,
              message: `gateway cannot attribute ${message.method} to one caller (several requests in flight on a shared upstream session)`,
            }
          : { code: RpcCode.MethodNotFound, message: `the calling client cannot handle ${message.method}` },
      };
    } else {
      reply = await this.answer(message, target, handler);
    }
    await deps
      .reply(reply)
      .catch((err: unknown) =>
        deps.logger.warn(`${deps.where}: could not answer ${message.method}: ${(err as Error).message}`),
      );
  }

  /**
   * Asks the downstream. It may take a while (a human answering an elicitation), so the call's
   * budget is paused — bounded by serverRequestTimeoutMs, so a client that never answers cannot
   * pin the call.
   */
  private async answer(
    message: JsonRpcRequest,
    target: PendingRequest,
    handler: (method: string, params: unknown) => Promise<unknown>,
  ): Promise<JsonRpcResponse> {
    const { deps } = this;
    if (target.serverRequests === 0) target.pausedAt = Date.now();
    target.serverRequests += 1;
    clearTimeout(target.timer);
    target.timer = setTimeout(
      () =>
        deps.cancel(
          target,
          'timeout',
          `${deps.where}: the client did not answer ${message.method} within ${deps.serverRequestTimeoutMs} ms`,
        ),
      deps.serverRequestTimeoutMs,
    );
    try {
      const result = await handler(message.method, message.params ?? {});
      return { jsonrpc: '2.0', id: message.id, result: (result ?? {}) as Record<string, unknown> };
    } catch (err) {
      const code = isUpstreamError(err) && err.rpcCode !== undefined ? err.rpcCode : RpcCode.InternalError;
      return {
        jsonrpc: '2.0',
        id: message.id,
        error: { code, message: err instanceof Error ? err.message : String(err) },
      };
    } finally {
      target.serverRequests -= 1;
      if (target.serverRequests === 0 && deps.pending.get(target.id) === target) {
        // The time the downstream spent answering does not count against the call's budget.
        target.options.deadline += Date.now() - target.pausedAt;
        deps.arm(target);
      }
    }
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.logger.warn(`${this.deps.where}: a callback threw: ${(err as Error).message}`);
    }
  }
}
