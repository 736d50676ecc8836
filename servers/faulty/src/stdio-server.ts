import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** Start-up behaviour of the faulty stdio server, parsed from its command line. */
export interface FaultyStdioFlags {
  /** Exit with code 3 before reading anything. */
  crashOnStart: boolean;
  /** Exit with code 4 this many milliseconds after start. */
  exitAfterMs?: number;
  /** Write a non-JSON line to stdout before anything else. */
  garbageOnStart: boolean;
  /** Spawn a long-lived grandchild in the same process group (printed as `grandchild-pid=N` on stderr). */
  grandchild: boolean;
  /** Ignore SIGTERM (the supervisor must escalate to SIGKILL). */
  ignoreSigterm: boolean;
  /** Keep running when stdin closes (the polite MCP shutdown is ignored). */
  ignoreEof: boolean;
  /** Lines written to stderr at start-up. */
  stderrLines: number;
  /** Answer `server/discover` as a 2026-07-28 server (and accept enveloped requests without initialize). */
  modern: boolean;
  /** Never answer `server/discover` (a legacy server that drops unknown methods). */
  ignoreDiscover: boolean;
}

/** Parses `--crash-on-start --exit-after 200 --garbage-on-start --grandchild --ignore-sigterm --ignore-eof --stderr-lines N --modern --ignore-discover`. */
export function parseFlags(argv: readonly string[]): FaultyStdioFlags {
  const has = (f: string) => argv.includes(f);
  const num = (f: string) => {
    const i = argv.indexOf(f);
    return i === -1 ? undefined : Number(argv[i + 1]);
  };
  return {
    crashOnStart: has('--crash-on-start'),
    exitAfterMs: num('--exit-after'),
    garbageOnStart: has('--garbage-on-start'),
    grandchild: has('--grandchild'),
    ignoreSigterm: has('--ignore-sigterm'),
    ignoreEof: has('--ignore-eof'),
    stderrLines: num('--stderr-lines') ?? 0,
    modern: has('--modern'),
    ignoreDiscover: has('--ignore-discover'),
  };
}

type Id = string | number;
interface Message {
  jsonrpc: '2.0';
  id?: Id;
  method?: string;
  params?: Record<string, unknown> & { _meta?: Record<string, unknown> };
  result?: unknown;
  error?: { code: number; message: string };
}

const TOOLS = [
  'echo',
  'crash',
  'hang',
  'slow',
  'garbage',
  'sample',
  'elicit',
  'roots',
  'progress',
  'log',
  'pid',
  'notify_list_changed',
  'wait_cancel',
  'cancelled_ids',
].map((name) => ({ name, description: `faulty-stdio tool ${name}`, inputSchema: { type: 'object' } }));

/**
 * Runs the faulty stdio MCP server on this process's stdin/stdout: a 2025-era (or, with
 * `--modern`, 2026-07-28) server whose tools misbehave on request. Tools: `echo {text}`,
 * `crash {code}` (exits without answering), `hang` (never answers), `slow {ms}`, `garbage`
 * (writes a non-JSON line instead of answering), `sample`/`elicit`/`roots` (server→client
 * requests, answering with what the client returned), `progress {steps}`, `log`, `pid`,
 * `notify_list_changed`, `wait_cancel` (answers only when cancelled) and `cancelled_ids`.
 */
export function runFaultyStdioServer(flags: FaultyStdioFlags): void {
  if (flags.crashOnStart) {
    process.stderr.write('faulty-stdio: crashing on start as asked\n');
    process.exit(3);
  }
  if (flags.ignoreSigterm)
    process.on('SIGTERM', () => process.stderr.write('faulty-stdio: ignoring SIGTERM\n'));
  if (flags.exitAfterMs !== undefined) setTimeout(() => process.exit(4), flags.exitAfterMs);
  for (let i = 0; i < flags.stderrLines; i++) process.stderr.write(`faulty-stdio: stderr line ${i}\n`);
  if (flags.grandchild) {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    process.stderr.write(`grandchild-pid=${child.pid}\n`);
  }
  const write = (m: unknown) => process.stdout.write(`${JSON.stringify(m)}\n`);
  if (flags.garbageOnStart) process.stdout.write('this is not json\n');

  let nextId = 1;
  const waiting = new Map<Id, (m: Message) => void>();
  const cancellable = new Map<Id, () => void>();
  const cancelled: Id[] = [];
  const ask = (method: string, params: unknown) =>
    new Promise<Message>((resolve) => {
      const id = `s${nextId++}`;
      waiting.set(id, resolve);
      write({ jsonrpc: '2.0', id, method, params });
    });
  const answer = (id: Id, result: unknown) => write({ jsonrpc: '2.0', id, result });
  const text = (t: string) => ({ content: [{ type: 'text', text: t }] });

  const callTool = async (m: Message) => {
    const id = m.id as Id;
    const name = m.params?.name;
    const args = (m.params?.arguments ?? {}) as Record<string, unknown>;
    const token = m.params?._meta?.progressToken;
    switch (name) {
      case 'echo':
        return answer(id, text(String(args.text ?? '')));
      case 'crash':
        process.stderr.write('faulty-stdio: crashing in a tool call as asked\n');
        return process.exit(Number(args.code ?? 1));
      case 'hang':
        return;
      case 'slow':
        return void setTimeout(() => answer(id, text('slow done')), Number(args.ms ?? 100));
      case 'garbage':
        process.stdout.write('<html>garbage instead of an answer</html>\n');
        return;
      case 'sample': {
        const r = await ask('sampling/createMessage', {
          messages: [{ role: 'user', content: { type: 'text', text: String(args.prompt ?? 'hi') } }],
          maxTokens: 10,
        });
        return answer(id, text(JSON.stringify(r.result ?? r.error)));
      }
      case 'elicit': {
        const r = await ask('elicitation/create', {
          message: 'Your name?',
          requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
        });
        return answer(id, text(JSON.stringify(r.result ?? r.error)));
      }
      case 'roots': {
        const r = await ask('roots/list', {});
        return answer(id, text(JSON.stringify(r.result ?? r.error)));
      }
      case 'progress': {
        const steps = Number(args.steps ?? 3);
        for (let i = 1; i <= steps; i++) {
          if (token !== undefined) {
            write({
              jsonrpc: '2.0',
              method: 'notifications/progress',
              params: { progressToken: token, progress: i, total: steps },
            });
          }
          await new Promise((r) => setTimeout(r, 5));
        }
        return answer(id, text(`progress done ${steps}`));
      }
      case 'log':
        write({
          jsonrpc: '2.0',
          method: 'notifications/message',
          params: { level: 'info', logger: 'faulty', data: 'hello log' },
        });
        return answer(id, text('logged'));
      case 'pid':
        return answer(id, text(String(process.pid)));
      case 'notify_list_changed':
        write({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
        return answer(id, text('notified'));
      case 'wait_cancel':
        cancellable.set(id, () => cancelled.push(id));
        return;
      case 'cancelled_ids':
        return answer(id, text(JSON.stringify(cancelled)));
      default:
        return write({
          jsonrpc: '2.0',
          id,
          error: { code: -32602, message: `Unknown tool: ${String(name)}` },
        });
    }
  };

  const onMessage = (m: Message) => {
    if (m.method === undefined) {
      // A response to one of our server→client requests.
      if (m.id !== undefined) waiting.get(m.id)?.(m);
      waiting.delete(m.id as Id);
      return;
    }
    if (m.id === undefined) {
      if (m.method === 'notifications/cancelled') {
        const rid = m.params?.requestId as Id;
        cancellable.get(rid)?.();
        cancellable.delete(rid);
      }
      return;
    }
    switch (m.method) {
      case 'server/discover':
        if (flags.ignoreDiscover) return;
        if (!flags.modern)
          return write({ jsonrpc: '2.0', id: m.id, error: { code: -32601, message: 'Method not found' } });
        return answer(m.id, {
          supportedVersions: ['2026-07-28'],
          capabilities: { tools: { listChanged: true } },
          resultType: 'complete',
          _meta: { 'io.modelcontextprotocol/serverInfo': { name: 'faulty-stdio', version: '0.0.0' } },
        });
      case 'initialize':
        return answer(m.id, {
          protocolVersion: String(m.params?.protocolVersion ?? '2025-11-25'),
          capabilities: { tools: { listChanged: true }, logging: {} },
          serverInfo: { name: 'faulty-stdio', version: '0.0.0' },
        });
      case 'ping':
        return answer(m.id, {});
      case 'tools/list':
        return answer(m.id, { tools: TOOLS });
      case 'tools/call':
        return void callTool(m);
      default:
        return write({
          jsonrpc: '2.0',
          id: m.id,
          error: { code: -32601, message: `Method not found: ${m.method}` },
        });
    }
  };

  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    try {
      onMessage(JSON.parse(line) as Message);
    } catch {
      process.stderr.write(`faulty-stdio: unparseable input line (${line.length} chars)\n`);
    }
  });
  rl.on('close', () => {
    if (flags.ignoreEof) setInterval(() => {}, 1000);
    else process.exit(0);
  });
}
