/**
 * Gateway-side client of an external plugin: a `Plugin` whose hooks are MCP `invoke_hook` calls to
 * a plugin server (ContextForge-compatible protocol). Reconnects after transport failures.
 */
import { Client } from '@modelcontextprotocol/client';
import type { PluginConfig } from '../config/schema.js';
import { errorMessage, PluginError, PluginExecutionError } from '../errors.js';
import type { PluginContext } from '../hooks/context.js';
import { type HookName, isHookName } from '../hooks/hook-names.js';
import type { PluginResult } from '../hooks/result.js';
import type { HookHandlers, Plugin } from '../plugin/plugin.js';
import type { PluginLogger } from '../util/logger.js';
import { VERSION } from '../version.js';
import { type OpenedTransport, openTransport } from './client-transport.js';
import {
  fromWireResult,
  isRecord,
  mergeWireContext,
  TOOL_GET_PLUGIN_CONFIG,
  TOOL_GET_PLUGIN_CONFIGS,
  TOOL_INVOKE_HOOK,
  toWireContext,
  type WireError,
} from './wire.js';

/** Options of an external plugin client. */
export interface ExternalPluginOptions {
  baseDir: string;
  env: NodeJS.ProcessEnv;
  logger: PluginLogger;
  /** Timeout of connecting and of the config exchange, in ms. */
  connectTimeoutMs: number;
}

/** An external plugin reached over MCP. */
export class ExternalPlugin implements Plugin {
  readonly hooks: HookHandlers = {};
  /** The plugin's configuration as its server reports it (after `initialize`). */
  remoteConfig: Record<string, unknown> = {};
  private client: Client | undefined;
  private opened: OpenedTransport | undefined;
  private connecting: Promise<void> | undefined;

  /**
   * @param entry the YAML entry (`kind: external`, with `mcp`)
   */
  constructor(
    readonly entry: PluginConfig,
    private readonly options: ExternalPluginOptions,
  ) {}

  /** Instance name (also the plugin's name on the server). */
  get name(): string {
    return this.entry.name;
  }

  /** Connects, fetches the remote configuration and registers the hooks it serves. */
  async initialize(): Promise<void> {
    await this.connect();
    const remote = await this.fetchRemoteConfig();
    this.remoteConfig = remote;
    const remoteHooks = Array.isArray(remote.hooks) ? remote.hooks.filter(isHookName) : [];
    const hooks = this.entry.hooks.length > 0 ? this.entry.hooks : remoteHooks;
    if (hooks.length === 0) {
      throw this.failure(
        `the plugin server reports no hooks for "${this.name}" and the YAML entry lists none`,
      );
    }
    for (const hook of hooks) {
      (this.hooks as Record<HookName, unknown>)[hook] = (payload: unknown, context: PluginContext) =>
        this.invoke(hook, payload, context);
    }
  }

  /** Closes the connection (and the child process of a stdio plugin). */
  async shutdown(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    this.client = undefined;
    await opened?.close();
  }

  private failure(message: string, cause?: unknown): PluginError {
    return new PluginError('EXTERNAL_PLUGIN_FAILED', `external plugin "${this.name}": ${message}`, {
      pluginName: this.name,
      cause,
    });
  }

  private async connect(): Promise<void> {
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async openConnection(): Promise<void> {
    const mcp = this.entry.mcp;
    if (!mcp) throw this.failure("the entry has no 'mcp' section");
    const opened = openTransport(mcp, {
      pluginName: this.name,
      baseDir: this.options.baseDir,
      env: this.options.env,
    });
    const client = new Client({ name: 'contextforge-plugin-client', version: VERSION });
    try {
      await withTimeout(client.connect(opened.transport), this.options.connectTimeoutMs, 'connect');
    } catch (error) {
      await opened.close();
      let reason = describeConnectError(error);
      if (opened.target.startsWith('https:') && /other side closed|ECONNRESET|socket hang up/i.test(reason)) {
        // With TLS 1.3 the server checks the client certificate after the client's handshake ended,
        // so a refused certificate surfaces as a closed socket.
        reason +=
          ' (the plugin server closed the TLS connection: it probably refused the client certificate; check mcp.tls.certfile/keyfile against the CA the server trusts)';
      }
      throw this.failure(`cannot connect to ${opened.target}: ${reason}`, error);
    }
    this.client = client;
    this.opened = opened;
  }

  private async fetchRemoteConfig(): Promise<Record<string, unknown>> {
    const config = await this.callJson(TOOL_GET_PLUGIN_CONFIG, { name: this.name });
    if (isRecord(config) && Object.keys(config).length > 0) return config;
    const all = await this.callJson(TOOL_GET_PLUGIN_CONFIGS, {}).catch(() => []);
    const names = (Array.isArray(all) ? all : []).map((c) => (isRecord(c) ? String(c.name) : '?'));
    throw this.failure(
      `the plugin server has no plugin named "${this.name}" (it serves: ${names.join(', ') || 'none'})`,
    );
  }

  /** Calls a tool and parses its JSON answer (one text block, or one per array element). */
  private async callJson(
    tool: string,
    args: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<unknown> {
    const client = this.client;
    if (!client) throw this.failure('not connected');
    const result = await client.callTool(
      { name: tool, arguments: args },
      { ...(signal ? { signal } : {}), timeout: this.options.connectTimeoutMs },
    );
    const texts = (result.content ?? []).filter(
      (c): c is { type: 'text'; text: string } => c.type === 'text',
    );
    if (result.isError)
      throw this.failure(`${tool} failed: ${texts.map((t) => t.text).join(' ') || 'no details'}`);
    if (texts.length === 0) throw this.failure(`${tool} returned no text content`);
    const parsed = texts.map((t) => {
      try {
        return JSON.parse(t.text) as unknown;
      } catch {
        throw this.failure(`${tool} returned text that is not JSON: ${t.text.slice(0, 120)}`);
      }
    });
    return parsed.length === 1 ? parsed[0] : parsed;
  }

  /** One hook call; retried once after reconnecting when the transport failed. */
  private async invoke(hook: HookName, payload: unknown, context: PluginContext): Promise<PluginResult> {
    const args = { hook_type: hook, plugin_name: this.name, payload, context: toWireContext(context) };
    let response: unknown;
    try {
      response = await this.callJson(TOOL_INVOKE_HOOK, args, context.signal);
    } catch (error) {
      if (context.signal?.aborted || error instanceof PluginError) throw error;
      await this.reconnect(error);
      response = await this.callJson(TOOL_INVOKE_HOOK, args, context.signal);
    }
    if (!isRecord(response))
      throw this.failure(`invoke_hook returned ${typeof response}, expected an object`);
    if (isRecord(response.error)) {
      const e = response.error as unknown as WireError;
      throw new PluginExecutionError(
        'EXTERNAL_PLUGIN_FAILED',
        `external plugin "${this.name}" failed in ${hook}: ${e.message}`,
        {
          pluginName: this.name,
          hook,
        },
      );
    }
    mergeWireContext(context, response.context);
    if (!('result' in response)) throw this.failure('invoke_hook answered with neither result nor error');
    return fromWireResult(response.result);
  }

  private async reconnect(cause: unknown): Promise<void> {
    const mcp = this.entry.mcp;
    const attempts = mcp?.reconnect_attempts ?? 3;
    const delayMs = (mcp?.reconnect_delay ?? 0.1) * 1000;
    this.options.logger.warn('external plugin call failed; reconnecting', {
      plugin: this.name,
      error: errorMessage(cause),
    });
    let last: unknown = cause;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      await this.shutdown();
      try {
        await this.connect();
        return;
      } catch (error) {
        last = error;
        await new Promise((r) => setTimeout(r, delayMs * attempt));
      }
    }
    throw this.failure(`reconnect failed after ${attempts} attempt(s): ${errorMessage(last)}`, last);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_r, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fetch errors hide the TLS reason in `cause`; surface it (e.g. "certificate required"). */
function describeConnectError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 4; depth++) {
    const e = current as { message?: string; code?: string; cause?: unknown };
    const text = [e.code, e.message].filter(Boolean).join(' ');
    if (text && !parts.includes(text)) parts.push(text);
    current = e.cause;
  }
  return parts.join(': ') || String(error);
}
