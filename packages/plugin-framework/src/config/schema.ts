/**
 * zod schema of `plugins/config.yaml`, field-compatible with ContextForge (CPEX). Parse with
 * `parsePluginsConfig`, which turns zod issues into one readable error naming each entry.
 */
import { z } from 'zod';
import { HOOK_NAMES, type HookName } from '../hooks/hook-names.js';
import { LEGACY_MODES, ON_ERROR_POLICIES, type OnError, PLUGIN_MODES, type PluginMode } from './modes.js';

const nonEmpty = z.string().trim().min(1, 'must be a non-empty string');

const stringList = z.array(nonEmpty);

/** A regex source that must compile. */
const regexSource = nonEmpty.superRefine((source, ctx) => {
  try {
    new RegExp(source);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(error as Error).message}` });
  }
});

/** One OR-ed condition; fields inside one condition AND together. Empty lists match everything. */
export const conditionSchema = z
  .object({
    server_ids: stringList.optional(),
    tenant_ids: stringList.optional(),
    tools: stringList.optional(),
    prompts: stringList.optional(),
    resources: stringList.optional(),
    agents: stringList.optional(),
    user_patterns: z.array(regexSource).optional(),
    content_types: stringList.optional(),
  })
  .strict();

/** Client-side TLS of an external plugin (the gateway's side of mTLS). */
export const clientTlsSchema = z
  .object({
    /** Client certificate (PEM) presented to the plugin server. */
    certfile: nonEmpty.optional(),
    /** Private key of `certfile` (PEM). */
    keyfile: nonEmpty.optional(),
    /** CA bundle (PEM) that signed the plugin server's certificate. */
    ca_bundle: nonEmpty.optional(),
    keyfile_password: z.string().optional(),
    /** Verify the server certificate (default true). */
    verify: z.boolean().default(true),
    /** Check the server certificate's host name (default true). */
    check_hostname: z.boolean().default(true),
  })
  .strict()
  .refine((tls) => !tls.keyfile || tls.certfile, { message: 'keyfile requires certfile', path: ['certfile'] })
  .refine((tls) => !tls.certfile || tls.keyfile, { message: 'certfile requires keyfile', path: ['keyfile'] });

const TRANSPORTS = ['STDIO', 'SSE', 'STREAMABLEHTTP'] as const;

/** How to reach an external plugin server over MCP. */
export const mcpClientSchema = z
  .object({
    proto: z.preprocess(
      (v) => (typeof v === 'string' ? v.toUpperCase() : v),
      z.enum(TRANSPORTS, { message: `must be one of ${TRANSPORTS.join(', ')}` }),
    ),
    url: z.url({ message: 'must be an http(s) URL' }).optional(),
    script: nonEmpty.optional(),
    cmd: z.array(nonEmpty).min(1, 'must be a non-empty list').optional(),
    env: z.record(z.string(), z.string()).optional(),
    cwd: nonEmpty.optional(),
    /** Unix domain socket carrying streamable HTTP (the URL then only names the path). */
    uds: nonEmpty.optional(),
    tls: clientTlsSchema.optional(),
    reconnect_attempts: z.number().int().min(0).default(3),
    reconnect_delay: z.number().min(0).default(0.1),
  })
  .strict()
  .superRefine((mcp, ctx) => {
    const issue = (message: string, path: string) => ctx.addIssue({ code: 'custom', message, path: [path] });
    if (mcp.proto === 'STDIO') {
      if (!mcp.script && !mcp.cmd) issue('STDIO transport requires script or cmd', 'script');
      if (mcp.script && mcp.cmd) issue('set either script or cmd for STDIO, not both', 'cmd');
      if (mcp.url) issue('url is only valid for SSE/STREAMABLEHTTP transports', 'url');
      if (mcp.tls) issue('tls is only valid for SSE/STREAMABLEHTTP transports', 'tls');
    } else {
      if (!mcp.url) issue(`${mcp.proto} transport requires url`, 'url');
      if (mcp.script || mcp.cmd || mcp.env || mcp.cwd)
        issue('script/cmd/env/cwd are only valid for STDIO transport', 'script');
    }
    if (mcp.uds && mcp.proto !== 'STREAMABLEHTTP')
      issue('uds is only valid for STREAMABLEHTTP transport', 'uds');
    if (mcp.uds && mcp.tls) issue('tls is not supported over a Unix domain socket', 'tls');
    if (mcp.url && !/^https?:\/\//i.test(mcp.url)) issue('must be an http:// or https:// URL', 'url');
  });

const modeSchema = z.enum(PLUGIN_MODES, {
  message: `must be one of ${PLUGIN_MODES.join(', ')} (or legacy ${Object.keys(LEGACY_MODES).join(', ')})`,
});

const hookSchema = z.enum(HOOK_NAMES, { message: `must be one of ${HOOK_NAMES.join(', ')}` });

/** One entry of `plugins:`. Legacy modes are mapped before validation (enforce → sequential, …). */
export const pluginConfigSchema = z.preprocess(
  mapLegacyMode,
  z
    .object({
      name: nonEmpty,
      kind: nonEmpty,
      description: z.string().optional(),
      author: z.string().optional(),
      version: z.union([z.string(), z.number()]).transform(String).optional(),
      namespace: z.string().optional(),
      tags: z.array(z.string()).default([]),
      hooks: z.array(hookSchema).default([]),
      mode: modeSchema.default('sequential'),
      on_error: z
        .enum(ON_ERROR_POLICIES, { message: `must be one of ${ON_ERROR_POLICIES.join(', ')}` })
        .default('fail'),
      priority: z.number().int({ message: 'must be an integer' }).default(100),
      /** Per-plugin timeout in seconds (overrides `plugin_settings.plugin_timeout`). */
      timeout: z.number().positive({ message: 'must be a positive number of seconds' }).optional(),
      conditions: z.array(conditionSchema).default([]),
      applied_to: z.record(z.string(), z.unknown()).optional(),
      capabilities: z.array(z.string()).optional(),
      config: z.record(z.string(), z.unknown()).optional(),
      mcp: mcpClientSchema.optional(),
      grpc: z.unknown().optional(),
      unix_socket: z.unknown().optional(),
    })
    .strict()
    .superRefine((entry, ctx) => {
      const issue = (message: string, path: string) =>
        ctx.addIssue({ code: 'custom', message, path: [path] });
      if (entry.grpc !== undefined)
        issue(
          'the grpc transport is not supported; use mcp with proto STREAMABLEHTTP (optionally over uds)',
          'grpc',
        );
      if (entry.unix_socket !== undefined)
        issue(
          'the raw unix_socket transport is not supported; use mcp with proto STREAMABLEHTTP and uds',
          'unix_socket',
        );
      if (entry.kind === 'external') {
        if (!entry.mcp) issue("an external plugin needs an 'mcp' section", 'mcp');
        if (entry.config && Object.keys(entry.config).length > 0)
          issue("an external plugin cannot set 'config'; configure it on the plugin server", 'config');
      } else if (entry.mcp) {
        issue("'mcp' is only valid with kind: external", 'mcp');
      }
    }),
);

/** `plugin_settings:` (global). */
export const pluginSettingsSchema = z
  .object({
    parallel_execution_within_band: z.boolean().default(true),
    /** Default per-plugin timeout in seconds. */
    plugin_timeout: z.number().positive().default(30),
    /** When true, every plugin error fails the request whatever the plugin's on_error says. */
    fail_on_plugin_error: z.boolean().default(false),
    enable_plugin_api: z.boolean().default(false),
    plugin_health_check_interval: z.number().min(0).default(60),
    include_user_info: z.boolean().default(false),
  })
  .strict();

/** Server-side TLS of an external plugin server. */
export const serverTlsSchema = z
  .object({
    certfile: nonEmpty,
    keyfile: nonEmpty,
    ca_bundle: nonEmpty.optional(),
    keyfile_password: z.string().optional(),
    /** 0 = no client certificate, 1 = optional, 2 = required (default). */
    ssl_cert_reqs: z.union([z.literal(0), z.literal(1), z.literal(2)]).default(2),
  })
  .strict()
  .refine((tls) => tls.ssl_cert_reqs === 0 || tls.ca_bundle, {
    message: 'ca_bundle is required to verify client certificates (ssl_cert_reqs 1 or 2)',
    path: ['ca_bundle'],
  });

/** `server_settings:` used when this file is served by `mcpplugins serve`. */
export const serverSettingsSchema = z
  .object({
    host: nonEmpty.default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8000),
    uds: nonEmpty.optional(),
    tls: serverTlsSchema.optional(),
  })
  .strict()
  .refine((s) => !(s.uds && s.tls), {
    message: 'tls is not supported over a Unix domain socket',
    path: ['tls'],
  });

/** The whole file. */
export const pluginsConfigSchema = z
  .object({
    plugins: z
      .array(z.unknown())
      .nullish()
      .transform((v) => v ?? []),
    plugin_dirs: z.array(z.string()).default([]),
    plugin_settings: pluginSettingsSchema.nullish().transform((v) => v ?? pluginSettingsSchema.parse({})),
    server_settings: serverSettingsSchema.optional(),
    // Accepted for compatibility with CPEX files; gRPC and raw-socket servers are not provided.
    grpc_server_settings: z.unknown().optional(),
    unix_socket_server_settings: z.unknown().optional(),
  })
  .strict();

/** A validated plugin entry. */
export type PluginConfig = z.output<typeof pluginConfigSchema>;
/** A validated condition. */
export type PluginCondition = z.output<typeof conditionSchema>;
/** Client TLS settings. */
export type ClientTlsConfig = z.output<typeof clientTlsSchema>;
/** External plugin transport settings. */
export type McpClientConfig = z.output<typeof mcpClientSchema>;
/** Global settings. */
export type PluginSettings = z.output<typeof pluginSettingsSchema>;
/** Plugin server settings. */
export type ServerSettings = z.output<typeof serverSettingsSchema>;
/** Plugin server TLS settings. */
export type ServerTlsConfig = z.output<typeof serverTlsSchema>;

/** A validated configuration file. */
export interface PluginsConfig {
  plugins: PluginConfig[];
  pluginDirs: string[];
  settings: PluginSettings;
  serverSettings?: ServerSettings;
  /** Directory relative paths (kinds, scripts, TLS files) resolve against. */
  baseDir: string;
  /** Where it came from (a file path or "<inline>"), for messages. */
  source: string;
}

/** Maps legacy modes (enforce, enforce_ignore_error, permissive) to current ones before validation. */
function mapLegacyMode(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const entry = input as Record<string, unknown>;
  const legacy = typeof entry.mode === 'string' ? LEGACY_MODES[entry.mode] : undefined;
  if (!legacy) return input;
  const mapped: Record<string, unknown> = { ...entry, mode: legacy.mode };
  if (legacy.onError && entry.on_error === undefined) mapped.on_error = legacy.onError;
  return mapped;
}

export type { HookName, OnError, PluginMode };
