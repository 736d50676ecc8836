#!/usr/bin/env node
// echo-stdio: a minimal MCP server over stdio (newline-delimited JSON-RPC), with no dependencies so
// that it costs as little as possible in benchmarks, plus a few tools that let the bridge tests
// provoke the situations a bridge must survive: slow calls, crashes, garbage on stdout, large
// payloads, progress, server-initiated requests and per-session environment.
//
// Env: ECHO_STDIO_NAME (serverInfo.name), ECHO_STDIO_BANNER=1 (prints a non-JSON line at start-up).

const SUPPORTED = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26', '2024-11-05'];
const name = process.env.ECHO_STDIO_NAME ?? 'echo-stdio';

const tool = (toolName, description, properties = {}) => ({
  name: toolName,
  description,
  inputSchema: { type: 'object', properties },
});
const TOOLS = [
  tool('echo', 'Returns its text argument', { text: { type: 'string' } }),
  tool('slow', 'Answers after `ms` milliseconds (cancellable)', { ms: { type: 'number' } }),
  tool('crash', 'Exits the server process with code 3 (after `ms` milliseconds)', { ms: { type: 'number' } }),
  tool('garbage', 'Writes a line that is not JSON to stdout, then answers'),
  tool('big', 'Returns a text of `bytes` characters', { bytes: { type: 'number' } }),
  tool('env', 'Returns the value of the environment variable `name`', { name: { type: 'string' } }),
  tool('pid', 'Returns the server process id'),
  tool('progress', 'Sends `steps` progress notifications, then answers', { steps: { type: 'number' } }),
  tool('sample', 'Asks the client for a sampling/createMessage and returns its text'),
];

const write = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);
const text = (id, value) =>
  write({ jsonrpc: '2.0', id, result: { content: [{ type: 'text', text: value }] } });
const pendingTimers = new Map();
const pendingClientRequests = new Map();
let nextServerRequestId = 1;

function callTool(id, params) {
  const args = params?.arguments ?? {};
  switch (params?.name) {
    case 'echo':
      return text(id, String(args.text ?? ''));
    case 'slow': {
      const timer = setTimeout(
        () => {
          pendingTimers.delete(id);
          text(id, `slept ${args.ms ?? 1000} ms`);
        },
        Number(args.ms ?? 1000),
      );
      pendingTimers.set(id, timer);
      return;
    }
    case 'crash':
      setTimeout(() => process.exit(3), Number(args.ms ?? 0));
      return;
    case 'garbage':
      process.stdout.write('this line is not JSON\n');
      return text(id, 'after garbage');
    case 'big':
      return text(id, 'x'.repeat(Number(args.bytes ?? 1024)));
    case 'env':
      return text(id, process.env[String(args.name)] ?? '');
    case 'pid':
      return text(id, String(process.pid));
    case 'progress': {
      const token = params?._meta?.progressToken;
      const steps = Number(args.steps ?? 3);
      for (let i = 1; i <= steps && token !== undefined; i++) {
        write({
          jsonrpc: '2.0',
          method: 'notifications/progress',
          params: { progressToken: token, progress: i, total: steps },
        });
      }
      return text(id, `done ${steps} steps`);
    }
    case 'sample': {
      const requestId = `s${nextServerRequestId++}`;
      pendingClientRequests.set(requestId, (response) => {
        text(id, response.result?.content?.text ?? `error: ${response.error?.message ?? 'none'}`);
      });
      return write({
        jsonrpc: '2.0',
        id: requestId,
        method: 'sampling/createMessage',
        params: { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }], maxTokens: 10 },
      });
    }
    default:
      return write({ jsonrpc: '2.0', id, error: { code: -32602, message: `Unknown tool: ${params?.name}` } });
  }
}

function handle(message) {
  if (message.id !== undefined && message.method === undefined) {
    const resolve = pendingClientRequests.get(message.id);
    pendingClientRequests.delete(message.id);
    resolve?.(message);
    return;
  }
  const { id, method, params } = message;
  switch (method) {
    case 'initialize': {
      const asked = params?.protocolVersion;
      const protocolVersion = SUPPORTED.includes(asked) && asked !== '2026-07-28' ? asked : '2025-11-25';
      return write({
        jsonrpc: '2.0',
        id,
        result: { protocolVersion, capabilities: { tools: {} }, serverInfo: { name, version: '1.0.0' } },
      });
    }
    case 'server/discover':
      return write({
        jsonrpc: '2.0',
        id,
        result: {
          supportedVersions: SUPPORTED,
          capabilities: { tools: {} },
          serverInfo: { name, version: '1.0.0' },
        },
      });
    case 'ping':
      return write({ jsonrpc: '2.0', id, result: {} });
    case 'tools/list':
      return write({ jsonrpc: '2.0', id, result: { tools: TOOLS } });
    case 'tools/call':
      return callTool(id, params);
    case 'notifications/cancelled': {
      const timer = pendingTimers.get(params?.requestId);
      if (timer) clearTimeout(timer);
      pendingTimers.delete(params?.requestId);
      return;
    }
    default:
      if (id === undefined) return; // other notifications need no answer
      return write({ jsonrpc: '2.0', id, error: { code: -32601, message: `Method not found: ${method}` } });
  }
}

if (process.env.ECHO_STDIO_BANNER === '1') process.stdout.write('echo-stdio starting (not JSON)\n');
let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let newline = buffered.indexOf('\n');
  while (newline !== -1) {
    const line = buffered.slice(0, newline).trim();
    buffered = buffered.slice(newline + 1);
    newline = buffered.indexOf('\n');
    if (line === '') continue;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      write({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: line is not JSON' } });
      continue;
    }
    handle(message);
  }
});
process.stdin.on('end', () => process.exit(0));
