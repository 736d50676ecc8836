import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { SecurityError } from '../errors.js';

/** What `contextforge token decode` prints. */
export interface DecodedToken {
  readonly header: ProtectedHeaderParameters;
  readonly payload: JWTPayload & Record<string, unknown>;
  /** `exp` as a Date, when present. */
  readonly expiresAt?: Date;
  /** `iat` as a Date, when present. */
  readonly issuedAt?: Date;
  /** True when `exp` is in the past. */
  readonly expired: boolean;
}

/**
 * Decodes a JWT WITHOUT verifying it (for display and debugging only; never for access decisions).
 * @throws SecurityError `TOKEN_INVALID` when the text is not a JWS compact JWT.
 */
export function decodeToken(token: string, now: number = Date.now()): DecodedToken {
  let header: ProtectedHeaderParameters;
  let payload: JWTPayload & Record<string, unknown>;
  try {
    header = decodeProtectedHeader(token.trim());
    payload = decodeJwt(token.trim()) as JWTPayload & Record<string, unknown>;
  } catch (cause) {
    throw new SecurityError('TOKEN_INVALID', 'invalid token: not a JWT (expected header.payload.signature)', {
      details: { reason: 'malformed' },
      cause,
    });
  }
  const exp = typeof payload.exp === 'number' ? new Date(payload.exp * 1000) : undefined;
  const iat = typeof payload.iat === 'number' ? new Date(payload.iat * 1000) : undefined;
  return {
    header,
    payload,
    ...(exp ? { expiresAt: exp } : {}),
    ...(iat ? { issuedAt: iat } : {}),
    expired: exp !== undefined && exp.getTime() <= now,
  };
}
