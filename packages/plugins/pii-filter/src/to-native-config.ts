/** Maps the YAML configuration to the native scanner's options. */
import { randomUUID } from 'node:crypto';
import type { PiiFilterConfig } from './config-schema.js';
import type { NativeScannerConfig } from './native.js';

/** Process-wide default salt: hashes are stable within a run, not guessable across deployments. */
const DEFAULT_SALT = randomUUID();

/** Detectors enabled by the `detect_*` flags. */
export function enabledDetectors(c: PiiFilterConfig): string[] {
  const on: string[] = [];
  if (c.detect_email) on.push('email');
  if (c.detect_phone) on.push('phone');
  if (c.detect_ssn) on.push('ssn');
  if (c.detect_credit_card) on.push('credit_card');
  if (c.detect_iban ?? c.detect_bank_account) on.push('iban');
  if (c.detect_ip_address) on.push('ipv4', 'ipv6');
  if (c.detect_aws_keys) on.push('aws_access_key', 'aws_secret_key');
  if (c.detect_jwt) on.push('jwt');
  if (c.detect_private_keys) on.push('private_key');
  return on;
}

/** The native configuration for `c`, plus the YAML index of each enabled custom pattern. */
export function toNativeConfig(c: PiiFilterConfig): NativeScannerConfig & { customIndex: number[] } {
  const customIndex = c.custom_patterns.flatMap((p, i) => (p.enabled ? [i] : []));
  return {
    customIndex,
    detectors: enabledDetectors(c),
    mask: c.default_mask_strategy,
    maskOverrides: Object.fromEntries(
      Object.entries(c.mask_strategies).filter(([, v]) => v !== undefined),
    ) as Record<string, string>,
    redactionText: c.redaction_text,
    hashSalt: c.hash_salt ?? DEFAULT_SALT,
    customPatterns: c.custom_patterns
      .filter((p) => p.enabled)
      .map((p) => ({
        name:
          p.name ??
          p.description
            .trim()
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '_')
            .replace(/^_|_$/g, ''),
        pattern: p.pattern,
        ...(p.mask_strategy ? { mask: p.mask_strategy } : {}),
      })),
    allowlist: c.whitelist_patterns,
  };
}

/** Detectors ContextForge has that this plugin does not implement and that the config enables. */
export function unsupportedDetectors(c: PiiFilterConfig): string[] {
  const flags = [
    'detect_bsn',
    'detect_date_of_birth',
    'detect_passport',
    'detect_driver_license',
    'detect_medical_record',
  ] as const;
  return flags.filter((f) => c[f]);
}
