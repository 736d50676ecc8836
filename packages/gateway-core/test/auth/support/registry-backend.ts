import { isGatewayError } from '../../../src/errors.js';
import type { Gateway } from '../../../src/gateway.js';
import { type McpBackend, McpError, type RequestContext } from '../../../src/mcp/index.js';
import { isSecurityError } from '../../../src/security/errors.js';

/**
 * A small registry-backed MCP backend for the security tests (tools only), wired the way the invoke
 * pipeline is meant to use the security layer: `authorizeMcp` before every method, the visibility filter
 * on every list, and the same answer for "missing" and "not visible". Not the gateway's backend: the
 * issue-5 pipeline replaces it; this is the contract it must keep.
 */
export function registryBackend(gw: Gateway): McpBackend {
  const auth = gw.auth!;
  const s = gw.services;
  const mapError = (error: unknown): never => {
    if (isGatewayError(error) && error.code === 'NOT_FOUND')
      throw new McpError(-32602, 'Unknown tool or server');
    if (isSecurityError(error)) throw new McpError(-32003, error.message, { code: error.code });
    throw error;
  };
  const visibleTools = async (ctx: RequestContext) => {
    if (ctx.scope.kind === 'server') {
      return (await s.servers.tools(ctx.scope.serverId))
        .filter((t) => auth.canSee(ctx.principal, t))
        .map((t) => ({ ...t, name: t.exposed_name }));
    }
    const visibleTo = auth.visibility(ctx.principal);
    return (await s.tools.list({ limit: 500, includeInactive: false, ...(visibleTo ? { visibleTo } : {}) }))
      .items;
  };
  return {
    async serverInfo() {
      return { name: 'test-gateway', version: '1', capabilities: { tools: {} } };
    },
    async listTools(ctx) {
      try {
        await auth.authorizeMcp(ctx.principal, ctx.scope, 'tools.read');
        const tools = await visibleTools(ctx);
        return {
          tools: tools.map((t) => ({
            name: t.name,
            description: t.description ?? '',
            inputSchema: t.input_schema,
          })),
        };
      } catch (error) {
        return mapError(error);
      }
    },
    async callTool(ctx, name) {
      try {
        await auth.authorizeMcp(ctx.principal, ctx.scope, 'tools.read');
        const tool = (await visibleTools(ctx)).find((t) => t.name === name);
        if (!tool) throw new McpError(-32602, `Unknown tool: ${name}`);
        await auth.authorizeMcp(ctx.principal, ctx.scope, 'tools.execute', tool);
        return { content: [{ type: 'text', text: `${name} called by ${ctx.principal.subject}` }] };
      } catch (error) {
        return mapError(error);
      }
    },
    async listResources() {
      return { resources: [] };
    },
    async listResourceTemplates() {
      return { resourceTemplates: [] };
    },
    async readResource() {
      throw new McpError(-32602, 'no resources');
    },
    async listPrompts() {
      return { prompts: [] };
    },
    async getPrompt() {
      throw new McpError(-32602, 'no prompts');
    },
  };
}
