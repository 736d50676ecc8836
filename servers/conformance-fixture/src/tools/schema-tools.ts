import {
  type CallToolResult,
  fromJsonSchema,
  type JsonSchemaType,
  type McpServer,
} from '@modelcontextprotocol/server';

/**
 * A JSON Schema 2020-12 input schema using the vocabulary SEP-1613 and SEP-2106 require servers to
 * advertise unchanged: `$schema`, `$defs` with `$anchor`, `$ref`, `allOf`/`anyOf`, `if`/`then`/`else`
 * and `additionalProperties`. Hand-written JSON rather than zod so nothing is lost in conversion.
 */
const JSON_SCHEMA_2020_12 = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  $defs: {
    address: {
      $anchor: 'addressDef',
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
    contactMethod: { type: 'string', enum: ['phone', 'email'] },
    phone: { type: 'string' },
    email: { type: 'string' },
  },
  allOf: [{ anyOf: [{ required: ['phone'] }, { required: ['email'] }] }],
  if: { properties: { contactMethod: { const: 'phone' } }, required: ['contactMethod'] },
  // biome-ignore lint/suspicious/noThenProperty: `then` is a JSON Schema 2020-12 keyword, not a thenable.
  then: { required: ['phone'] },
  else: { required: ['email'] },
  additionalProperties: false,
} as const;

/** `x-mcp-header` is an MCP extension keyword (SEP-2243) that the JSON Schema type does not model. */
const X_MCP_HEADER_SCHEMA = {
  type: 'object',
  properties: {
    region: { type: 'string', description: 'mirrored into Mcp-Param-Region', 'x-mcp-header': 'Region' },
    level: { type: 'integer', description: 'not mirrored into a header' },
  },
} as JsonSchemaType;

/**
 * Registers the tools whose input schemas are the point of a scenario: `json_schema_2020_12_tool`
 * (`json-schema-2020-12`) and `test_x_mcp_header`, whose `region` argument carries the SEP-2243
 * `x-mcp-header` annotation that arms `http-custom-header-server-validation` (the server must check
 * the `Mcp-Param-Region` header against the argument).
 */
export function registerSchemaTools(server: McpServer): void {
  server.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Advertises a JSON Schema 2020-12 input schema verbatim (SEP-1613, SEP-2106)',
      inputSchema: fromJsonSchema<Record<string, unknown>>(JSON_SCHEMA_2020_12),
    },
    async (args): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}` }],
    }),
  );

  server.registerTool(
    'test_x_mcp_header',
    {
      description: 'Mirrors its region argument into the Mcp-Param-Region header (SEP-2243)',
      inputSchema: fromJsonSchema<{ region?: string; level?: number }>(X_MCP_HEADER_SCHEMA),
    },
    async ({ region }): Promise<CallToolResult> => ({
      content: [{ type: 'text', text: `region=${region ?? '<none>'}` }],
    }),
  );
}
