import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BODY = 40; // 40 base62 characters ≈ 238 bits of entropy
const CHECK = 6;

/** Prefix of every gateway API token (`cfk_…`): lets secret scanners and log redaction recognise them. */
export const API_TOKEN_PREFIX = 'cfk_';

const SHAPE = new RegExp(`^${API_TOKEN_PREFIX}[0-9A-Za-z]{${BODY + CHECK}}$`);

/** A freshly generated token: the secret (shown once) and the part safe to display and store. */
export interface GeneratedApiToken {
  /** The full token; never stored, shown to its owner once. */
  readonly token: string;
  /** The first 12 characters (`cfk_` + 8), stored so users can tell their tokens apart. */
  readonly displayPrefix: string;
}

/**
 * Generates `cfk_<40 random base62><6 base62 checksum>`. Base62 keeps the token one double-click
 * selectable word; the checksum lets {@link isApiTokenFormat} reject typos and random strings without a
 * store lookup.
 */
export function generateApiToken(): GeneratedApiToken {
  let body = '';
  while (body.length < BODY) {
    for (const byte of randomBytes(64)) {
      // Rejection sampling: 248 = 4 × 62, so accepted bytes map uniformly onto the alphabet.
      if (byte < 248 && body.length < BODY) body += ALPHABET[byte % 62];
    }
  }
  const token = `${API_TOKEN_PREFIX}${body}${checksum(body)}`;
  return { token, displayPrefix: token.slice(0, 12) };
}

/** True when `text` has the shape and a valid checksum of a gateway API token. */
export function isApiTokenFormat(text: string): boolean {
  if (!SHAPE.test(text)) return false;
  const body = text.slice(API_TOKEN_PREFIX.length, API_TOKEN_PREFIX.length + BODY);
  return text.endsWith(checksum(body));
}

function checksum(body: string): string {
  let n = createHash('sha256').update(body).digest().readUInt32BE(0);
  let out = '';
  for (let i = 0; i < CHECK; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}
