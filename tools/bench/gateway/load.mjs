// Load generator for the gateway bench, run as its own process (never in the event loop of a server
// under test): `node load.mjs '<json options>'`.
//
// N clients, each a closed loop of `tools/call` over keep-alive HTTP/1.1 (one undici Pool, one
// connection per client), or paced to a total rate (soak). Per-request latency is send → last byte.
// Eras: `modern` (2026-07-28 stateless: MCP-Protocol-Version / Mcp-Method / Mcp-Name headers and the
// `_meta` envelope on every request) or `legacy` (one 2025-11-25 session per client: initialize,
// notifications/initialized, then calls carrying Mcp-Session-Id) or `sse` (the 2024-11-05 HTTP+SSE
// transport: one GET event stream per client, calls POSTed to the announced endpoint and answered
// on the stream; latency is POST sent → answer event received).
//
// Options: { url, era, clients, warmupMs, durationMs, payloadBytes, tool, token?, rate? }
// stdout, one JSON object per line: {"phase":"measure"} when the measured window starts,
// {"phase":"done"} when it ends, then the result
// {"rps","p50","p99","calls","errors","firstError"?}.
import { Pool } from 'undici';

const o = JSON.parse(process.argv[2] ?? '{}');
const { url, era, clients, warmupMs = 0, durationMs, payloadBytes, tool, token, rate = 0 } = o;
if (!url || !['modern', 'legacy', 'sse'].includes(era) || !(clients > 0) || !(durationMs > 0) || !tool) {
  console.error(`load.mjs: bad options ${process.argv[2]}`);
  process.exit(2);
}
const target = new URL(url);
const pool = new Pool(target.origin, {
  connections: clients,
  pipelining: 1,
  keepAliveTimeout: 60_000,
  headersTimeout: 30_000,
  bodyTimeout: 30_000,
});
const path = target.pathname + target.search;
const text = 'x'.repeat(payloadBytes);
const MODERN = '2026-07-28';
const LEGACY = '2025-11-25';
const clientInfo = { name: 'contextforge-bench', version: '1.0.0' };

const baseHeaders = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  ...(token ? { authorization: `Bearer ${token}` } : {}),
};

/** One POST; resolves with { status, headers, body } (body as a string). */
function post(headers, body, to = path) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let status = 0;
    let responseHeaders = {};
    pool.dispatch(
      { path: to, method: 'POST', headers, body },
      {
        onRequestStart() {},
        onResponseStart(_c, statusCode, h) {
          status = statusCode;
          responseHeaders = h;
        },
        onResponseData(_c, chunk) {
          chunks.push(chunk);
        },
        onResponseEnd() {
          resolve({
            status,
            headers: responseHeaders,
            body: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'),
          });
        },
        onResponseError(_c, err) {
          reject(err);
        },
      },
    );
  });
}

const envelope = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': clientInfo,
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** The call body split around its id (built once per client). */
const bodyFor = (params) => {
  const prefix = `{"jsonrpc":"2.0","method":"tools/call","params":${JSON.stringify(params)},"id":`;
  return (id) => `${prefix}${id}}`;
};

/** Opens one client; resolves with `call(id)` → { status, body } of the answer to call `id`. */
async function openClient() {
  const params = { name: tool, arguments: { text } };
  if (era === 'sse') return openSseClient(bodyFor(params));
  if (era === 'modern') {
    params._meta = envelope;
    const headers = {
      ...baseHeaders,
      'mcp-protocol-version': MODERN,
      'mcp-method': 'tools/call',
      'mcp-name': tool,
    };
    const body = bodyFor(params);
    return { call: (id) => post(headers, body(id)) };
  }
  const init = await post(
    baseHeaders,
    JSON.stringify({
      jsonrpc: '2.0',
      id: 0,
      method: 'initialize',
      params: { protocolVersion: LEGACY, capabilities: {}, clientInfo },
    }),
  );
  if (init.status !== 200)
    throw new Error(`initialize answered HTTP ${init.status}: ${init.body.slice(0, 300)}`);
  const sid = init.headers['mcp-session-id'];
  if (typeof sid !== 'string')
    throw new Error(`initialize answered no Mcp-Session-Id (${init.body.slice(0, 200)})`);
  const headers = { ...baseHeaders, 'mcp-session-id': sid, 'mcp-protocol-version': LEGACY };
  const ack = await post(headers, '{"jsonrpc":"2.0","method":"notifications/initialized"}');
  if (ack.status !== 202)
    throw new Error(
      `notifications/initialized answered HTTP ${ack.status} (expected 202): ${ack.body.slice(0, 200)}`,
    );
  const body = bodyFor(params);
  return { call: (id) => post(headers, body(id)) };
}

const streams = era === 'sse' ? new Pool(target.origin, { connections: clients, bodyTimeout: 0 }) : undefined;

/** A 2024-11-05 HTTP+SSE session: GET stream, `endpoint` event, initialize, then calls. */
async function openSseClient(body) {
  const waiting = new Map();
  let announce;
  const announced = new Promise((resolve, reject) => {
    announce = { resolve, reject };
  });
  let buffer = '';
  const onEvent = (event, data) => {
    if (event === 'endpoint') return announce.resolve(new URL(data, url));
    if (event !== 'message') return;
    // Only the id is read here; the body is checked like a JSON answer.
    const m = /"id":\s*("?)([^,}"]+)\1/.exec(data.slice(0, 64)) ?? /"id":\s*("?)([^,}"]+)\1/.exec(data);
    const key = m ? m[2] : undefined;
    const done = waiting.get(key);
    if (done) {
      waiting.delete(key);
      done({ status: 200, body: data });
    }
  };
  streams.dispatch(
    { path, method: 'GET', headers: { ...baseHeaders, accept: 'text/event-stream' } },
    {
      onRequestStart() {},
      onResponseStart(_c, status) {
        if (status !== 200) announce.reject(new Error(`GET ${url} answered HTTP ${status}`));
      },
      onResponseData(_c, chunk) {
        buffer += chunk.toString('utf8');
        let cut = buffer.indexOf('\n\n');
        while (cut !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          cut = buffer.indexOf('\n\n');
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(5).replace(/^ /, '');
          }
          if (data) onEvent(event, data);
        }
      },
      onResponseEnd() {},
      onResponseError(_c, err) {
        announce.reject(err);
        for (const done of waiting.values()) done({ status: 0, body: `stream closed: ${err.message}` });
      },
    },
  );
  const endpoint = await announced;
  const to = endpoint.pathname + endpoint.search;
  const headers = { ...baseHeaders };
  const rpc = async (id, payload) => {
    const answered = new Promise((resolve) => waiting.set(String(id), resolve));
    const posted = await post(headers, payload, to);
    if (posted.status >= 300) {
      waiting.delete(String(id));
      return { status: posted.status, body: posted.body };
    }
    return answered;
  };
  const init = await rpc(
    'init',
    JSON.stringify({
      jsonrpc: '2.0',
      id: 'init',
      method: 'initialize',
      params: { protocolVersion: '2024-11-05', capabilities: {}, clientInfo },
    }),
  );
  if (init.status !== 200)
    throw new Error(`initialize over SSE failed: ${init.status} ${init.body.slice(0, 300)}`);
  const ack = await post(headers, '{"jsonrpc":"2.0","method":"notifications/initialized"}', to);
  if (ack.status >= 300) throw new Error(`notifications/initialized over SSE answered HTTP ${ack.status}`);
  return { call: (id) => rpc(id, body(id)) };
}

let errors = 0;
let firstError;
const noteError = (message) => {
  errors += 1;
  firstError ??= message;
};

/** Checks one answer; the first of each client is parsed fully, later ones cheaply. */
function check(r, full) {
  if (r.status !== 200) return noteError(`HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  if (full) {
    let m;
    try {
      m = JSON.parse(r.body.startsWith('event:') || r.body.startsWith('data:') ? sseData(r.body) : r.body);
    } catch {
      return noteError(`not JSON: ${r.body.slice(0, 300)}`);
    }
    if (m.error) return noteError(`JSON-RPC error ${m.error.code}: ${m.error.message}`);
    if (m.result?.isError) return noteError(`tool error: ${JSON.stringify(m.result).slice(0, 300)}`);
    if (m.result?.content?.[0]?.text !== text)
      return noteError(`echo mismatch: ${JSON.stringify(m.result).slice(0, 300)}`);
    return;
  }
  if (r.body.length < payloadBytes || !r.body.includes('"result"') || r.body.includes('"isError":true'))
    noteError(`bad answer: ${r.body.slice(0, 300)}`);
}
const sseData = (body) =>
  body
    .split('\n')
    .filter((l) => l.startsWith('data:'))
    .map((l) => l.slice(5).trim())
    .join('\n');

const latencies = [];
const sessions = await Promise.all(Array.from({ length: clients }, openClient)).catch((error) => {
  console.log(JSON.stringify({ fatal: error.message }));
  process.exit(1);
});

const t0 = performance.now();
const measureFrom = t0 + warmupMs;
const end = measureFrom + durationMs;
const marker = setTimeout(() => process.stdout.write('{"phase":"measure"}\n'), warmupMs);

async function loop(session, index) {
  let id = 0;
  // Paced mode: each client sends every `interval` ms; late answers make the next call go at once.
  const interval = rate > 0 ? (clients * 1000) / rate : 0;
  let next = t0 + (interval * index) / clients;
  for (;;) {
    if (interval > 0) {
      const wait = next - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      next += interval;
    }
    const start = performance.now();
    if (start >= end) return;
    id += 1;
    try {
      const r = await session.call(id);
      check(r, id === 1);
    } catch (error) {
      noteError(error.message);
    }
    if (start >= measureFrom) latencies.push(performance.now() - start);
  }
}
await Promise.all(sessions.map(loop));
clearTimeout(marker);
process.stdout.write('{"phase":"done"}\n');
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? Number.NaN;
process.stdout.write(
  `${JSON.stringify({
    // Calls started inside the window, over the window's length.
    rps: (latencies.length * 1000) / durationMs,
    p50: pct(0.5),
    p99: pct(0.99),
    calls: latencies.length,
    errors,
    ...(firstError ? { firstError } : {}),
  })}\n`,
);
await pool.close();
await streams?.destroy();
