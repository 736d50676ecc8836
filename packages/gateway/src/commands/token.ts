import { decodeToken } from '@contextforge/gateway-core';
import { withAuth } from './with-auth.js';

/** Options of `contextforge token create`. */
export interface TokenCreateOptions {
  username: string;
  exp: string;
  admin?: boolean;
  teams?: string;
  scopes?: string;
  data?: string;
  apiToken?: string;
  team?: string;
  server?: string[];
  permission?: string[];
  ip?: string[];
  envFile?: string;
}

function json(text: string, option: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${option}: expected a JSON object (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${option}: expected a JSON object`);
  return value as Record<string, unknown>;
}

/**
 * `contextforge token create`: signs a gateway JWT for `--username` (ContextForge's `create_jwt_token`
 * options), or with `--api-token NAME` issues a stored API token for that user. Prints the token alone on
 * stdout, so `TOKEN=$(contextforge token create …)` works.
 */
export async function tokenCreateCommand(o: TokenCreateOptions): Promise<void> {
  const minutes = Number(o.exp);
  if (!Number.isFinite(minutes) || minutes < 0)
    throw new Error(`--exp: expected minutes (0 = no expiry), got '${o.exp}'`);
  await withAuth(o.envFile, async (auth) => {
    if (o.apiToken !== undefined) {
      const user = await auth.users.get(o.username);
      // The operator (who holds the database) issues on the user's behalf; the token never exceeds the
      // user's own roles when used, whatever scope it carries.
      const principal = {
        subject: user.email,
        email: user.email,
        authMethod: 'jwt' as const,
        isAdmin: true,
        teams: { kind: 'admin-bypass' as const },
        roles: [],
      };
      const { token } = await auth.tokens.create(
        principal,
        {
          name: o.apiToken,
          ...(minutes > 0 ? { expires_in_days: Math.max(1, Math.ceil(minutes / 1440)) } : {}),
          ...(o.team ? { team_id: o.team } : {}),
          scope: {
            ...(o.server?.length ? { server_id: o.server } : {}),
            ...(o.permission?.length ? { permissions: o.permission } : {}),
            ...(o.ip?.length ? { ip_restrictions: o.ip } : {}),
          },
        },
        { subject: 'cli' },
      );
      process.stdout.write(`${token}\n`);
      return;
    }
    const teams =
      o.teams === undefined
        ? undefined
        : o.teams === 'null'
          ? null
          : o.teams
              .split(',')
              .map((t) => t.trim())
              .filter(Boolean);
    const token = await auth.mintToken({
      subject: o.username,
      expiresInMinutes: minutes,
      ...(o.admin ? { isAdmin: true } : {}),
      ...(teams !== undefined ? { teams } : o.admin ? { teams: null } : {}),
      ...(o.scopes ? { scopes: json(o.scopes, '--scopes') } : {}),
      ...(o.data ? { data: json(o.data, '--data') } : {}),
    });
    process.stdout.write(`${token}\n`);
  });
}

/** `contextforge token decode`: prints a JWT's header and claims WITHOUT verifying it (for debugging). */
export function tokenDecodeCommand(token: string): void {
  const d = decodeToken(token);
  process.stdout.write(
    `${JSON.stringify(
      {
        header: d.header,
        payload: d.payload,
        ...(d.issuedAt ? { issued_at: d.issuedAt.toISOString() } : {}),
        ...(d.expiresAt ? { expires_at: d.expiresAt.toISOString() } : {}),
        expired: d.expired,
        verified: false,
      },
      null,
      2,
    )}\n`,
  );
}

/**
 * `contextforge token revoke`: revokes a JWT (by the token or its `jti`) or an API token (the `cfk_…`
 * token or its id). Running gateways stop accepting it at once when they share Redis, else within
 * AUTH_CACHE_USER_TTL.
 */
export async function tokenRevokeCommand(value: string, o: { envFile?: string }): Promise<void> {
  await withAuth(o.envFile, async (auth) => {
    const done = await auth.revokeCredential(value, 'cli');
    process.stdout.write(`revoked ${done.kind === 'jwt' ? 'JWT' : 'API token'} ${done.id}\n`);
  });
}
