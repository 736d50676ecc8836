// Deterministic corpora for the PII benchmark: prose and JSON-ish text without PII (numbers, times,
// versions, ids — the things detectors must look at and reject), and the same with PII sprinkled in.

const WORDS = (
  'the gateway forwards each request to an upstream server and returns its result with metadata about ' +
  'latency tokens cache status while plugins inspect payloads Records show that queries were answered in ' +
  'order version released on Monday build passed All services healthy deploy finished A user asked for ' +
  'the report summary quarterly revenue grew'
).split(' ');

/** A small deterministic PRNG (xorshift32). */
function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const CLEAN_EXTRAS = [
  () => ' at 10:30:45,',
  (r) => ` v${1 + Math.floor(r() * 9)}.${Math.floor(r() * 20)}.${Math.floor(r() * 30)}`,
  (r) => ` ${Math.floor(r() * 100000)} items`,
  () => ' {"status": "ok", "count": 42},',
  () => ' id=7f3a9c2e-41b2-4c6d-9e8f-0a1b2c3d4e5f',
  () => ' 2024-05-17',
  () => ' (see section 4)',
  () => ' A/B test -- done.',
];

const PII = [
  () => ' jane.doe@example.com',
  () => ' 4111 1111 1111 1111',
  () => ' 123-45-6789',
  () => ' +44 20 7946 0958',
  () => ' (212) 555-0199',
  () => ' GB82WEST12345698765432',
  () => ' 192.168.10.42',
  () => ' 2001:db8::8a2e:370:7334',
  () => ' AKIAIOSFODNN7EXAMPLE',
  () =>
    ' eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  () => '\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
  () =>
    '\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgwMbRvI0MBZhpF\n-----END RSA PRIVATE KEY-----\n',
];

/**
 * Generates about `bytes` of text.
 *
 * @param {number} bytes
 * @param {{ pii: boolean, seed?: number }} options `pii`: one PII item every ~500 bytes
 */
export function corpus(bytes, { pii, seed = 7 }) {
  const r = rng(seed);
  const parts = [];
  let size = 0;
  let sincePii = 0;
  while (size < bytes) {
    let piece = WORDS[Math.floor(r() * WORDS.length)];
    const roll = r();
    if (roll < 0.04) piece += CLEAN_EXTRAS[Math.floor(r() * CLEAN_EXTRAS.length)](r);
    else if (roll < 0.1) piece += '.';
    if (pii && sincePii > 500) {
      piece += PII[Math.floor(r() * PII.length)](r);
      sincePii = 0;
    }
    piece += ' ';
    parts.push(piece);
    size += piece.length;
    sincePii += piece.length;
  }
  return parts.join('').slice(0, bytes);
}

/** An MCP tool result carrying `text`. */
export function toolResult(text) {
  return { content: [{ type: 'text', text }], isError: false };
}
