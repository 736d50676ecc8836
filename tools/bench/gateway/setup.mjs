// Prepares a running gateway the way an operator would, over its REST API: sign in as the bootstrap
// administrator, create an API token for the bench client, register the echo upstream, wait for its
// tool to be discovered, and bundle it into a virtual server.
import { ADMIN } from './processes.mjs';

async function call(base, method, path, { token, body } = {}) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      accept: 'application/json',
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 500)}`);
  return text ? JSON.parse(text) : undefined;
}

/** Signs in; resolves with the session JWT. */
export async function login(base) {
  const session = await call(base, 'POST', '/v1/auth/login', {
    body: { email: ADMIN.email, password: ADMIN.password },
  });
  return session.access_token;
}

/** Creates an API token (`cfk_…`) for the signed-in user. */
export async function createApiToken(base, jwt, name = 'bench') {
  const created = await call(base, 'POST', '/v1/tokens', { token: jwt, body: { name, expires_in_days: 1 } });
  return created.access_token;
}

/**
 * Registers `upstreamUrl` (streamable HTTP), waits until its `echo` tool is in the registry, and
 * creates a virtual server with it (alias `echo`). Resolves with
 * { gatewayId, toolId, toolName (namespaced, for /mcp), serverToolName, serverId }.
 */
export async function registerEcho(base, jwt, upstreamUrl, name = 'bench-echo') {
  const gateway = await call(base, 'POST', '/v1/gateways', {
    token: jwt,
    body: { name, url: upstreamUrl, transport: 'STREAMABLEHTTP' },
  });
  const deadline = Date.now() + 20_000;
  let tool;
  while (!tool) {
    const page = await call(base, 'GET', `/v1/tools?gateway_id=${encodeURIComponent(gateway.id)}`, {
      token: jwt,
    });
    const tools = Array.isArray(page) ? page : (page.tools ?? page.items ?? []);
    tool = tools.find((t) => (t.original_name ?? t.originalName ?? t.name)?.endsWith('echo'));
    if (tool) break;
    if (Date.now() > deadline)
      throw new Error(
        `gateway ${gateway.id} (${upstreamUrl}): no echo tool discovered within 20 s; registry answered ${JSON.stringify(page).slice(0, 300)}`,
      );
    await new Promise((r) => setTimeout(r, 200));
  }
  const server = await call(base, 'POST', '/v1/servers', {
    token: jwt,
    body: { name: `${name}-server`, associated_tools: [{ id: tool.id, alias: 'echo' }] },
  });
  // Inside the virtual server the tool answers to its alias; on /mcp to its namespaced name.
  return {
    gatewayId: gateway.id,
    toolId: tool.id,
    toolName: tool.name,
    serverToolName: 'echo',
    serverId: server.id,
  };
}
