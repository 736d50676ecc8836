import type { RequestContext } from '../mcp/types.js';
import type { PromptOutput } from '../registry/prompts/prompt-schemas.js';
import type { ResourceOutput } from '../registry/resources/resource-schemas.js';
import type { ToolOutput } from '../registry/tools/tool-schemas.js';

/**
 * Hook points of the invoke pipeline (ContextForge's `tool_pre_invoke`, `tool_post_invoke`,
 * `prompt_pre_fetch`, `prompt_post_fetch`, `resource_pre_fetch`, `resource_post_fetch`). The plugin
 * manager implements it; each hook may return a replacement (arguments, URI or result) or nothing, and
 * refuses a request by throwing (an `McpError`, or a `{ code, message, data }` JSON-RPC error object),
 * which the client receives as the JSON-RPC error. Hooks run after authorization, in registration order.
 */
export interface InvokeInterceptor {
  /** A name for logs and `GET /v1/plugins`-style diagnostics. */
  readonly name: string;
  toolPreInvoke?(
    ctx: RequestContext,
    call: { name: string; tool: ToolOutput; args: Record<string, unknown> },
  ): Promise<{ args?: Record<string, unknown> } | undefined>;
  toolPostInvoke?(
    ctx: RequestContext,
    call: { name: string; tool: ToolOutput; result: Record<string, unknown> },
  ): Promise<{ result?: Record<string, unknown> } | undefined>;
  promptPreFetch?(
    ctx: RequestContext,
    fetch: { name: string; prompt: PromptOutput; args: Record<string, string> },
  ): Promise<{ args?: Record<string, string> } | undefined>;
  promptPostFetch?(
    ctx: RequestContext,
    fetch: { name: string; prompt: PromptOutput; result: Record<string, unknown> },
  ): Promise<{ result?: Record<string, unknown> } | undefined>;
  resourcePreFetch?(
    ctx: RequestContext,
    fetch: { uri: string; resource: ResourceOutput },
  ): Promise<{ uri?: string } | undefined>;
  resourcePostFetch?(
    ctx: RequestContext,
    fetch: { uri: string; resource: ResourceOutput; result: Record<string, unknown> },
  ): Promise<{ result?: Record<string, unknown> } | undefined>;
}
