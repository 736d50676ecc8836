import type { AuthTables } from '../auth/db/auth-schema.js';

/**
 * Kysely table types: one schema for SQLite, PostgreSQL and MySQL/MariaDB. To stay identical across
 * the three, JSON is stored as text, flags as integers 0/1 and timestamps as ISO-8601 UTC strings
 * (`2025-01-31T12:00:00.000Z`, which also sort correctly as text).
 */

/** Columns every registry entity carries (ContextForge's common fields). */
export interface CommonColumns {
  id: string;
  slug: string;
  description: string | null;
  /** JSON array of normalised tag strings. */
  tags: string;
  team_id: string | null;
  owner_email: string | null;
  visibility: string;
  enabled: number;
  created_at: string;
  updated_at: string;
  created_by: string | null;
  created_via: string | null;
  modified_by: string | null;
  modified_via: string | null;
  import_batch_id: string | null;
  version: number;
}

/** An upstream MCP server (ContextForge calls it a gateway). */
export interface GatewaysTable extends CommonColumns {
  name: string;
  url: string | null;
  transport: string;
  command: string | null;
  /** JSON array of strings (stdio arguments). */
  args: string;
  auth_type: string | null;
  /** AES-256-GCM ciphertext of the auth settings JSON (see crypto/secret-box.ts). */
  auth_value: string | null;
  /** JSON object of static, non-secret headers. */
  headers: string;
  /** JSON array of header names forwarded from the client, or null. */
  passthrough_headers: string | null;
  /** JSON object of the upstream's capabilities as last discovered. */
  capabilities: string;
  reachable: number;
  last_seen: string | null;
  last_health_check: string | null;
  consecutive_failures: number;
  last_error: string | null;
  /** 1: tools and prompts are exposed as `<slug><sep><name>`; 0: under their upstream names. */
  prefix_names: number;
}

/** A tool: discovered from a gateway (integration MCP) or created by hand (MCP or REST). */
export interface ToolsTable extends CommonColumns {
  /** The exposed, unique name: `<gateway-slug><sep><custom_name>` or `custom_name`. */
  name: string;
  original_name: string;
  custom_name: string;
  title: string | null;
  integration_type: string;
  request_type: string;
  url: string | null;
  headers: string;
  input_schema: string;
  output_schema: string | null;
  annotations: string;
  jsonpath_filter: string | null;
  auth_type: string | null;
  auth_value: string | null;
  gateway_id: string | null;
  /**
   * JSON array of the ContextForge deployments (instance ids, nearest first) calls pass through when the
   * upstream is another ContextForge gateway; null otherwise (federation loop avoidance).
   */
  federation_via: string | null;
}

/** A resource (or a resource template when `is_template` is 1). */
export interface ResourcesTable extends CommonColumns {
  uri: string;
  is_template: number;
  name: string;
  title: string | null;
  mime_type: string | null;
  text_content: string | null;
  binary_content: Uint8Array | null;
  size: number | null;
  gateway_id: string | null;
  /**
   * JSON array of the ContextForge deployments (instance ids, nearest first) calls pass through when the
   * upstream is another ContextForge gateway; null otherwise (federation loop avoidance).
   */
  federation_via: string | null;
}

/** A prompt with a nunjucks template and declared arguments. */
export interface PromptsTable extends CommonColumns {
  name: string;
  original_name: string;
  custom_name: string;
  title: string | null;
  template: string;
  /** JSON array of `{name, description, required}`. */
  arguments: string;
  gateway_id: string | null;
  /**
   * JSON array of the ContextForge deployments (instance ids, nearest first) calls pass through when the
   * upstream is another ContextForge gateway; null otherwise (federation loop avoidance).
   */
  federation_via: string | null;
}

/** A virtual server grouping tools, resources and prompts. */
export interface ServersTable extends CommonColumns {
  name: string;
  icon: string | null;
}

/** A tool inside a virtual server, optionally under an alias unique within that server. */
export interface ServerToolsTable {
  server_id: string;
  tool_id: string;
  alias: string | null;
  position: number;
}

/** A resource inside a virtual server. */
export interface ServerResourcesTable {
  server_id: string;
  resource_id: string;
  position: number;
}

/** A prompt inside a virtual server. */
export interface ServerPromptsTable {
  server_id: string;
  prompt_id: string;
  position: number;
}

/** A root (MCP `roots/list` entry offered to upstreams). */
export interface RootsTable {
  id: string;
  uri: string;
  name: string | null;
  created_at: string;
  updated_at: string;
}

/** The whole database, for `Kysely<Database>` (registries plus the security layer's tables). */
export interface Database extends AuthTables {
  gateways: GatewaysTable;
  tools: ToolsTable;
  resources: ResourcesTable;
  prompts: PromptsTable;
  servers: ServersTable;
  server_tools: ServerToolsTable;
  server_resources: ServerResourcesTable;
  server_prompts: ServerPromptsTable;
  roots: RootsTable;
}
