/**
 * Kysely table types of the security layer (migration 0002). Same conventions as the registries: ISO-8601
 * UTC strings for times, integers 0/1 for flags, JSON as text, `*_enc` columns hold AES-256-GCM
 * ciphertext (SecretBox) and are decrypted only inside the store that owns them.
 */

/** A local or SSO user (ContextForge `email_users`). */
export interface UsersTable {
  email: string;
  /** Argon2id PHC string; null for SSO-only accounts. */
  password_hash: string | null;
  full_name: string | null;
  is_admin: number;
  is_active: number;
  /** `local`, or the SSO provider id the account was created by. */
  auth_provider: string;
  email_verified_at: string | null;
  password_change_required: number;
  password_changed_at: string | null;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A team (personal or shared). */
export interface TeamsTable {
  id: string;
  name: string;
  slug: string;
  description: string | null;
  is_personal: number;
  /** `private` (invitation only) or `public` (discoverable). */
  visibility: string;
  max_members: number | null;
  created_by: string;
  is_active: number;
  created_at: string;
  updated_at: string;
}

/** Membership of a user in a team, as `owner` or `member` (mapped to RBAC team roles). */
export interface TeamMembersTable {
  team_id: string;
  user_email: string;
  role: string;
  joined_at: string;
  invited_by: string | null;
}

/** A pending (or answered) invitation; the token is stored as a SHA-256 hash only. */
export interface TeamInvitationsTable {
  id: string;
  team_id: string;
  email: string;
  role: string;
  token_hash: string;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

/** A role: the five built-in ones (`is_system_role`) and custom ones. */
export interface RolesTable {
  id: string;
  name: string;
  description: string | null;
  /** `global` or `team`. */
  scope: string;
  /** JSON array of permission strings. */
  permissions: string;
  is_system_role: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

/** A role granted to a user, globally (`team_id` null) or in one team. */
export interface UserRolesTable {
  id: string;
  user_email: string;
  role_id: string;
  team_id: string | null;
  /** `team_id`, or `''` for global grants: keeps (user, role, scope) unique on every dialect. */
  scope_key: string;
  granted_by: string | null;
  granted_at: string;
}

/** An API token; only its HMAC hash is stored. */
export interface ApiTokensTable {
  id: string;
  token_hash: string;
  display_prefix: string;
  name: string;
  /** `name` while the token is not revoked, null after: unique per owner among live tokens. */
  active_name: string | null;
  description: string | null;
  owner_email: string;
  team_id: string | null;
  /** JSON array of server ids, or null for any server. */
  server_ids: string | null;
  permissions: string;
  ip_restrictions: string;
  tags: string;
  created_at: string;
  expires_at: string | null;
  revoked_at: string | null;
  revoked_by: string | null;
  revocation_reason: string | null;
  last_used_at: string | null;
}

/** A revoked JWT id (purged once the token would have expired anyway). */
export interface TokenRevocationsTable {
  jti: string;
  revoked_at: string;
  expires_at: string | null;
  revoked_by: string | null;
  reason: string | null;
}

/** Failed-login counter per normalised email. */
export interface AuthLoginFailuresTable {
  key: string;
  failures: number;
  window_start: string;
  locked_until: string | null;
  updated_at: string;
}

/** An upstream OAuth token set, per gateway and (authorization code) per user. */
export interface OAuthTokensTable {
  id: string;
  gateway_id: string;
  /** `user_email`, or `''` for the gateway's own (client credentials) token. */
  user_key: string;
  user_email: string | null;
  access_token_enc: string;
  refresh_token_enc: string | null;
  token_type: string;
  scope: string | null;
  expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A pending authorization-code flow (upstream OAuth or SSO login), consumed once. */
export interface OAuthStatesTable {
  state: string;
  gateway_id: string;
  user_email: string | null;
  code_verifier_enc: string;
  redirect_uri: string;
  nonce: string | null;
  return_to: string | null;
  expires_at: string;
}

/** A client registration the gateway made at an upstream authorization server (RFC 7591). */
export interface OAuthClientsTable {
  id: string;
  gateway_id: string;
  issuer: string;
  client_id: string;
  client_secret_enc: string | null;
  registration_access_token_enc: string | null;
  registration_client_uri: string | null;
  redirect_uris: string;
  token_endpoint_auth_method: string;
  created_at: string;
  updated_at: string;
}

/** An SSO provider managed through the API (environment-configured ones are not stored). */
export interface SsoProvidersTable {
  id: string;
  /** `oidc` or `github`. */
  kind: string;
  display_name: string;
  issuer: string | null;
  client_id: string;
  client_secret_enc: string | null;
  /** JSON: scopes, claim paths, GitHub URLs, mapping rules. */
  settings: string;
  enabled: number;
  created_at: string;
  updated_at: string;
}

/** Which user an external (SSO) subject is. */
export interface SsoIdentitiesTable {
  provider: string;
  subject: string;
  user_email: string;
  created_at: string;
  last_login_at: string;
}

/** One audit record (append-only). */
export interface AuditEventsTable {
  id: string;
  timestamp: string;
  action: string;
  outcome: string;
  actor_subject: string;
  actor_auth_method: string | null;
  actor_ip: string | null;
  target_type: string | null;
  target_id: string | null;
  target_name: string | null;
  request_id: string | null;
  details: string | null;
}

/** Keys the gateway generates for itself (JWT HMAC key, API-token pepper), encrypted. */
export interface AuthKeysTable {
  name: string;
  value_enc: string;
  created_at: string;
}

/** Every table of the security layer. */
export interface AuthTables {
  users: UsersTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  team_invitations: TeamInvitationsTable;
  roles: RolesTable;
  user_roles: UserRolesTable;
  api_tokens: ApiTokensTable;
  token_revocations: TokenRevocationsTable;
  auth_login_failures: AuthLoginFailuresTable;
  oauth_tokens: OAuthTokensTable;
  oauth_states: OAuthStatesTable;
  oauth_clients: OAuthClientsTable;
  sso_providers: SsoProvidersTable;
  sso_identities: SsoIdentitiesTable;
  audit_events: AuditEventsTable;
  auth_keys: AuthKeysTable;
}
