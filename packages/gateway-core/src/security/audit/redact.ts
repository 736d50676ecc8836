/** Replacement for redacted values. */
export const REDACTED = '***';

// Keys whose values are secrets wherever they appear (headers, config, payloads, errors).
const SECRET_KEY =
  /(pass(word|wd|phrase)?|secret|token|api[-_]?key|apikey|authorization|auth[-_]?header|cookie|credential|private[-_]?key|client[-_]?secret|session[-_]?id|signature|bearer|jwt|auth[-_]?value)$|^(x[-_])?(api|auth)[-_]?(key|token)/i;

// Secrets recognisable by shape inside free text (log messages, error strings, URLs).
const TEXT_PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, REDACTED], // JWT
  [/\bcfk_[0-9A-Za-z]{20,}/g, REDACTED], // gateway API tokens
  [
    /\b(gh[pousr]_[A-Za-z0-9]{20,}|sk-[A-Za-z0-9_-]{20,}|xox[abpr]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b/g,
    REDACTED,
  ],
  [/(\/\/[^/\s:@]+:)[^@\s/]+@/g, `$1${REDACTED}@`], // user:password@ in URLs
  [
    /([?&;](?:access_token|refresh_token|id_token|token|code|client_secret|api[-_]?key|apikey|password|secret|key|sig|signature)=)[^&\s#"']+/gi,
    `$1${REDACTED}`,
  ],
  [/("?(?:password|secret|token|api[-_]?key|client_secret)"?\s*[:=]\s*"?)[^",}\s]+/gi, `$1${REDACTED}`],
];

/** True when a key (header, field, env var) names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Redacts secrets recognisable by shape in free text (tokens, JWTs, URL credentials, secret query parameters). */
export function redactText(text: string): string {
  let out = text;
  for (const [re, rep] of TEXT_PATTERNS) out = out.replace(re, rep);
  return out;
}

/**
 * A deep copy of `value` safe for logs, errors and exports: values under secret-named keys become `***`,
 * strings are scrubbed with {@link redactText}, cycles and depth beyond `maxDepth` are cut, and `Error`s
 * keep name/message (scrubbed). Headers objects (`Headers`, Maps) are handled like plain objects.
 */
export function redactSecrets(
  value: unknown,
  options: { extraKeys?: readonly string[]; maxDepth?: number } = {},
): unknown {
  const extra = new Set((options.extraKeys ?? []).map((k) => k.toLowerCase()));
  const maxDepth = options.maxDepth ?? 12;
  const seen = new WeakSet<object>();
  const secretKey = (k: string) => isSecretKey(k) || extra.has(k.toLowerCase());

  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactText(v);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    if (depth >= maxDepth) return '[truncated]';
    seen.add(v);
    if (v instanceof Error) return { name: v.name, message: redactText(v.message) };
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    const entries: Array<[string, unknown]> =
      v instanceof Map || (typeof Headers !== 'undefined' && v instanceof Headers)
        ? [...(v as Map<string, unknown>).entries()].map(([k, x]) => [String(k), x])
        : Object.entries(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of entries)
      out[k] = secretKey(k) && x !== null && x !== undefined && x !== '' ? REDACTED : walk(x, depth + 1);
    return out;
  };
  return walk(value, 0);
}

/** Headers with secret values replaced (`Authorization`, `Cookie`, `X-API-Key`, …), for request logging. */
export function redactHeaders(
  headers: Headers | Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [k, v] of entries) {
    if (v === undefined) continue;
    const s = Array.isArray(v) ? v.join(', ') : String(v);
    out[k] = isSecretKey(k) || /^(set-)?cookie$|^proxy-authorization$/i.test(k) ? REDACTED : redactText(s);
  }
  return out;
}
