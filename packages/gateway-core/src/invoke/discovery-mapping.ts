import type {
  DiscoveredPrompt,
  DiscoveredResource,
  DiscoveredTool,
  Discovery,
} from '../registry/gateways/gateway-sync.js';
import type { UpstreamDiscovery } from '../upstream/types.js';
import { entryPath } from './federation.js';

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * What an upstream listed, in the registry's terms (snake_case fields, templates as resources with
 * `is_template`). Entries without a usable name or URI are dropped rather than failing the whole sync, and
 * so are entries of a peer ContextForge gateway whose federation path already contains `self` (this
 * deployment): they are its own, exported to the peer, and calling them would loop.
 */
export function toDiscovery(d: UpstreamDiscovery, self: string): Discovery {
  /** The entry's federation path, or false when it leads back here. */
  const pathOf = (entry: Record<string, unknown>): string[] | null | false => {
    const path = entryPath(entry);
    if (path === undefined) return null;
    return path.includes(self) ? false : path;
  };
  const tools: DiscoveredTool[] = [];
  for (const t of d.tools) {
    if (typeof t.name !== 'string' || t.name.length === 0) continue;
    const via = pathOf(t);
    if (via === false) continue;
    const tool: DiscoveredTool = {
      name: t.name,
      title: str(t.title),
      description: str(t.description),
      input_schema: obj(t.inputSchema) ?? { type: 'object' },
      output_schema: obj(t.outputSchema) ?? null,
      via,
    };
    const annotations = obj(t.annotations);
    if (annotations) tool.annotations = annotations;
    tools.push(tool);
  }
  const resources: DiscoveredResource[] = [];
  for (const r of d.resources) {
    if (typeof r.uri !== 'string' || r.uri.length === 0) continue;
    const via = pathOf(r);
    if (via === false) continue;
    resources.push({
      via,
      uri: r.uri,
      name: str(r.name) ?? r.uri,
      title: str(r.title),
      description: str(r.description),
      mime_type: str(r.mimeType),
      size: typeof r.size === 'number' ? r.size : null,
    });
  }
  for (const r of d.resourceTemplates) {
    if (typeof r.uriTemplate !== 'string' || r.uriTemplate.length === 0) continue;
    const via = pathOf(r);
    if (via === false) continue;
    resources.push({
      via,
      uri: r.uriTemplate,
      name: str(r.name) ?? r.uriTemplate,
      title: str(r.title),
      description: str(r.description),
      mime_type: str(r.mimeType),
      is_template: true,
    });
  }
  const prompts: DiscoveredPrompt[] = [];
  for (const p of d.prompts) {
    if (typeof p.name !== 'string' || p.name.length === 0) continue;
    const via = pathOf(p);
    if (via === false) continue;
    prompts.push({
      via,
      name: p.name,
      title: str(p.title),
      description: str(p.description),
      arguments: Array.isArray(p.arguments)
        ? (p.arguments as Array<Record<string, unknown>>)
            .filter((a) => typeof a?.name === 'string')
            .map((a) => ({
              name: a.name as string,
              ...(typeof a.description === 'string' ? { description: a.description } : {}),
              required: a.required === true,
            }))
        : [],
    });
  }
  return { tools, resources, prompts, capabilities: d.capabilities };
}
