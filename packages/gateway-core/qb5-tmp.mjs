import { spawn } from 'node:child_process';
import { Pool } from 'undici';
import { McpConnection, runHttpExchange, StreamableHttpTransport } from './internals-tmp.mjs';
const mode = process.argv[2];
const child = spawn(process.execPath, ['/work/wt/upstream/servers/echo-http/dist/cli.js'], { stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((r) => child.stdout.once('data', (d) => r(String(d).trim())));
const u = new URL(url);
const pool = new Pool(u.origin, { connections: 256, pipelining: 1, headersTimeout: 0, bodyTimeout: 0 });
const ENVELOPE = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'x', version: '0' }, 'io.modelcontextprotocol/clientCapabilities': {} };
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'echo' };
let id = 0;
const text = 'x'.repeat(10240);
let call;
if (mode === 'exchange') {
  call = () => new Promise((resolve, reject) => { let result; runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }), maxBytes: 1e6, where: 'x', onMessage: (m) => { result = m; }, onWarning() {} }).then(() => resolve(result), reject); });
} else if (mode === 'asyncx') {
  const waiting = new Map();
  const onMsg = (m) => { waiting.get(m.id)?.(m); waiting.delete(m.id); };
  async function send(message) {
    let answered = false;
    const outcome = await runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify(message), maxBytes: 1e6, where: 'x', onMessage: (m) => { if (m.id === message.id) answered = true; onMsg(m); }, onWarning() {} });
    if (outcome.kind === 'error') throw new Error('x');
  }
  call = () => new Promise((resolve, reject) => { const i = ++id; waiting.set(i, resolve); send({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }).catch(reject); });
} else if (mode === 'asyncb') {
  async function send(message) {
    let result;
    const outcome = await runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify(message), maxBytes: 1e6, where: 'x', onMessage: (m) => { result = m; }, onWarning() {} });
    if (outcome.kind === 'error') throw new Error('x');
    return result;
  }
  call = () => send({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } });
} else if (mode === 'syncres') {
  call = () => new Promise((resolve, reject) => { runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }), maxBytes: 1e6, where: 'x', onMessage: (m) => { resolve(m); }, onWarning() {} }).catch(reject); });
} else if (mode === 'mapres') {
  const waiting = new Map();
  call = () => new Promise((resolve, reject) => { const i = ++id; waiting.set(i, resolve); runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }), maxBytes: 1e6, where: 'x', onMessage: (m) => { const r = waiting.get(m.id); waiting.delete(m.id); r(m); }, onWarning() {} }).catch(reject); });
} else if (mode === 'objres') {
  const waiting = Object.create(null);
  call = () => new Promise((resolve, reject) => { const i = ++id; waiting[i] = resolve; runHttpExchange({ dispatcher: pool, path: u.pathname, method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }), maxBytes: 1e6, where: 'x', onMessage: (m) => { const r = waiting[m.id]; delete waiting[m.id]; r(m); }, onWarning() {} }).catch(reject); });
} else if (mode === 'connection') {
  const t = new StreamableHttpTransport({ url: u, dispatcher: pool, maxResponseBytes: 1e6, where: 'x' });
  const silent = { debug() {}, info() {}, warn() {}, error() {} };
  const conn = new McpConnection({ spec: { id: 'x', name: 'x', transport: 'streamable-http', url }, where: 'x', transport: t, clientInfo: { name: 'x', version: '0' }, clientCapabilities: {}, connectTimeoutMs: 5000, probeTimeoutMs: 1000, reconnect: { initialMs: 10, maxMs: 100 }, stableAfterMs: 1000, autoReconnect: false, idleTtlMs: 1e6, maxInFlight: 1000, serverRequestTimeoutMs: 1000, logger: silent, onEvent() {} });
  await conn.ensureReady(Date.now() + 5000);
  call = () => conn.request('tools/call', { name: 'echo', arguments: { text } }, { deadline: Date.now() + 30000 });
} else {
  const t = new StreamableHttpTransport({ url: u, dispatcher: pool, maxResponseBytes: 1e6, where: 'x' });
  const waiting = new Map();
  await t.start({ onMessage: (m) => { waiting.get(m.id)?.(m); waiting.delete(m.id); }, onClose() {}, onWarning() {} });
  call = () => new Promise((resolve, reject) => { const i = ++id; waiting.set(i, resolve); t.send({ jsonrpc: '2.0', id: i, method: 'tools/call', params: { name: 'echo', arguments: { text }, _meta: ENVELOPE } }).catch(reject); });
}
const N = 60000; let done = 0;
await Promise.all(Array.from({ length: 32 }, async () => { while (done < N) { done++; await call(); } }));
await pool.close(); child.kill();
