import type { Kysely } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it is at that point, not today's types.
type AnyDb = Kysely<any>;

/**
 * Per-gateway naming choice: `prefix_names` 1 (every existing gateway, the ContextForge default) exposes
 * the gateway's tools and prompts as `<slug><sep><name>`; 0 exposes them under their upstream names, so
 * a gateway can front a server whose clients call fixed names (the MCP conformance fixture, MCP Apps).
 */
export function gatewayPrefixNamesMigration() {
  return {
    async up(db: AnyDb): Promise<void> {
      await db.schema
        .alterTable('gateways')
        .addColumn('prefix_names', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
    },
  };
}
