import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/mcp/index.js';
import { createEchoBackend } from './support/echo-backend.js';
import { modernPost, readJson, startEngine } from './support/start-engine.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'f', version: '1' } },
});

describe('failures never crash or hang the engine', () => {
  it('answers 500 with a JSON-RPC error when the session store is unreachable', async () => {
    // A real ioredis client aimed at a closed port, failing fast instead of queueing.
    const dead = new Redis({
      host: '127.0.0.1',
      port: 1,
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    dead.on('error', () => undefined);
    const run = await startEngine({
      backend: createEchoBackend().backend,
      sessionStore: new RedisSessionStore(dead),
    });
    try {
      const r = await fetch(`${run.url}/mcp`, { method: 'POST', headers: JSON_HEADERS, body: INIT });
      expect(r.status).toBe(500);
      expect((await readJson(r)).error.code).toBe(-32603);
      // Stateless requests do not need the store and keep working.
      expect((await modernPost(`${run.url}/mcp`, 'tools/call', { name: 'echo', arguments: {} })).status).toBe(
        200,
      );
    } finally {
      await run.close();
      dead.disconnect();
    }
  });

  it('maps a backend that throws a plain Error to -32603 without leaking its message', async () => {
    const { backend } = createEchoBackend();
    backend.listTools = async () => {
      throw new Error('secret connection string postgres://user:pw@db');
    };
    const run = await startEngine({ backend });
    try {
      const r = await modernPost(`${run.url}/mcp`, 'tools/list');
      expect(r.body.error).toEqual({ code: -32603, message: 'Internal error' });
      expect(r.text).not.toContain('secret');
    } finally {
      await run.close();
    }
  });

  it('answers a result that cannot be serialised with -32603 instead of crashing', async () => {
    const { backend } = createEchoBackend();
    backend.callTool = async () => ({ content: [{ type: 'text', text: 'x' }], structuredContent: { n: 1n } });
    const run = await startEngine({ backend });
    try {
      const r = await modernPost(`${run.url}/mcp`, 'tools/call', { name: 'echo', arguments: {} });
      expect(r.body.error.code).toBe(-32603);
      expect((await modernPost(`${run.url}/mcp`, 'tools/list')).status).toBe(200);
    } finally {
      await run.close();
    }
  });

  it('refuses non-JSON content types and unacceptable Accept headers', async () => {
    const run = await startEngine({ backend: createEchoBackend().backend });
    try {
      const form = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, 'content-type': 'text/plain' },
        body: INIT,
      });
      expect(form.status).toBe(415);
      const html = await fetch(`${run.url}/mcp`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/html' },
        body: INIT,
      });
      expect(html.status).toBe(406);
      const put = await fetch(`${run.url}/mcp`, { method: 'PUT', headers: JSON_HEADERS, body: INIT });
      expect(put.status).toBe(405);
    } finally {
      await run.close();
    }
  });
});
