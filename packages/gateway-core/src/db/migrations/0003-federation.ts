import type { Kysely } from 'kysely';
import type { DialectKind } from '../database-url.js';
import { columnTypes } from './column-types.js';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it is at that point, not today's types.
type AnyDb = Kysely<any>;

/**
 * Federation paths (issue 5, part 5): each discovered tool, resource and prompt records the ContextForge
 * deployments its calls pass through (a JSON array of instance ids, nearest first; null when its upstream
 * is not a ContextForge gateway), so a gateway never takes back what it exported to a peer (A → B → A).
 */
export function federationMigration(kind: DialectKind) {
  const ty = columnTypes(kind);
  return {
    async up(db: AnyDb): Promise<void> {
      for (const table of ['tools', 'resources', 'prompts'])
        await db.schema.alterTable(table).addColumn('federation_via', ty.longText).execute();
    },
  };
}
