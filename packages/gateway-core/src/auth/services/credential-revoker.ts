import { GatewayError } from '../../errors.js';
import { isApiTokenFormat } from '../../security/api-tokens/api-token-format.js';
import type { ApiTokenHasher } from '../../security/api-tokens/api-token-hasher.js';
import { decodeToken } from '../../security/jwt/decode-token.js';
import type { AuthBus } from '../authn/auth-bus.js';
import type { DbApiTokenStore } from '../stores/db-api-token-store.js';
import type { AuditRecorder } from './audit-recorder.js';
import type { SessionService } from './session-service.js';

/** What {@link revokeCredential} uses. */
export interface RevokerDeps {
  apiTokens: DbApiTokenStore;
  hasher: ApiTokenHasher;
  sessions: SessionService;
  bus: AuthBus;
  audit: AuditRecorder;
}

/**
 * Revokes a credential given as an API token (`cfk_…`), an API token id, a JWT or a JWT `jti`
 * (`contextforge token revoke`), on every replica.
 * @throws GatewayError NOT_FOUND (unknown API token), BAD_REQUEST (a JWT without `jti`)
 */
export async function revokeCredential(
  value: string,
  by: string | undefined,
  d: RevokerDeps,
): Promise<{ kind: 'jwt' | 'api_token'; id: string }> {
  const text = value.trim();
  const apiToken = isApiTokenFormat(text)
    ? await d.apiTokens.findByHash(d.hasher.hash(text))
    : await d.apiTokens.get(text);
  if (apiToken) {
    await d.apiTokens.revokeWithReason(apiToken.id, Date.now(), by, 'revoked from the command line');
    await d.bus.publish({ kind: 'token', id: apiToken.id });
    d.audit.record(
      { subject: by ?? 'cli' },
      { action: 'token.revoked', target: { type: 'api_token', id: apiToken.id } },
    );
    return { kind: 'api_token', id: apiToken.id };
  }
  if (text.startsWith('cfk_')) throw new GatewayError('NOT_FOUND', 'no such API token');
  let jti = text;
  let expiresAt: number | null = null;
  if (text.split('.').length === 3) {
    const decoded = decodeToken(text);
    if (typeof decoded.payload.jti !== 'string')
      throw new GatewayError('BAD_REQUEST', 'this JWT has no jti and cannot be revoked');
    jti = decoded.payload.jti;
    expiresAt = decoded.expiresAt?.getTime() ?? null;
  }
  await d.sessions.revokeJwt(jti, expiresAt, by, 'revoked from the command line');
  return { kind: 'jwt', id: jti };
}
