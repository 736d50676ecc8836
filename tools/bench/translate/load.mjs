// Load generator: N concurrent MCP clients, each with its own session, calling tools/call "echo"
// in a closed loop for a fixed time. Latency is measured per call from send to matching response.
import http from 'node:http';
import { messagesOf, openEventStream, request } from './http-client.mjs';

const INIT = {
  jsonrpc: '2.0',
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
};
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const call = (id) =>
  JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'tools/call',
    params: { name: 'echo', arguments: { text: `hello ${id}` } },
  });

/** A streamable-HTTP session: initialize, initialized, then call() → latency. */
export async function streamableSession(agent, url) {
  const init = await request(agent, url, { headers: JSON_HEADERS, body: JSON.stringify({ ...INIT, id: 0 }) });
  if (init.status !== 200) throw new Error(`initialize answered ${init.status}: ${init.body.slice(0, 200)}`);
  const sid = init.headers['mcp-session-id'];
  const headers = {
    ...JSON_HEADERS,
    ...(sid ? { 'mcp-session-id': sid } : {}),
    'mcp-protocol-version': '2025-06-18',
  };
  await request(agent, url, {
    headers,
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  let next = 1;
  return {
    async call() {
      const id = next++;
      const response = await request(agent, url, { headers, body: call(id) });
      const answer = messagesOf(response).find((m) => m.id === id);
      if (!answer?.result)
        throw new Error(`call ${id} failed: ${response.status} ${response.body.slice(0, 200)}`);
    },
    close: async () => undefined,
  };
}

/** A legacy SSE session: GET stream, endpoint event, POSTs answered on the stream. */
export async function sseSession(agent, streamAgent, sseUrl) {
  const waiting = new Map();
  let endpoint;
  let ready;
  const gotEndpoint = new Promise((r) => {
    ready = r;
  });
  const stream = await openEventStream(streamAgent, sseUrl, ({ event, data }) => {
    if (event === 'endpoint') {
      endpoint = new URL(data, sseUrl).toString();
      ready();
    } else if (event === 'message') {
      const message = JSON.parse(data);
      const resolve = waiting.get(message.id);
      waiting.delete(message.id);
      resolve?.(message);
    }
  });
  await gotEndpoint;
  const rpc = async (id, body) => {
    const answered = new Promise((r) => waiting.set(id, r));
    const posted = await request(agent, endpoint, { headers: { 'content-type': 'application/json' }, body });
    if (posted.status >= 300) throw new Error(`POST answered ${posted.status}: ${posted.body.slice(0, 200)}`);
    return answered;
  };
  await rpc(0, JSON.stringify({ ...INIT, id: 0 }));
  await request(agent, endpoint, {
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  });
  let next = 1;
  return {
    async call() {
      const id = next++;
      const answer = await rpc(id, call(id));
      if (!answer?.result) throw new Error(`call ${id} failed: ${JSON.stringify(answer).slice(0, 200)}`);
    },
    close: async () => {
      stream.req.destroy();
    },
  };
}

/**
 * Runs `clients` sessions against a contender for warmupMs + durationMs; returns throughput and
 * latency percentiles of the measured part.
 */
export async function runLoad({ kind, url, clients, warmupMs, durationMs }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
  const streamAgent = new http.Agent({ keepAlive: true });
  const sessions = await Promise.all(
    Array.from({ length: clients }, () =>
      kind === 'sse' ? sseSession(agent, streamAgent, url) : streamableSession(agent, url),
    ),
  );
  const latencies = [];
  let errors = 0;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const end = measureFrom + durationMs;
  await Promise.all(
    sessions.map(async (session) => {
      for (;;) {
        const t0 = performance.now();
        if (t0 >= end) return;
        try {
          await session.call();
        } catch (error) {
          errors += 1;
          if (errors === 1) console.error(`  first error: ${error.message}`);
          if (errors > 1000) return;
          continue;
        }
        if (t0 >= measureFrom) latencies.push(performance.now() - t0);
      }
    }),
  );
  await Promise.all(sessions.map((s) => s.close()));
  agent.destroy();
  streamAgent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? Number.NaN;
  return {
    rps: latencies.length / (durationMs / 1000),
    p50: pct(50),
    p99: pct(99),
    calls: latencies.length,
    errors,
  };
}

/** Opens `count` idle sessions (initialize + initialized, nothing more); returns a closer. */
export async function openIdleSessions({ kind, url, count }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const streamAgent = new http.Agent({ keepAlive: true });
  const sessions = [];
  for (let i = 0; i < count; i += 16) {
    const batch = Math.min(16, count - i);
    sessions.push(
      ...(await Promise.all(
        Array.from({ length: batch }, () =>
          kind === 'sse' ? sseSession(agent, streamAgent, url) : streamableSession(agent, url),
        ),
      )),
    );
  }
  return async () => {
    await Promise.all(sessions.map((s) => s.close()));
    agent.destroy();
    streamAgent.destroy();
  };
}
