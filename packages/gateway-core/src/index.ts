/**
 * @contextforge/gateway-core — the gateway engine as an embeddable library: configuration, storage
 * (SQLite, PostgreSQL, MySQL/MariaDB), registries with their REST API, cache, the HTTP app, the MCP
 * engine (`./mcp`) and the security layer (`./security`).
 *
 * Start with {@link createGateway}: `const gw = await createGateway(loadConfig().config); await gw.listen();`
 */
export {
  type AuthLayer,
  type CreateAuthLayerOptions,
  createAuthLayer,
  type McpScope,
} from './auth/auth-layer.js';
export type { AuthInvalidation } from './auth/authn/auth-bus.js';
export type { MintOptions } from './auth/authn/token-issuer.js';
export { SELF_PERMISSION } from './auth/authz/request-authorizer.js';
export { ANONYMOUS_PERMISSIONS } from './auth/authz/role-catalog.js';
export { parseList } from './auth/config/parse-list.js';
export type { BootstrapResult } from './auth/services/bootstrap.js';
export { type RotationReport, rotateEncryptionKey } from './auth/services/key-rotation.js';
export type { UpstreamRequestAuth } from './auth/services/upstream-credentials.js';
export type { UserOutput } from './auth/services/user-service.js';
export type { Cache } from './cache/cache.js';
export { createCache } from './cache/create-cache.js';
export { LruMap } from './cache/lru-map.js';
export { MemoryCache, NullCache } from './cache/memory-cache.js';
export { RedisCache, type RedisCacheOptions } from './cache/redis-cache.js';
export { configJsonSchema, describeSettings } from './config/config-schema.js';
export { readEnvFile } from './config/env-file.js';
export { type LoadConfigOptions, type LoadedConfig, loadConfig, parseConfig } from './config/load-config.js';
export { type GatewayConfig, SETTINGS, type SettingName } from './config/settings.js';
export { SecretBox } from './crypto/secret-box.js';
export { connectDatabase, type GatewayDatabase } from './db/connect-database.js';
export { type DatabaseTarget, type DialectKind, parseDatabaseUrl } from './db/database-url.js';
export { migrateToLatest, pendingMigrations } from './db/migrate.js';
export type { Database } from './db/schema.js';
export { GatewayError, type GatewayErrorCode, isGatewayError } from './errors.js';
export { type CreateGatewayOptions, createGateway, type Gateway, type GatewayServices } from './gateway.js';
export { STATUS_BY_CODE } from './http/error-mapper.js';
export {
  type ActorHook,
  type AuthorizeHook,
  type AuthorizeRequestHook,
  allowAll,
  type GatewayHooks,
  type RouteInput,
} from './http/hooks.js';
export { type MountOptions, mountRoutes } from './http/mount-routes.js';
export { buildOpenApi } from './http/openapi.js';
export { defineRoute, type RouteContext, type RouteDef, type RouteResult } from './http/route-def.js';
export type { RunningServer } from './http/serve-app.js';
export { zodToGatewayError } from './http/zod-issues.js';
export * from './mcp/index.js';
export { createLogger, type GatewayLogger, redactUrl } from './observability/logger.js';
export type { AuthSettings } from './registry/auth/auth-settings.js';
export type { Actor } from './registry/common/actor.js';
export { TOOL_NAME_PATTERN } from './registry/common/naming.js';
export type { ListFilter, Page } from './registry/common/pagination.js';
export type { GatewayOutput } from './registry/gateways/gateway-schemas.js';
export type { GatewayService, HealthResult } from './registry/gateways/gateway-service.js';
export {
  type DiscoveredPrompt,
  type DiscoveredResource,
  type DiscoveredTool,
  type Discovery,
  type SyncResult,
  syncDiscovered,
} from './registry/gateways/gateway-sync.js';
export type { PromptOutput, PromptResult } from './registry/prompts/prompt-schemas.js';
export type { PromptService } from './registry/prompts/prompt-service.js';
export type { RegistryContext } from './registry/registry-context.js';
export type { ResourceOutput } from './registry/resources/resource-schemas.js';
export type { ResourceContent, ResourceService } from './registry/resources/resource-service.js';
export type { ServerOutput } from './registry/servers/server-schemas.js';
export type { ServerService, ServerTool } from './registry/servers/server-service.js';
export type { ToolOutput } from './registry/tools/tool-schemas.js';
export type { ToolService } from './registry/tools/tool-service.js';
export {
  BUNDLE_TYPES,
  BUNDLE_VERSION,
  type Bundle,
  bundleSchema,
  type ConflictStrategy,
  type ImportReport,
} from './registry/transfer/bundle-schema.js';
export { type ExportOptions, exportBundle } from './registry/transfer/export-service.js';
export { importBundle } from './registry/transfer/import-service.js';
export * from './security/index.js';
export * from './upstream/index.js';
export { PACKAGE_NAME, VERSION } from './version.js';
