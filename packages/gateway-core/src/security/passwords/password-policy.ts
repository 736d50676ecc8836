import { SecurityError } from '../errors.js';
import { MAX_PASSWORD_BYTES } from './password-hasher.js';

/** Password rules (ContextForge: PASSWORD_MIN_LENGTH, PASSWORD_REQUIRE_UPPERCASE/LOWERCASE/NUMBERS/SPECIAL). */
export interface PasswordPolicy {
  /** Minimum length in characters; default 8. */
  minLength: number;
  /** Maximum length in characters; default 128. */
  maxLength: number;
  requireUppercase: boolean;
  requireLowercase: boolean;
  requireDigit: boolean;
  requireSpecial: boolean;
  /** Refuse passwords containing the user's email local part (case-insensitive); default true. */
  forbidEmail: boolean;
}

/** Defaults matching ContextForge's: 8+ characters with upper, lower, digit and special characters. */
export const DEFAULT_PASSWORD_POLICY: Readonly<PasswordPolicy> = Object.freeze({
  minLength: 8,
  maxLength: 128,
  requireUppercase: true,
  requireLowercase: true,
  requireDigit: true,
  requireSpecial: true,
  forbidEmail: true,
});

/** A rule a password broke. */
export type PasswordViolation =
  | 'too-short'
  | 'too-long'
  | 'missing-uppercase'
  | 'missing-lowercase'
  | 'missing-digit'
  | 'missing-special'
  | 'contains-email';

const MESSAGES: Record<PasswordViolation, (p: PasswordPolicy) => string> = {
  'too-short': (p) => `at least ${p.minLength} characters`,
  'too-long': (p) => `at most ${p.maxLength} characters`,
  'missing-uppercase': () => 'an uppercase letter',
  'missing-lowercase': () => 'a lowercase letter',
  'missing-digit': () => 'a digit',
  'missing-special': () => 'a special character',
  'contains-email': () => 'not the email address',
};

/** Lists the rules `password` breaks (empty when it is acceptable). Lengths count Unicode code points. */
export function checkPassword(
  password: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  email?: string,
): PasswordViolation[] {
  const out: PasswordViolation[] = [];
  const length = [...password].length;
  if (length < policy.minLength) out.push('too-short');
  if (length > policy.maxLength || Buffer.byteLength(password) > MAX_PASSWORD_BYTES) out.push('too-long');
  if (policy.requireUppercase && !/\p{Lu}/u.test(password)) out.push('missing-uppercase');
  if (policy.requireLowercase && !/\p{Ll}/u.test(password)) out.push('missing-lowercase');
  if (policy.requireDigit && !/\p{Nd}/u.test(password)) out.push('missing-digit');
  if (policy.requireSpecial && !/[^\p{L}\p{Nd}]/u.test(password)) out.push('missing-special');
  if (policy.forbidEmail && email) {
    const local = email.split('@')[0]?.toLowerCase() ?? '';
    if (local.length >= 3 && password.toLowerCase().includes(local)) out.push('contains-email');
  }
  return out;
}

/**
 * Throws unless `password` satisfies `policy`.
 * @throws SecurityError `PASSWORD_POLICY` (422) with `details.violations` and a message listing what is needed.
 */
export function assertPassword(
  password: string,
  policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY,
  email?: string,
): void {
  const violations = checkPassword(password, policy, email);
  if (violations.length === 0) return;
  throw new SecurityError(
    'PASSWORD_POLICY',
    `password: must have ${violations.map((v) => MESSAGES[v](policy)).join(', ')}`,
    {
      field: 'password',
      details: { violations },
    },
  );
}

/**
 * Builds a policy from ContextForge-named environment variables, starting from the defaults.
 * @throws SecurityError `CONFIG_INVALID` naming the variable.
 */
export function passwordPolicyFromEnv(env: Record<string, string | undefined>): PasswordPolicy {
  const int = (name: string, fallback: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1)
      throw new SecurityError('CONFIG_INVALID', `${name}: expected a positive integer, got '${raw}'`, {
        field: name,
      });
    return n;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (raw === 'true' || raw === '1') return true;
    if (raw === 'false' || raw === '0') return false;
    throw new SecurityError('CONFIG_INVALID', `${name}: expected true or false, got '${env[name]}'`, {
      field: name,
    });
  };
  const d = DEFAULT_PASSWORD_POLICY;
  const policy: PasswordPolicy = {
    minLength: int('PASSWORD_MIN_LENGTH', d.minLength),
    maxLength: int('PASSWORD_MAX_LENGTH', d.maxLength),
    requireUppercase: bool('PASSWORD_REQUIRE_UPPERCASE', d.requireUppercase),
    requireLowercase: bool('PASSWORD_REQUIRE_LOWERCASE', d.requireLowercase),
    requireDigit: bool('PASSWORD_REQUIRE_NUMBERS', d.requireDigit),
    requireSpecial: bool('PASSWORD_REQUIRE_SPECIAL', d.requireSpecial),
    forbidEmail: d.forbidEmail,
  };
  if (policy.maxLength < policy.minLength) {
    throw new SecurityError('CONFIG_INVALID', 'PASSWORD_MAX_LENGTH: must be >= PASSWORD_MIN_LENGTH', {
      field: 'PASSWORD_MAX_LENGTH',
    });
  }
  return policy;
}
