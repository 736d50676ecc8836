import type { PromptOutput } from '../registry/prompts/prompt-schemas.js';
import type { ResourceOutput } from '../registry/resources/resource-schemas.js';
import type { ToolOutput } from '../registry/tools/tool-schemas.js';

// Registry records are cached and immutable while cached: their MCP shapes are cached by identity.
const toolShapes = new WeakMap<object, Map<string, object>>();
const resourceShapes = new WeakMap<object, object>();
const promptShapes = new WeakMap<object, object>();

/** A registry tool as an MCP `Tool` named `name` (its alias inside a virtual server, or its own name). */
export function mcpTool(tool: ToolOutput, name: string): object {
  let byName = toolShapes.get(tool);
  if (byName === undefined) {
    byName = new Map();
    toolShapes.set(tool, byName);
  }
  let shape = byName.get(name);
  if (shape === undefined) {
    const t: Record<string, unknown> = { name, inputSchema: tool.input_schema };
    if (tool.title) t.title = tool.title;
    if (tool.description) t.description = tool.description;
    if (tool.output_schema) t.outputSchema = tool.output_schema;
    if (tool.annotations && Object.keys(tool.annotations).length > 0) t.annotations = tool.annotations;
    shape = t;
    byName.set(name, shape);
  }
  return shape;
}

/** A registry resource as an MCP `Resource`, or a template as a `ResourceTemplate`. */
export function mcpResource(r: ResourceOutput): object {
  let shape = resourceShapes.get(r);
  if (shape === undefined) {
    const s: Record<string, unknown> =
      r.uri_template !== null ? { uriTemplate: r.uri_template, name: r.name } : { uri: r.uri, name: r.name };
    if (r.title) s.title = r.title;
    if (r.description) s.description = r.description;
    if (r.mime_type) s.mimeType = r.mime_type;
    if (r.uri_template === null && typeof r.size === 'number') s.size = r.size;
    shape = s;
    resourceShapes.set(r, shape);
  }
  return shape;
}

/** A registry prompt as an MCP `Prompt`. */
export function mcpPrompt(p: PromptOutput): object {
  let shape = promptShapes.get(p);
  if (shape === undefined) {
    const s: Record<string, unknown> = {
      name: p.name,
      arguments: p.arguments.map((a) => ({
        name: a.name,
        ...(a.description ? { description: a.description } : {}),
        required: a.required,
      })),
    };
    if (p.title) s.title = p.title;
    if (p.description) s.description = p.description;
    shape = s;
    promptShapes.set(p, shape);
  }
  return shape;
}
