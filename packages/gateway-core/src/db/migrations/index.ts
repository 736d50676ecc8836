import type { Migration } from 'kysely';
import { authMigration } from '../../auth/db/migration-0002-auth.js';
import type { DialectKind } from '../database-url.js';
import { initialMigration } from './0001-initial.js';
import { federationMigration } from './0003-federation.js';
import { gatewayPrefixNamesMigration } from './0004-gateway-prefix-names.js';

/**
 * Every forward migration, keyed by name (applied in name order). Migrations are code, not files, so a
 * bundled or relocated gateway still finds them. Never edit a released migration: add the next one.
 */
export function allMigrations(kind: DialectKind): Record<string, Migration> {
  return {
    '0001_initial': initialMigration(kind),
    '0002_auth': authMigration(kind),
    '0003_federation': federationMigration(kind),
    '0004_gateway_prefix_names': gatewayPrefixNamesMigration(),
  };
}
