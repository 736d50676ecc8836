/**
 * Hook payloads. Field names are ContextForge's (CPEX) wire names on purpose: the same JSON travels
 * to external plugin servers written in any language, so one shape serves in-process and remote
 * plugins alike.
 */
import type { HookName } from './hook-names.js';

/** HTTP headers as a plain object (lower-case names recommended). */
export type HeaderMap = Record<string, string>;

/** `tool_pre_invoke`: before a tool is called. */
export interface ToolPreInvokePayload {
  /** Tool name as the client called it. */
  name: string;
  /** Call arguments. */
  args: Record<string, unknown>;
  /** Pass-through headers forwarded upstream (mutable via a modified payload). */
  headers?: HeaderMap;
}

/** `tool_post_invoke`: after a tool returned. */
export interface ToolPostInvokePayload {
  name: string;
  /** The tool result (an MCP `CallToolResult` for MCP tools). */
  result: unknown;
}

/** `prompt_pre_fetch`: before a prompt is rendered. */
export interface PromptPreFetchPayload {
  /** Prompt name or id. */
  prompt_id: string;
  /** Render arguments. */
  args: Record<string, string>;
}

/** `prompt_post_fetch`: after a prompt was rendered. */
export interface PromptPostFetchPayload {
  prompt_id: string;
  /** The rendered prompt (an MCP `GetPromptResult`: `{ messages, description? }`). */
  result: unknown;
}

/** `resource_pre_fetch`: before a resource is read. */
export interface ResourcePreFetchPayload {
  uri: string;
  metadata: Record<string, unknown>;
}

/** `resource_post_fetch`: after a resource was read. */
export interface ResourcePostFetchPayload {
  uri: string;
  /** The read result (an MCP `ReadResourceResult` or a single contents object). */
  content: unknown;
}

/** `agent_pre_invoke`: before an A2A agent is called. */
export interface AgentPreInvokePayload {
  agent_id: string;
  messages: unknown[];
  tools?: string[];
  headers?: HeaderMap;
  model?: string;
  system_prompt?: string;
  parameters?: Record<string, unknown>;
}

/** `agent_post_invoke`: after an A2A agent answered. */
export interface AgentPostInvokePayload {
  agent_id: string;
  messages: unknown[];
  tool_calls?: unknown[];
}

/** `http_pre_request`: HTTP middleware, before authentication. */
export interface HttpPreRequestPayload {
  path: string;
  method: string;
  client_host?: string;
  client_port?: number;
  headers: HeaderMap;
}

/** `http_post_request`: HTTP middleware, after the response was produced. */
export interface HttpPostRequestPayload extends HttpPreRequestPayload {
  response_headers?: HeaderMap;
  status_code?: number;
}

/** `http_auth_resolve_user`: custom authentication. */
export interface HttpAuthResolveUserPayload {
  /** `Authorization` credentials when present: `{ scheme, credentials }`. */
  credentials?: { scheme: string; credentials: string } | null;
  headers: HeaderMap;
  client_host?: string;
  client_port?: number;
}

/** `http_auth_check_permission`: custom authorization. */
export interface HttpAuthCheckPermissionPayload {
  user_email: string;
  permission: string;
  resource_type?: string;
  team_id?: string;
  is_admin: boolean;
  auth_method?: string;
  client_host?: string;
  user_agent?: string;
}

/** Decision returned by `http_auth_check_permission` plugins. */
export interface PermissionDecision {
  granted: boolean;
  reason?: string;
}

/** A user resolved by `http_auth_resolve_user` (at least an email; other fields are the gateway's). */
export interface ResolvedUser {
  email: string;
  [field: string]: unknown;
}

/** Payload type of every hook. */
export interface HookPayloadMap {
  tool_pre_invoke: ToolPreInvokePayload;
  tool_post_invoke: ToolPostInvokePayload;
  prompt_pre_fetch: PromptPreFetchPayload;
  prompt_post_fetch: PromptPostFetchPayload;
  resource_pre_fetch: ResourcePreFetchPayload;
  resource_post_fetch: ResourcePostFetchPayload;
  agent_pre_invoke: AgentPreInvokePayload;
  agent_post_invoke: AgentPostInvokePayload;
  http_pre_request: HttpPreRequestPayload;
  http_post_request: HttpPostRequestPayload;
  http_auth_resolve_user: HttpAuthResolveUserPayload;
  http_auth_check_permission: HttpAuthCheckPermissionPayload;
}

/**
 * What a plugin may return as `modifiedPayload` for each hook: the payload itself for the MCP hooks,
 * the (replacement) headers for the HTTP middleware hooks, and a decision for the two auth hooks.
 */
export interface HookResultPayloadMap {
  tool_pre_invoke: ToolPreInvokePayload;
  tool_post_invoke: ToolPostInvokePayload;
  prompt_pre_fetch: PromptPreFetchPayload;
  prompt_post_fetch: PromptPostFetchPayload;
  resource_pre_fetch: ResourcePreFetchPayload;
  resource_post_fetch: ResourcePostFetchPayload;
  agent_pre_invoke: AgentPreInvokePayload;
  agent_post_invoke: AgentPostInvokePayload;
  http_pre_request: HeaderMap;
  http_post_request: HeaderMap;
  http_auth_resolve_user: ResolvedUser;
  http_auth_check_permission: PermissionDecision;
}

/** The payload type of hook `H`. */
export type HookPayload<H extends HookName> = HookPayloadMap[H];

/** The modified-payload type of hook `H`. */
export type HookResultPayload<H extends HookName> = HookResultPayloadMap[H];
