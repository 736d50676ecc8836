// A real (small) OIDC identity provider + OAuth 2.1 authorization server on 127.0.0.1:0 for tests.
// Everything is in memory; every protocol error answers the way the RFCs say, so client code under
// test meets the same failures it would meet in production.
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT } from 'jose';

const rand = (n = 24) => randomBytes(n).toString('base64url');
const s256 = (verifier) => createHash('sha256').update(verifier).digest('base64url');

const DEFAULT_USERS = [
  {
    sub: 'user-1',
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Example',
    groups: ['engineering', 'mcp-admins'],
    roles: ['developer'],
    login: 'alice',
    orgs: ['acme'],
  },
];

/**
 * Starts the identity provider.
 * @param {import('./index.d.mts').TestIdpOptions} [options]
 * @returns {Promise<import('./index.d.mts').TestIdp>}
 */
export async function startTestIdp(options = {}) {
  const path = (options.issuerPath ?? '').replace(/\/$/, '');
  const accessTtl = options.accessTokenTtlSec ?? 3600;
  const requirePkce = options.requirePkce ?? true;
  const rotateRefresh = options.rotateRefreshTokens ?? true;
  const users = new Map((options.users ?? DEFAULT_USERS).map((u) => [u.sub, u]));
  const clients = new Map();
  for (const c of options.clients ?? []) clients.set(c.client_id, normaliseClient(c));
  const codes = new Map();
  const refreshTokens = new Map();
  const githubTokens = new Map();
  const stats = { authorize: 0, token: 0, register: 0, jwks: 0, userinfo: 0, resource: 0, grants: {} };
  let keys = [await newKey()];
  // Faults tests switch on to check that clients refuse bad answers.
  const misbehave = {};
  let base = '';
  let issuer = '';

  async function newKey() {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
    const kid = rand(8);
    return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
  }

  function normaliseClient(c) {
    return {
      client_id: c.client_id,
      client_secret: c.client_secret,
      redirect_uris: c.redirect_uris ?? [],
      grant_types: c.grant_types ?? ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method:
        c.token_endpoint_auth_method ?? (c.client_secret ? 'client_secret_basic' : 'none'),
      scope: c.scope,
      client_name: c.client_name,
    };
  }

  const sign = (claims, ttl) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: keys[0].kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttl)
      .setJti(randomUUID())
      .sign(keys[0].privateKey);

  async function verifyAccess(token) {
    const key = (header) => {
      const k = keys.find((x) => x.kid === header.kid);
      if (!k) throw new Error('unknown kid');
      return crypto.subtle.importKey('jwk', k.jwk, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, [
        'verify',
      ]);
    };
    const { payload } = await jwtVerify(token, key, { issuer });
    if (payload.token_use !== 'access') throw new Error('not an access token');
    return payload;
  }

  function metadata() {
    return {
      issuer,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      registration_endpoint: `${issuer}/register`,
      jwks_uri: `${issuer}/jwks`,
      userinfo_endpoint: `${issuer}/userinfo`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      scopes_supported: ['openid', 'email', 'profile', 'groups', 'offline_access', 'mcp:read', 'mcp:write'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  function authenticateClient(req, form) {
    let id = form.get('client_id');
    let secret = form.get('client_secret');
    const auth = req.headers.authorization;
    if (auth?.toLowerCase().startsWith('basic ')) {
      const decoded = Buffer.from(auth.slice(6), 'base64').toString();
      const i = decoded.indexOf(':');
      id = decodeURIComponent(decoded.slice(0, i));
      secret = decodeURIComponent(decoded.slice(i + 1));
    }
    const client = id ? clients.get(id) : undefined;
    if (!client) return undefined;
    if (client.token_endpoint_auth_method === 'none') return client;
    if (!secret || !client.client_secret) return undefined;
    const a = Buffer.from(secret);
    const b = Buffer.from(client.client_secret);
    return a.length === b.length && timingSafeEqual(a, b) ? client : undefined;
  }

  async function issueTokens({ client, user, scope, nonce, resource, withRefresh }) {
    const aud = resource ?? client.client_id;
    const access_token = await sign(
      { sub: user?.sub ?? client.client_id, aud, scope, client_id: client.client_id, token_use: 'access' },
      accessTtl,
    );
    const body = { access_token, token_type: 'Bearer', expires_in: accessTtl, scope };
    if (withRefresh) {
      const rt = rand();
      refreshTokens.set(rt, { clientId: client.client_id, sub: user?.sub, scope, resource });
      body.refresh_token = rt;
    }
    if (user && scope?.split(' ').includes('openid')) {
      body.id_token = await sign(
        {
          sub: user.sub,
          aud: misbehave.idTokenAudience ?? client.client_id,
          ...(nonce ? { nonce: misbehave.idTokenNonce ?? nonce } : {}),
          email: user.email,
          email_verified: user.email_verified ?? true,
          name: user.name,
          groups: user.groups,
          roles: user.roles,
          realm_access: { roles: user.roles ?? [] },
        },
        300,
      );
    }
    return body;
  }

  const routes = {
    [`GET ${path}/.well-known/openid-configuration`]: () => json(200, metadata()),
    [`GET /.well-known/oauth-authorization-server${path}`]: () => json(200, metadata()),
    [`GET ${path}/jwks`]: () => {
      stats.jwks++;
      return json(200, { keys: keys.map((k) => k.jwk) });
    },
    [`GET ${path}/authorize`]: (_req, url) => authorize(url, false),
    [`POST ${path}/token`]: tokenEndpoint,
    [`POST ${path}/register`]: register,
    [`GET ${path}/userinfo`]: userinfo,
    'GET /.well-known/oauth-protected-resource/mcp': () =>
      json(200, {
        resource: `${base}/mcp`,
        authorization_servers: [issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp:read'],
      }),
    'GET /mcp': resource,
    'POST /mcp': resource,
    'GET /github/login/oauth/authorize': (_req, url) => authorize(url, true),
    'POST /github/login/oauth/access_token': githubToken,
    'GET /github/api/user': (req) =>
      githubApi(req, (u) => ({
        id: Number(u.sub.replace(/\D/g, '')) || 1,
        login: u.login,
        name: u.name,
        email: null,
      })),
    'GET /github/api/user/emails': (req) =>
      githubApi(req, (u) => [{ email: u.email, primary: true, verified: u.email_verified ?? true }]),
    'GET /github/api/user/orgs': (req) => githubApi(req, (u) => (u.orgs ?? []).map((login) => ({ login }))),
  };

  function authorize(url, github) {
    stats.authorize++;
    const q = url.searchParams;
    const client = clients.get(q.get('client_id') ?? '');
    const redirectUri = q.get('redirect_uri');
    if (!client) return json(400, { error: 'invalid_request', error_description: 'unknown client_id' });
    if (!redirectUri || !client.redirect_uris.includes(redirectUri)) {
      return json(400, { error: 'invalid_request', error_description: 'redirect_uri is not registered' });
    }
    const back = (params) => {
      const to = new URL(redirectUri);
      for (const [k, v] of Object.entries(params))
        if (v !== undefined && v !== null) to.searchParams.set(k, v);
      if (q.get('state') !== null) to.searchParams.set('state', q.get('state'));
      if (!github) to.searchParams.set('iss', issuer);
      return { status: 302, headers: { location: to.toString() }, body: '' };
    };
    if (!github && q.get('response_type') !== 'code') return back({ error: 'unsupported_response_type' });
    const challenge = q.get('code_challenge');
    if (challenge && q.get('code_challenge_method') !== 'S256') {
      return back({ error: 'invalid_request', error_description: 'code_challenge_method must be S256' });
    }
    if (!challenge && requirePkce && !github)
      return back({ error: 'invalid_request', error_description: 'PKCE required' });
    const hint = q.get('login_hint');
    const user = hint
      ? [...users.values()].find((u) => u.email === hint || u.sub === hint || u.login === hint)
      : users.values().next().value;
    if (!user) return back({ error: 'access_denied', error_description: 'unknown user' });
    const code = rand();
    codes.set(code, {
      clientId: client.client_id,
      redirectUri,
      challenge,
      nonce: q.get('nonce'),
      scope: q.get('scope') ?? '',
      sub: user.sub,
      resource: q.get('resource') ?? undefined,
      expiresAt: Date.now() + 60_000,
    });
    return back({ code });
  }

  async function tokenEndpoint(req) {
    stats.token++;
    const form = new URLSearchParams(await readBody(req));
    const grant = form.get('grant_type');
    stats.grants[grant] = (stats.grants[grant] ?? 0) + 1;
    const client = authenticateClient(req, form);
    if (!client)
      return json(401, { error: 'invalid_client' }, { 'www-authenticate': 'Basic realm="test-idp"' });
    if (!client.grant_types.includes(grant)) return json(400, { error: 'unauthorized_client' });
    if (grant === 'authorization_code') {
      const entry = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      if (!entry || entry.expiresAt < Date.now() || entry.clientId !== client.client_id)
        return json(400, { error: 'invalid_grant' });
      if (entry.redirectUri !== form.get('redirect_uri'))
        return json(400, { error: 'invalid_grant', error_description: 'redirect_uri mismatch' });
      if (entry.challenge && s256(form.get('code_verifier') ?? '') !== entry.challenge) {
        return json(400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      }
      const user = users.get(entry.sub);
      const resourceParam = form.get('resource') ?? entry.resource;
      return json(
        200,
        await issueTokens({
          client,
          user,
          scope: entry.scope,
          nonce: entry.nonce,
          resource: resourceParam,
          withRefresh: true,
        }),
      );
    }
    if (grant === 'refresh_token') {
      const rt = form.get('refresh_token') ?? '';
      const entry = refreshTokens.get(rt);
      if (!entry || entry.clientId !== client.client_id) return json(400, { error: 'invalid_grant' });
      if (rotateRefresh) refreshTokens.delete(rt);
      const body = await issueTokens({
        client,
        user: users.get(entry.sub),
        scope: entry.scope,
        resource: entry.resource,
        withRefresh: rotateRefresh,
      });
      return json(200, body);
    }
    if (grant === 'client_credentials') {
      return json(
        200,
        await issueTokens({
          client,
          scope: form.get('scope') ?? client.scope ?? '',
          resource: form.get('resource') ?? undefined,
          withRefresh: false,
        }),
      );
    }
    return json(400, { error: 'unsupported_grant_type' });
  }

  async function register(req) {
    stats.register++;
    let meta;
    try {
      meta = JSON.parse(await readBody(req));
    } catch {
      return json(400, { error: 'invalid_client_metadata', error_description: 'body is not JSON' });
    }
    const grants = meta.grant_types ?? ['authorization_code', 'refresh_token'];
    if (
      grants.includes('authorization_code') &&
      !(Array.isArray(meta.redirect_uris) && meta.redirect_uris.length > 0)
    ) {
      return json(400, { error: 'invalid_redirect_uri', error_description: 'redirect_uris required' });
    }
    const method = meta.token_endpoint_auth_method ?? 'client_secret_basic';
    const client = normaliseClient({
      client_id: `dcr-${rand(8)}`,
      client_secret: method === 'none' ? undefined : rand(),
      redirect_uris: meta.redirect_uris,
      grant_types: grants,
      token_endpoint_auth_method: method,
      scope: meta.scope,
      client_name: meta.client_name,
    });
    clients.set(client.client_id, client);
    return json(201, {
      ...client,
      client_id_issued_at: Math.floor(Date.now() / 1000),
      client_secret_expires_at: 0,
    });
  }

  async function bearer(req) {
    const m = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '');
    if (!m) return undefined;
    try {
      return await verifyAccess(m[1]);
    } catch {
      return undefined;
    }
  }

  async function userinfo(req) {
    stats.userinfo++;
    const claims = await bearer(req);
    const user = claims && users.get(claims.sub);
    if (!user)
      return json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' });
    return json(200, {
      sub: user.sub,
      email: user.email,
      email_verified: user.email_verified ?? true,
      name: user.name,
      groups: user.groups,
    });
  }

  async function resource(req) {
    stats.resource++;
    const claims = await bearer(req);
    if (!claims) {
      return json(
        401,
        { error: 'invalid_token' },
        {
          'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp", scope="mcp:read"`,
        },
      );
    }
    return json(200, { ok: true, sub: claims.sub, aud: claims.aud });
  }

  async function githubToken(req) {
    stats.token++;
    const form = new URLSearchParams(await readBody(req));
    const client = authenticateClient(req, form);
    const entry = codes.get(form.get('code') ?? '');
    codes.delete(form.get('code') ?? '');
    // GitHub answers errors with 200 and an `error` field.
    if (!client || !entry || entry.clientId !== client.client_id)
      return json(200, { error: 'bad_verification_code' });
    if (entry.challenge && s256(form.get('code_verifier') ?? '') !== entry.challenge)
      return json(200, { error: 'bad_verification_code' });
    const token = `gho_${rand()}`;
    githubTokens.set(token, entry.sub);
    const body = { access_token: token, token_type: 'bearer', scope: entry.scope };
    if ((req.headers.accept ?? '').includes('application/json')) return json(200, body);
    return {
      status: 200,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body).toString(),
    };
  }

  function githubApi(req, shape) {
    const m = /^(?:Bearer|token) (.+)$/i.exec(req.headers.authorization ?? '');
    const user = m && users.get(githubTokens.get(m[1]));
    if (!user) return json(401, { message: 'Bad credentials' });
    return json(200, shape(user));
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', base || 'http://127.0.0.1');
    const handler = routes[`${req.method} ${url.pathname}`];
    Promise.resolve(handler ? handler(req, url) : json(404, { error: 'not_found' }))
      .then((r) => {
        res.writeHead(r.status, { 'cache-control': 'no-store', ...r.headers });
        res.end(r.body);
      })
      .catch((err) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: 'server_error', error_description: String(err?.message ?? err) }));
      });
  });
  await new Promise((resolve) => server.listen(0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address();
  base = `http://${options.host ?? '127.0.0.1'}:${port}`;
  issuer = `${base}${path}`;

  return {
    issuer,
    url: base,
    port,
    stats,
    misbehave,
    clients,
    users,
    registerClient(c) {
      const client = normaliseClient(c);
      clients.set(client.client_id, client);
      return client;
    },
    async rotateKeys({ keepOld = true } = {}) {
      const k = await newKey();
      keys = keepOld ? [k, ...keys] : [k];
      return k.kid;
    },
    async issueAccessToken({ sub, aud, scope = '', ttlSec = accessTtl, claims = {} }) {
      const t = await sign({ sub, aud, scope, token_use: 'access', ...claims }, ttlSec);
      return t;
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}

function json(status, body, headers = {}) {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const c of req) {
    size += c.length;
    if (size > 1_000_000) throw new Error('body too large');
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}
