/**
 * Rewrites the command lines users of supergateway and of ContextForge's `mcpgateway.translate`
 * already have into mcp-translate's subcommand form, so they can switch by changing the program
 * name only:
 *
 * - camelCase flags (`--ssePath`, `--messagePath`, `--oauth2Bearer`, `--keepAlive`, `--logLevel`,
 *   `--sessionTimeout`, `--jsonResponse`, `--healthEndpoint`, `--maxSessions`) → kebab-case;
 * - no subcommand: `--stdio CMD [--outputTransport sse|ws|streamableHttp]` (supergateway) or
 *   `--stdio CMD [--expose-sse] [--expose-streamable-http]` (ContextForge) → `stdio-to-*` or `serve`;
 *   `--sse URL` / `--connect-sse URL` → `sse-to-stdio --url URL`; `--streamableHttp URL` /
 *   `--connect-streamable-http URL` → `streamable-http-to-stdio --url URL`.
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const [node = 'node', script = 'mcp-translate', ...rest] = argv;
  const dashDash = rest.indexOf('--');
  const flags = (dashDash === -1 ? rest : rest.slice(0, dashDash)).map(renameFlag);
  const tail = dashDash === -1 ? [] : rest.slice(dashDash);
  const first = flags[0];
  if (first === undefined || !first.startsWith('-') || isInfoFlag(first))
    return [node, script, ...flags, ...tail];
  return [node, script, ...legacyMode(flags), ...tail];
}

const RENAMES: Record<string, string> = {
  '--ssePath': '--sse-path',
  '--messagePath': '--message-path',
  '--mcpPath': '--mcp-path',
  '--streamableHttpPath': '--mcp-path',
  '--oauth2Bearer': '--oauth2-bearer',
  '--keepAlive': '--keep-alive',
  '--logLevel': '--log-level',
  '--sessionTimeout': '--session-timeout',
  '--jsonResponse': '--json-response',
  '--healthEndpoint': '--health-path',
  '--maxSessions': '--max-sessions',
  '--headerToEnv': '--header-to-env',
  '--stdioCommand': '--cmd',
  '--stdio': '--cmd',
  '--shared': '--shared-child',
};

function renameFlag(arg: string): string {
  const eq = arg.indexOf('=');
  const name = eq === -1 ? arg : arg.slice(0, eq);
  const renamed = RENAMES[name];
  return renamed === undefined ? arg : eq === -1 ? renamed : `${renamed}${arg.slice(eq)}`;
}

function isInfoFlag(arg: string): boolean {
  return ['-h', '--help', '-V', '--version'].includes(arg);
}

function take(flags: string[], name: string): string | undefined {
  const i = flags.findIndex((f) => f === name || f.startsWith(`${name}=`));
  if (i === -1) return undefined;
  const flag = flags[i]!;
  if (flag.includes('=')) {
    flags.splice(i, 1);
    return flag.slice(flag.indexOf('=') + 1);
  }
  const value = flags[i + 1];
  flags.splice(i, value === undefined ? 1 : 2);
  return value;
}

function has(flags: string[], name: string): boolean {
  const i = flags.indexOf(name);
  if (i !== -1) flags.splice(i, 1);
  return i !== -1;
}

function legacyMode(input: string[]): string[] {
  const flags = [...input];
  has(flags, '--stateful'); // supergateway's opt-in is our default
  has(flags, '--enable-dynamic-env'); // ContextForge's opt-in: --header-to-env is the opt-in here
  const sse = take(flags, '--sse') ?? take(flags, '--connect-sse');
  if (sse !== undefined) return ['sse-to-stdio', '--url', sse, ...flags];
  const http = take(flags, '--streamableHttp') ?? take(flags, '--connect-streamable-http');
  if (http !== undefined) return ['streamable-http-to-stdio', '--url', http, ...flags];
  const ws = take(flags, '--connect-ws');
  if (ws !== undefined) return ['ws-to-stdio', '--url', ws, ...flags];
  const stdio = take(flags, '--cmd');
  if (stdio === undefined) return flags;
  const output = take(flags, '--outputTransport');
  const exposeSse = has(flags, '--expose-sse');
  const exposeHttp = has(flags, '--expose-streamable-http');
  let mode = 'stdio-to-sse';
  if (output === 'ws') mode = 'stdio-to-ws';
  else if (output === 'streamableHttp' || output === 'streamable-http') mode = 'stdio-to-streamable-http';
  else if (exposeSse && exposeHttp) mode = 'serve';
  else if (exposeHttp) mode = 'stdio-to-streamable-http';
  const extra = mode === 'serve' ? ['--expose-sse', '--expose-streamable-http'] : [];
  return [mode, '--cmd', stdio, ...extra, ...flags];
}
