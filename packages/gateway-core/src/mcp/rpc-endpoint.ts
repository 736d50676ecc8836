import type { IncomingMessage, ServerResponse } from 'node:http';
import { admit, type EngineInternals, sendError } from './engine-internals.js';
import { invalidRequest, toJsonRpcError } from './errors.js';
import { readBody, sendEmpty, sendJson } from './http-io.js';
import {
  classifyMessage,
  errorFrame,
  idOf,
  type JsonRpcRequest,
  parseJson,
  resultFrame,
} from './json-rpc.js';
import { initializeClient, initializeResult, negotiateVersion } from './lifecycle.js';
import { LEGACY_PROTOCOL_VERSIONS } from './protocol.js';
import { runRequest } from './request-runner.js';
import type { RequestSink } from './request-sink.js';
import type { Principal } from './types.js';

function serveOne(
  engine: EngineInternals,
  msg: JsonRpcRequest,
  principal: Principal,
  req: IncomingMessage,
): Promise<string> {
  if (msg.method === 'initialize') {
    return (async () => {
      try {
        const version = negotiateVersion(msg.params);
        initializeClient(msg.params);
        return resultFrame(
          msg.id,
          JSON.stringify(initializeResult(await engine.runner.serverInfo.get({ kind: 'all' }), version)),
        );
      } catch (err) {
        return errorFrame(msg.id, toJsonRpcError(err));
      }
    })();
  }
  return new Promise<string>((resolve) => {
    const sink: RequestSink = { streaming: false, send: () => undefined, respond: (frame) => resolve(frame) };
    void runRequest(
      engine.runner,
      msg,
      {
        scope: { kind: 'all' },
        principal,
        protocolVersion: LEGACY_PROTOCOL_VERSIONS[0] as string,
        modern: false,
        clientCapabilities: {},
        headers: req.headers,
        remoteAddress: req.socket.remoteAddress,
      },
      sink,
    );
  });
}

/**
 * `POST /rpc`: plain JSON-RPC over HTTP (ContextForge's endpoint) against everything the caller
 * may see. One request or a batch in, JSON out; no sessions, no streaming, no server→client
 * requests; notifications are accepted and ignored.
 */
export async function handleRpc(
  engine: EngineInternals,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let id: string | number | null = null;
  try {
    if (req.method !== 'POST') {
      sendError(res, invalidRequest('Method Not Allowed: /rpc accepts POST', 405));
      return;
    }
    const principal = await admit(engine, req);
    const value = parseJson(await readBody(req, engine.limits.maxBodyBytes));
    id = idOf(value);
    const items = Array.isArray(value) ? value : [value];
    if (items.length === 0) throw invalidRequest('Invalid Request: empty batch');
    const frames: string[] = [];
    await Promise.all(
      items.map(async (item) => {
        let msg: ReturnType<typeof classifyMessage>;
        try {
          msg = classifyMessage(item);
        } catch (err) {
          frames.push(errorFrame(idOf(item), toJsonRpcError(err)));
          return;
        }
        if (msg.kind === 'request') frames.push(await serveOne(engine, msg.msg, principal, req));
      }),
    );
    if (frames.length === 0) sendEmpty(res, 202);
    else sendJson(res, 200, Array.isArray(value) ? `[${frames.join(',')}]` : (frames[0] as string));
  } catch (err) {
    sendError(res, err, id, 500);
  }
}
