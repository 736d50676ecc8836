import type { GatewayConfig } from '../../config/settings.js';
import type { GatewayLogger } from '../../observability/logger.js';
import type { PasswordHasher } from '../../security/passwords/password-hasher.js';
import type { PasswordPolicy } from '../../security/passwords/password-policy.js';
import type { AuthBus } from '../authn/auth-bus.js';
import type { RoleCatalog } from '../authz/role-catalog.js';
import type { DbApiTokenStore } from '../stores/db-api-token-store.js';
import type { RoleStore } from '../stores/role-store.js';
import type { StoreContext } from '../stores/store-context.js';
import type { TeamStore } from '../stores/team-store.js';
import type { UserStore } from '../stores/user-store.js';
import type { AuditRecorder } from './audit-recorder.js';

/** What the account, team, role and token services share. */
export interface AuthDeps {
  config: GatewayConfig;
  store: StoreContext;
  users: UserStore;
  teams: TeamStore;
  roles: RoleStore;
  apiTokens: DbApiTokenStore;
  catalog: RoleCatalog;
  bus: AuthBus;
  audit: AuditRecorder;
  passwords: PasswordHasher;
  policy: PasswordPolicy;
  logger: GatewayLogger;
}
