import { z } from 'zod';
import type { SecretBox } from '../../crypto/secret-box.js';
import { GatewayError } from '../../errors.js';

/** The value shown instead of a stored secret; sending it back on update keeps the stored secret. */
export const MASKED = '*****';

/** Outbound authentication kinds (ContextForge's `auth_type`). */
export const authTypeSchema = z.enum(['none', 'basic', 'bearer', 'authheaders', 'query_param', 'oauth']);

const headerName = z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,128}$/, 'must be an HTTP header name');
const headerValue = z
  .string()
  .max(8192)
  .regex(/^[^\r\n]*$/, 'must not contain line breaks');

/** Auth fields accepted on create/update of gateways and tools (ContextForge's flat form). */
export const authInputFields = {
  auth_type: authTypeSchema.nullable().optional(),
  auth_username: z.string().max(255).optional(),
  auth_password: z.string().max(1024).optional(),
  auth_token: z.string().max(8192).optional(),
  auth_header_key: headerName.optional(),
  auth_header_value: headerValue.optional(),
  auth_headers: z
    .array(z.object({ key: headerName, value: headerValue }).strict())
    .max(32)
    .optional(),
  auth_query_param_key: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,128}$/)
    .optional(),
  auth_query_param_value: z.string().max(8192).optional(),
  oauth_config: z.record(z.string(), z.unknown()).optional(),
};

/** Parsed auth input. */
export type AuthInput = { [K in keyof typeof authInputFields]?: z.output<(typeof authInputFields)[K]> };

/** Decrypted outbound credentials, as the MCP engine uses them. */
export type AuthSettings =
  | { type: 'basic'; username: string; password: string }
  | { type: 'bearer'; token: string }
  | { type: 'authheaders'; headers: Array<{ key: string; value: string }> }
  | { type: 'query_param'; param: string; value: string }
  | { type: 'oauth'; config: Record<string, unknown> };

/** Keys of an OAuth config whose values are secrets. */
const OAUTH_SECRET_KEYS = ['client_secret', 'password', 'refresh_token', 'access_token'];

function required(value: string | undefined, field: string, authType: string): string {
  if (value === undefined || value === '') {
    throw new GatewayError('VALIDATION_FAILED', `${field} is required when auth_type is ${authType}`, {
      field,
    });
  }
  return value;
}

/** Keeps the stored secret where the caller sent back the mask. */
function keep(value: string | undefined, previous: string | undefined): string | undefined {
  return value === MASKED ? previous : value;
}

/**
 * Builds credentials from input fields. `previous` (the stored credentials) supplies secrets the caller
 * sent back masked.
 *
 * @returns null for `auth_type` none/null
 * @throws GatewayError VALIDATION_FAILED naming the missing field.
 */
export function buildAuth(input: AuthInput, previous: AuthSettings | null): AuthSettings | null {
  const type = input.auth_type ?? 'none';
  const prev = previous?.type === type ? previous : null;
  switch (type) {
    case 'none':
      return null;
    case 'basic':
      return {
        type,
        username: required(
          input.auth_username ?? (prev as { username?: string })?.username,
          'auth_username',
          type,
        ),
        password: required(
          keep(input.auth_password, (prev as { password?: string })?.password),
          'auth_password',
          type,
        ),
      };
    case 'bearer':
      return {
        type,
        token: required(keep(input.auth_token, (prev as { token?: string })?.token), 'auth_token', type),
      };
    case 'authheaders': {
      const prevHeaders = (prev as { headers?: Array<{ key: string; value: string }> })?.headers ?? [];
      const given =
        input.auth_headers ??
        (input.auth_header_key ? [{ key: input.auth_header_key, value: input.auth_header_value ?? '' }] : []);
      if (given.length === 0) {
        throw new GatewayError(
          'VALIDATION_FAILED',
          'auth_headers (or auth_header_key and auth_header_value) is required when auth_type is authheaders',
          { field: 'auth_headers' },
        );
      }
      const headers = given.map((h, i) => ({
        key: h.key,
        value: required(
          keep(h.value, prevHeaders.find((p) => p.key.toLowerCase() === h.key.toLowerCase())?.value),
          `auth_headers.${i}.value`,
          type,
        ),
      }));
      return { type, headers };
    }
    case 'query_param': {
      const p = prev as { param?: string; value?: string } | null;
      return {
        type,
        param: required(input.auth_query_param_key ?? p?.param, 'auth_query_param_key', type),
        value: required(keep(input.auth_query_param_value, p?.value), 'auth_query_param_value', type),
      };
    }
    case 'oauth': {
      const config = { ...(input.oauth_config ?? {}) };
      const prevConfig = (prev as { config?: Record<string, unknown> })?.config ?? {};
      for (const key of OAUTH_SECRET_KEYS) if (config[key] === MASKED) config[key] = prevConfig[key];
      if (typeof config.grant_type !== 'string') {
        throw new GatewayError(
          'VALIDATION_FAILED',
          'oauth_config.grant_type is required when auth_type is oauth',
          { field: 'oauth_config.grant_type' },
        );
      }
      return { type, config };
    }
  }
}

/** True when the input touches auth at all (otherwise an update keeps the stored credentials). */
export function hasAuthInput(input: AuthInput): boolean {
  return Object.keys(authInputFields).some((k) => (input as Record<string, unknown>)[k] !== undefined);
}

/** Encrypts credentials for storage. */
export function sealAuth(auth: AuthSettings | null, box: SecretBox): string | null {
  return auth ? box.encrypt(JSON.stringify(auth)) : null;
}

/**
 * Decrypts stored credentials.
 *
 * @throws GatewayError CRYPTO_FAILED when the ciphertext was made under another key.
 */
export function openAuth(ciphertext: string | null, box: SecretBox): AuthSettings | null {
  return ciphertext ? (JSON.parse(box.decrypt(ciphertext)) as AuthSettings) : null;
}

/** Credentials as API responses show them: non-secret parts in clear, secrets as `*****`. */
export function maskedAuthFields(
  authType: string | null,
  auth: AuthSettings | null,
): Record<string, unknown> {
  const out: Record<string, unknown> = { auth_type: authType ?? 'none' };
  if (!auth) return out;
  switch (auth.type) {
    case 'basic':
      return { ...out, auth_username: auth.username, auth_password: MASKED };
    case 'bearer':
      return { ...out, auth_token: MASKED };
    case 'authheaders':
      return { ...out, auth_headers: auth.headers.map((h) => ({ key: h.key, value: MASKED })) };
    case 'query_param':
      return { ...out, auth_query_param_key: auth.param, auth_query_param_value: MASKED };
    case 'oauth':
      return {
        ...out,
        oauth_config: Object.fromEntries(
          Object.entries(auth.config).map(([k, v]) => [k, OAUTH_SECRET_KEYS.includes(k) ? MASKED : v]),
        ),
      };
  }
}

/** Auth fields for a response; a credential sealed under another key is reported, not thrown. */
export function safeMaskedAuth(
  authType: string | null,
  sealed: string | null,
  box: SecretBox,
): Record<string, unknown> {
  try {
    return maskedAuthFields(authType, openAuth(sealed, box));
  } catch {
    return {
      auth_type: authType ?? 'none',
      auth_error: 'stored credentials cannot be decrypted with this AUTH_ENCRYPTION_SECRET',
    };
  }
}
