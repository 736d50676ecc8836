import type { ChangeEvent, McpBackend, RequestContext, Scope } from '../../../src/mcp/index.js';
import { McpError } from '../../../src/mcp/index.js';

/** Calls a test observed on the backend (what the engine handed it). */
export interface BackendLog {
  contexts: RequestContext[];
  cancelled: Array<string | number>;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      reject(signal.reason);
    });
  });

/**
 * A real in-process McpBackend for engine tests: echo, progress, logging, server→client requests
 * (sampling, elicitation, roots), MRTR, a slow cancellable tool, resources, prompts, completion and
 * change events. Not a mock of engine code: it is the other side of the contract.
 */
export function createEchoBackend(opts: { capabilities?: Record<string, unknown>; name?: string } = {}) {
  const listeners = new Set<(e: ChangeEvent) => void>();
  const log: BackendLog = { contexts: [], cancelled: [] };
  let extraTools = 0;
  const emit = (e: ChangeEvent) => {
    for (const l of listeners) l(e);
  };
  const tools = () => [
    { name: 'echo', description: 'echoes its arguments', inputSchema: { type: 'object' } },
    {
      name: 'structured',
      inputSchema: { type: 'object' },
      outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    },
    { name: 'progress', inputSchema: { type: 'object' } },
    { name: 'logs', inputSchema: { type: 'object' } },
    { name: 'sample', inputSchema: { type: 'object' } },
    { name: 'slow', inputSchema: { type: 'object' } },
    { name: 'mrtr', inputSchema: { type: 'object' } },
    { name: 'fail', inputSchema: { type: 'object' } },
    { name: 'change', inputSchema: { type: 'object' } },
    {
      name: 'regional',
      inputSchema: {
        type: 'object',
        properties: {
          region: { type: 'string', 'x-mcp-header': 'Region' },
          opts: { type: 'object', properties: { shard: { type: 'integer', 'x-mcp-header': 'Shard' } } },
        },
      },
    },
    ...Array.from({ length: extraTools }, (_, i) => ({ name: `extra${i}`, inputSchema: { type: 'object' } })),
  ];
  const backend: McpBackend = {
    async serverInfo(scope: Scope) {
      return {
        name: opts.name ?? (scope.kind === 'all' ? 'gateway' : `server-${scope.serverId}`),
        version: '1.2.3',
        instructions: 'test backend',
        capabilities: opts.capabilities ?? {
          tools: { listChanged: true },
          resources: { listChanged: true, subscribe: true },
          prompts: { listChanged: true },
          completions: {},
        },
      };
    },
    async listTools(ctx) {
      log.contexts.push(ctx);
      return { tools: tools() };
    },
    async callTool(ctx, name, args) {
      log.contexts.push(ctx);
      const a = args as Record<string, unknown>;
      switch (name) {
        case 'echo':
        case 'regional':
          return { content: [{ type: 'text', text: JSON.stringify(a) }] };
        case 'structured':
          return { content: [{ type: 'text', text: '{"n":7}' }], structuredContent: { n: 7 } };
        case 'progress':
          for (let i = 1; i <= 3; i++) {
            ctx.progress?.({ progress: i, total: 3, message: `step ${i}` });
            await sleep(Number(a.ms ?? 5));
          }
          return { content: [{ type: 'text', text: 'done' }] };
        case 'logs':
          ctx.log?.('debug', 'debug line');
          ctx.log?.('info', 'info line', 'test');
          ctx.log?.('error', { what: 'error line' });
          return { content: [{ type: 'text', text: 'logged' }] };
        case 'sample': {
          if (ctx.request === undefined) {
            if (ctx.inputResponses?.answer !== undefined) {
              const r = ctx.inputResponses.answer as { content: { text: string } };
              return { content: [{ type: 'text', text: `LLM said: ${r.content.text}` }] };
            }
            return {
              resultType: 'input_required',
              inputRequests: {
                answer: {
                  method: 'sampling/createMessage',
                  params: {
                    messages: [{ role: 'user', content: { type: 'text', text: String(a.prompt) } }],
                    maxTokens: 10,
                  },
                },
              },
            };
          }
          const r = (await ctx.request('sampling/createMessage', {
            messages: [{ role: 'user', content: { type: 'text', text: String(a.prompt ?? 'hi') } }],
            maxTokens: 10,
          })) as { content: { text: string } };
          return { content: [{ type: 'text', text: `LLM said: ${r.content.text}` }] };
        }
        case 'slow':
          try {
            await sleep(Number(a.ms ?? 10_000), ctx.signal);
          } catch (err) {
            log.cancelled.push(ctx.requestId);
            throw err;
          }
          return { content: [{ type: 'text', text: 'slow done' }] };
        case 'mrtr':
          if (ctx.inputResponses === undefined) {
            return {
              resultType: 'input_required',
              inputRequests: {
                who: {
                  method: 'elicitation/create',
                  params: {
                    mode: 'form',
                    message: 'Name?',
                    requestedSchema: { type: 'object', properties: { name: { type: 'string' } } },
                  },
                },
              },
              requestState: 'state-1',
            };
          }
          return {
            content: [
              { type: 'text', text: `hello ${JSON.stringify(ctx.inputResponses.who)} ${ctx.requestState}` },
            ],
          };
        case 'fail':
          return { content: [{ type: 'text', text: 'tool failed' }], isError: true };
        case 'change':
          extraTools += 1;
          emit({ scope: 'any', kind: String(a.kind ?? 'tools') as 'tools' });
          return { content: [{ type: 'text', text: 'changed' }] };
        default:
          throw new McpError(-32602, `Unknown tool: ${name}`);
      }
    },
    async listResources() {
      return { resources: [{ uri: 'test://static', name: 'static', mimeType: 'text/plain' }] };
    },
    async listResourceTemplates() {
      return { resourceTemplates: [{ uriTemplate: 'test://item/{id}', name: 'item' }] };
    },
    async readResource(_ctx, uri) {
      if (uri === 'test://static' || uri.startsWith('test://item/'))
        return { contents: [{ uri, mimeType: 'text/plain', text: `content of ${uri}` }] };
      throw new McpError(-32602, `Resource not found: ${uri}`, { uri });
    },
    async subscribeResource() {},
    async unsubscribeResource() {},
    async listPrompts() {
      return { prompts: [{ name: 'greet', arguments: [{ name: 'who', required: true }] }] };
    },
    async getPrompt(_ctx, name, args) {
      if (name !== 'greet') throw new McpError(-32602, `Unknown prompt: ${name}`);
      return { messages: [{ role: 'user', content: { type: 'text', text: `Hello ${args?.who}` } }] };
    },
    async complete() {
      return { completion: { values: ['alpha', 'beta'], total: 2, hasMore: false } };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { backend, log, emit };
}
