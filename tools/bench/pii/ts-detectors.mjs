// The TypeScript contenders: the same detectors as the Rust scanner (crates/pii-scanner), written
// as well as we know how with regular expressions, so the comparison is fair.
//
// - `scanAnchored`: one global regex finds *anchors* (digits, '@', ':', '=', '+', '(', 'AKIA…',
//   'eyJ', '-----BEGIN'), then a sticky regex per detector validates at that position — the regex
//   equivalent of the Rust design, and the fastest TS variant we found.
// - `scanAlternation`: the textbook approach, one big alternation of every detector (`/a|b|c/g`).
//
// Both return findings `{ kind, start, end }` with the same validation rules (Luhn, IBAN mod 97,
// IPv4 octets, IPv6 parsing, SSN area/group/serial rules, card issuer prefixes).
import { isIPv6 } from 'node:net';

export function luhn(digits) {
  let sum = 0;
  let double = false;
  let count = 0;
  for (let i = digits.length - 1; i >= 0; i--) {
    const c = digits.charCodeAt(i);
    if (c < 48 || c > 57) continue;
    let d = c - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
    count++;
  }
  return count > 0 && sum % 10 === 0;
}

export function ibanOk(text) {
  const s = text.replace(/ /g, '');
  if (s.length < 15 || s.length > 34) return false;
  const r = s.slice(4) + s.slice(0, 4);
  let rem = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    const v = c <= 57 ? c - 48 : c - 55;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

function ssnOk(s) {
  const d = s.replace(/\D/g, '');
  return !/^(000|666|9)/.test(d) && d.slice(3, 5) !== '00' && d.slice(5) !== '0000';
}

function cardOk(s) {
  const d = s.replace(/\D/g, '');
  if (d.length < 13 || d.length > 19 || !luhn(d)) return false;
  const p2 = +d.slice(0, 2);
  const p3 = +d.slice(0, 3);
  const p4 = +d.slice(0, 4);
  switch (d[0]) {
    case '4':
      return d.length === 13 || d.length === 16 || d.length === 19;
    case '5':
      return p2 >= 50 && p2 <= 58;
    case '2':
      return p4 >= 2221 && p4 <= 2720;
    case '3':
      return [34, 36, 37, 38, 39].includes(p2) || (p4 >= 3528 && p4 <= 3589) || (p3 >= 300 && p3 <= 305);
    case '6':
      return p4 === 6011 || p2 === 65 || (p3 >= 644 && p3 <= 649) || p2 === 62 || p2 === 67;
    default:
      return false;
  }
}

const ipv4Ok = (s) =>
  s.split('.').every((o) => o.length <= 3 && !(o.length > 1 && o[0] === '0') && +o <= 255);

// Sticky detectors, tried at an anchor. Shapes mirror the Rust detectors.
const NUM = {
  ipv4: /(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/y,
  ssn: /\d{3}([- ])\d{2}\1\d{4}(?![\w]|[.-]\d)/y,
  card: /(?:\d{13,19}|\d{4}([ -])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,4})?|\d{4}([ -])\d{6}\2\d{4,5})(?![\w])/y,
  phone: /(?:1([-. ]))?[2-9]\d{2}([-. ])\d{3}\2\d{4}(?![\w]|[.-]\d)/y,
};
const PLUS_PHONE = /\+\d(?:[ .()-]{0,2}\d){7,14}(?!\w)/y;
const PAREN_PHONE = /\([2-9]\d{2}\) ?\d{3}[-. ]\d{4}(?!\w)/y;
const EMAIL_DOMAIN = /@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![A-Za-z0-9-])/y;
const EMAIL_LOCAL_BACK = /[A-Za-z0-9._%+-]{1,64}$/;
const IBAN =
  /[A-Z]{2}\d{2}(?:[A-Z0-9]{4})*(?:[A-Z0-9]{1,4}|(?: [A-Z0-9]{4})*(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/y;

/** IBAN at `start`: compact or grouped by four, trailing groups dropped until the checksum holds. */
function ibanAt(text, start) {
  if (start > 0 && WORD.test(text[start - 1])) return null;
  const m = at(IBAN, text, start);
  if (!m) return null;
  let candidate = m[0];
  for (;;) {
    const compact = candidate.replace(/ /g, '');
    if (compact.length >= 15 && compact.length <= 34 && ibanOk(candidate))
      return { kind: 'iban', start, end: start + candidate.length };
    const space = candidate.lastIndexOf(' ');
    if (space <= 4) return null;
    candidate = candidate.slice(0, space);
  }
}
const AWS_KEY = /(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9])/y;
const AWS_SECRET = /[:=][ \t"']{0,3}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/y;
const JWT = /eyJ[\w-]{7,}\.eyJ[\w-]{7,}\.[\w-]*/y;
const PRIVATE_KEY =
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|(?=\0)|$)/y;
const V6_RUN_BACK = /[0-9A-Fa-f:]{0,39}$/;
const V6_RUN = /[0-9A-Fa-f:]+(?:\.\d+){0,3}/y;

const ANCHORS = /\d|[@:=+(]|(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)|eyJ|-----BEGIN /g;
const WORD = /[A-Za-z0-9_]/;

function at(re, text, pos) {
  re.lastIndex = pos;
  const m = re.exec(text);
  return m ? m : null;
}

/** Anchor-driven scan. */
export function scanAnchored(text) {
  const out = [];
  let floor = 0;
  ANCHORS.lastIndex = 0;
  for (let m = ANCHORS.exec(text); m !== null; m = ANCHORS.exec(text)) {
    const i = m.index;
    if (i < floor) {
      ANCHORS.lastIndex = floor;
      continue;
    }
    const hit = detect(text, i, m[0], floor);
    if (hit) {
      out.push(hit);
      floor = hit.end;
      ANCHORS.lastIndex = hit.end;
    } else if (m[0].length === 1 && /\d/.test(m[0])) {
      // Skip the rest of a number or word, as the Rust scanner does.
      let j = i + 1;
      while (j < text.length && WORD.test(text[j])) j++;
      ANCHORS.lastIndex = j;
    }
  }
  return out;
}

function detect(text, i, anchor, floor) {
  const c = anchor[0];
  if (c >= '0' && c <= '9') {
    const prev = text[i - 1];
    if (prev !== undefined && WORD.test(prev)) {
      if (i >= floor + 2 && /[A-Z]{2}$/.test(text.slice(i - 2, i))) {
        const iban = ibanAt(text, i - 2);
        if (iban) return iban;
      }
      return null;
    }
    let r = at(NUM.ipv4, text, i);
    if (r && ipv4Ok(r[0])) return { kind: 'ipv4', start: i, end: i + r[0].length };
    r = at(NUM.ssn, text, i);
    if (r && ssnOk(r[0])) return { kind: 'ssn', start: i, end: i + r[0].length };
    r = at(NUM.card, text, i);
    if (r && cardOk(r[0])) return { kind: 'credit_card', start: i, end: i + r[0].length };
    r = at(NUM.phone, text, i);
    if (r) return { kind: 'phone', start: i, end: i + r[0].length };
    return null;
  }
  switch (c) {
    case '@': {
      const local = EMAIL_LOCAL_BACK.exec(text.slice(Math.max(floor, i - 64), i));
      if (!local) return null;
      let start = i - local[0].length;
      while (start < i && (text[start] === '.' || text[start] === '-')) start++;
      if (start === i || text[i - 1] === '.') return null;
      const d = at(EMAIL_DOMAIN, text, i);
      return d ? { kind: 'email', start, end: i + d[0].length } : null;
    }
    case '+': {
      if (i > 0 && WORD.test(text[i - 1])) return null;
      const r = at(PLUS_PHONE, text, i);
      if (!r) return null;
      const digits = r[0].replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15 ? { kind: 'phone', start: i, end: i + r[0].length } : null;
    }
    case '(': {
      if (i > 0 && WORD.test(text[i - 1])) return null;
      const r = at(PAREN_PHONE, text, i);
      return r ? { kind: 'phone', start: i, end: i + r[0].length } : null;
    }
    case ':': {
      const back = V6_RUN_BACK.exec(text.slice(Math.max(floor, i - 39), i));
      const start = i - (back ? back[0].length : 0);
      const run = at(V6_RUN, text, start);
      if (run && run[0].split(':').length > 2 && !(start > 0 && /[\w.]/.test(text[start - 1]))) {
        let cand = run[0];
        if (cand.endsWith(':') && !cand.endsWith('::')) cand = cand.slice(0, -1);
        const after = text[start + cand.length];
        if (/[0-9a-fA-F]/.test(cand) && (after === undefined || !WORD.test(after)) && isIPv6(cand)) {
          return { kind: 'ipv6', start, end: start + cand.length };
        }
      }
      return awsSecret(text, i, floor);
    }
    case '=':
      return awsSecret(text, i, floor);
    case 'e': {
      if (i > 0 && /[\w.-]/.test(text[i - 1])) return null;
      const r = at(JWT, text, i);
      if (!r) return null;
      const [h, p] = r[0].split('.');
      return h.length >= 10 && p.length >= 10 ? { kind: 'jwt', start: i, end: i + r[0].length } : null;
    }
    case '-': {
      const r = at(PRIVATE_KEY, text, i);
      return r ? { kind: 'private_key', start: i, end: i + r[0].length } : null;
    }
    default: {
      if (i > 0 && WORD.test(text[i - 1])) return null;
      const r = at(AWS_KEY, text, i);
      return r ? { kind: 'aws_access_key', start: i, end: i + r[0].length } : null;
    }
  }
}

function awsSecret(text, i, floor) {
  const r = at(AWS_SECRET, text, i);
  if (!r) return null;
  let from = i;
  while (from > floor && i - from < 48 && text[from - 1] !== '\n' && text[from - 1] !== '\0') from--;
  const name = text.slice(from, i).toLowerCase();
  const aws = name.indexOf('aws');
  if (aws < 0 || (name.indexOf('secret', aws) < 0 && name.indexOf('access', aws) < 0)) return null;
  const start = i + r[0].length - 40;
  return { kind: 'aws_secret_key', start, end: start + 40 };
}

// The textbook single alternation: every detector in one regex, validated per match.
const ALTERNATION = new RegExp(
  [
    String.raw`(?<email>(?<![\w.%+-])[A-Za-z0-9._%+-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,}(?![A-Za-z0-9-]))`,
    String.raw`(?<pkey>-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$))`,
    String.raw`(?<jwt>(?<![\w.-])eyJ[\w-]{7,}\.eyJ[\w-]{7,}\.[\w-]*)`,
    '(?<aws>(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z0-9]{16}(?![A-Za-z0-9]))',
    String.raw`(?<awssecret>(?<=aws[\w .-]{0,20}(?:secret|access)[\w .-]{0,20}["']?\s*[:=][ \t"']{0,3})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=]))`,
    String.raw`(?<iban>(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{4})*(?:[A-Z0-9]{1,4}|(?: [A-Z0-9]{4})*(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9]))`,
    String.raw`(?<ipv6>(?<![\w.:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]))`,
    String.raw`(?<ipv4>(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d))`,
    String.raw`(?<ssn>(?<![\w-])\d{3}([- ])\d{2}\k<ssnsep>\d{4}(?![\w]|[.-]\d))`.replace(
      '([- ])',
      '(?<ssnsep>[- ])',
    ),
    String.raw`(?<card>(?<![\w])(?:\d{13,19}|\d{4}([ -])\d{4}\k<cs>\d{4}\k<cs>\d{1,4}(?:\k<cs>\d{1,4})?)(?![\w]))`.replace(
      '([ -])',
      '(?<cs>[ -])',
    ),
    String.raw`(?<phone>(?<![\w])(?:\+\d(?:[ .()-]{0,2}\d){7,14}|\([2-9]\d{2}\) ?\d{3}[-. ]\d{4}|(?:1[-. ])?[2-9]\d{2}([-. ])\d{3}\k<ps>\d{4})(?![\w]))`.replace(
      '([-. ])',
      '(?<ps>[-. ])',
    ),
  ].join('|'),
  'g',
);

const VALIDATE = {
  email: () => true,
  pkey: () => true,
  jwt: () => true,
  aws: () => true,
  awssecret: () => true,
  iban: (s) => ibanAt(s, 0) !== null,
  ipv6: (s) => /[0-9a-fA-F]/.test(s) && isIPv6(s),
  ipv4: ipv4Ok,
  ssn: ssnOk,
  card: cardOk,
  phone: () => true,
};
const KIND = {
  email: 'email',
  pkey: 'private_key',
  jwt: 'jwt',
  aws: 'aws_access_key',
  awssecret: 'aws_secret_key',
  iban: 'iban',
  ipv6: 'ipv6',
  ipv4: 'ipv4',
  ssn: 'ssn',
  card: 'credit_card',
  phone: 'phone',
};
const GROUPS = Object.keys(VALIDATE);

/** Single-alternation scan. */
export function scanAlternation(text) {
  const out = [];
  ALTERNATION.lastIndex = 0;
  for (let m = ALTERNATION.exec(text); m !== null; m = ALTERNATION.exec(text)) {
    const g = m.groups;
    for (const name of GROUPS) {
      const v = g[name];
      if (v !== undefined) {
        if (VALIDATE[name](v)) out.push({ kind: KIND[name], start: m.index, end: m.index + v.length });
        break;
      }
    }
  }
  return out;
}

/** Findings per kind. */
export function countKinds(findings) {
  const counts = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return counts;
}
