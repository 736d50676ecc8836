// The security commands of the built CLI against a real gateway process sharing a SQLite file: users,
// JWTs and API tokens made on the command line work over HTTP, revocations take effect, and rotate-key
// moves every stored secret to a new AUTH_ENCRYPTION_SECRET without breaking credentials.
import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ListeningCli, startListening } from '@contextforge-internal/test-support';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cf-auth-cli-'));
const OLD_SECRET = 'auth-cli-old-secret-auth-cli-old-secret';
const NEW_SECRET = 'auth-cli-new-secret-auth-cli-new-secret';
const env = (db: string, extra: Record<string, string> = {}) => ({
  ...process.env,
  DATABASE_URL: `sqlite:///${join(dir, db)}`,
  AUTH_ENCRYPTION_SECRET: OLD_SECRET,
  PLATFORM_ADMIN_PASSWORD: 'Cli-Test-Passw0rd!',
  ARGON2ID_MEMORY_COST: '1024',
  ARGON2ID_TIME_COST: '1',
  // Revocations must show at once without Redis: no credential cache in these gateways.
  AUTH_CACHE_USER_TTL: '0',
  RATE_LIMITING_ENABLED: 'false',
  LOG_LEVEL: 'warn',
  ...extra,
});
const children: ChildProcess[] = [];

function run(args: string[], e: NodeJS.ProcessEnv, input?: string) {
  return spawnSync(process.execPath, [cli, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: e,
    ...(input !== undefined ? { input } : {}),
  });
}

function serve(e: NodeJS.ProcessEnv): Promise<ListeningCli> {
  return startListening(cli, ['serve', '--port', '0'], { cwd: dir, env: e, children });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const done = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await done;
}

afterEach(async () => {
  for (const child of children.splice(0)) await stop(child);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const get = async (url: string, token: string) =>
  (await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status;

/**
 * The JWT with one signature character changed. Not the last ones: base64url decoders ignore the final
 * character's low bits, so a changed tail can decode to the very same signature (a flaky "forgery").
 */
function forged(jwt: string): string {
  const i = jwt.length - 10;
  return `${jwt.slice(0, i)}${jwt[i] === 'A' ? 'B' : 'A'}${jwt.slice(i + 1)}`;
}

describe('contextforge user / token / rotate-key', () => {
  it('creates users, signs JWTs and API tokens that work over HTTP, and revokes them', async () => {
    const e = env('tokens.db');
    const weak = run(['user', 'create', '--email', 'dev@example.com', '--password', 'short'], e);
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('password: must have at least 8 characters');
    const made = run(
      ['user', 'create', '--email', 'Dev@Example.com', '--password', '-', '--full-name', 'Dev'],
      e,
      'Strong-Passw0rd-123!\n',
    );
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain('created user dev@example.com');
    expect(
      run(['user', 'create', '--email', 'dev@example.com', '--password', 'Strong-Passw0rd-123!'], e).stderr,
    ).toContain('already exists');

    const jwt = run(['token', 'create', '--username', 'dev@example.com', '--exp', '30'], e).stdout.trim();
    const decoded = JSON.parse(run(['token', 'decode', jwt], e).stdout);
    expect(decoded.payload).toMatchObject({
      sub: 'dev@example.com',
      iss: 'mcpgateway',
      aud: 'mcpgateway-api',
    });
    expect(decoded.verified).toBe(false);
    expect(run(['token', 'decode', 'not-a-jwt'], e).stderr).toContain('not a JWT');
    const api = run(
      ['token', 'create', '--username', 'dev@example.com', '--api-token', 'ci', '--ip', '127.0.0.0/8'],
      e,
    ).stdout.trim();
    expect(api).toMatch(/^cfk_/);

    const { url } = await serve(e);
    expect(await get(`${url}/v1/auth/email/me`, jwt)).toBe(200);
    expect(await get(`${url}/v1/auth/email/me`, api)).toBe(200);
    expect(await get(`${url}/v1/auth/email/me`, forged(jwt))).toBe(401);

    expect(run(['token', 'revoke', jwt], e).stdout).toContain('revoked JWT');
    expect(await get(`${url}/v1/auth/email/me`, jwt)).toBe(401);
    expect(run(['token', 'revoke', api], e).stdout).toContain('revoked API token');
    expect(await get(`${url}/v1/auth/email/me`, api)).toBe(401);
    expect(run(['token', 'revoke', 'cfk_0000000000000000000000000000000000000000000000'], e).status).toBe(1);

    const reset = run(
      ['user', 'reset-password', '--email', 'dev@example.com', '--password', 'New-Passw0rd-456!'],
      e,
    );
    expect(reset.stdout).toContain('its sessions are ended');
    const login = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'dev@example.com', password: 'New-Passw0rd-456!' }),
    });
    expect(login.status).toBe(200);
  });

  it('rotate-key re-encrypts every stored secret; credentials keep working under the new secret', async () => {
    const e = env('rotate.db');
    const first = await serve(e);
    const admin = run(['token', 'create', '--username', 'admin@example.com', '--exp', '30'], e).stdout.trim();
    const api = run(
      ['token', 'create', '--username', 'admin@example.com', '--api-token', 'rotation'],
      e,
    ).stdout.trim();
    const created = await fetch(`${first.url}/v1/gateways`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'secured',
        url: 'https://upstream.example.com/mcp',
        transport: 'STREAMABLEHTTP',
        auth_type: 'bearer',
        auth_token: 'upstream-secret',
      }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    await stop(first.child);

    expect(run(['rotate-key', '--new-secret', 'short'], e).stderr).toContain('at least 32 characters');
    const rotated = run(['rotate-key'], { ...e, NEW_AUTH_ENCRYPTION_SECRET: NEW_SECRET });
    expect(rotated.stderr).toBe('');
    expect(rotated.stdout).toMatch(/re-encrypted \d+ stored secrets \(.*gateways 1.*auth_keys 3/);
    // Running it again from the old secret finds nothing left to move.
    expect(run(['rotate-key', '--new-secret', NEW_SECRET], e).stdout).toContain(
      're-encrypted 0 stored secrets',
    );

    const second = await serve({ ...e, AUTH_ENCRYPTION_SECRET: NEW_SECRET });
    expect(await get(`${second.url}/v1/auth/email/me`, admin)).toBe(200);
    expect(await get(`${second.url}/v1/auth/email/me`, api)).toBe(200);
    const gateway = (await (
      await fetch(`${second.url}/v1/gateways/${id}`, { headers: { authorization: `Bearer ${api}` } })
    ).json()) as Record<string, unknown>;
    expect(gateway).toMatchObject({ auth_type: 'bearer', auth_token: '*****' });
    expect(gateway.auth_error).toBeUndefined();
  });
});
