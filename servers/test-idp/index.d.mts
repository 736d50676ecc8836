/** A user the IdP logs in (pick one with `login_hint`; the first is the default). */
export interface TestIdpUser {
  sub: string;
  email: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
  roles?: string[];
  /** GitHub login (GitHub emulation). */
  login?: string;
  /** GitHub organisations (GitHub emulation). */
  orgs?: string[];
}

/** A pre-registered OAuth client. */
export interface TestIdpClient {
  client_id: string;
  client_secret?: string;
  redirect_uris?: string[];
  grant_types?: string[];
  token_endpoint_auth_method?: 'client_secret_basic' | 'client_secret_post' | 'none';
  scope?: string;
  client_name?: string;
}

export interface TestIdpOptions {
  /** Path of the issuer below the origin (e.g. `/realms/test`), to exercise path-aware discovery. */
  issuerPath?: string;
  users?: TestIdpUser[];
  clients?: TestIdpClient[];
  /** Access token lifetime; default 3600 s. */
  accessTokenTtlSec?: number;
  /** Require PKCE on /authorize; default true. */
  requirePkce?: boolean;
  /** Issue a new refresh token on each refresh and invalidate the old one; default true. */
  rotateRefreshTokens?: boolean;
  host?: string;
}

/** A running identity provider. */
export interface TestIdp {
  /** `http://127.0.0.1:<port><issuerPath>`. */
  readonly issuer: string;
  /** `http://127.0.0.1:<port>`; the protected resource is `${url}/mcp`. */
  readonly url: string;
  readonly port: number;
  /** Request counters. */
  readonly stats: {
    authorize: number;
    token: number;
    register: number;
    jwks: number;
    userinfo: number;
    resource: number;
    grants: Record<string, number>;
  };
  /** Faults to inject into ID tokens (set, run the test, delete). */
  readonly misbehave: { idTokenAudience?: string; idTokenNonce?: string };
  readonly clients: Map<
    string,
    Required<Pick<TestIdpClient, 'client_id' | 'redirect_uris' | 'grant_types'>> & TestIdpClient
  >;
  readonly users: Map<string, TestIdpUser>;
  registerClient(client: TestIdpClient): TestIdpClient;
  /** Adds a new signing key (used from now on); returns its kid. */
  rotateKeys(options?: { keepOld?: boolean }): Promise<string>;
  /** Signs an access token directly. */
  issueAccessToken(input: {
    sub: string;
    aud?: string;
    scope?: string;
    ttlSec?: number;
    claims?: Record<string, unknown>;
  }): Promise<string>;
  close(): Promise<void>;
}

/** Starts a test identity provider on 127.0.0.1:0. */
export declare function startTestIdp(options?: TestIdpOptions): Promise<TestIdp>;
