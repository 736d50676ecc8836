//! AWS credentials: access key ids (`AKIA…`, `ASIA…` + 16 upper-case alphanumerics) and secret
//! access keys (40 base64 characters assigned to a key whose name mentions aws and secret/access).

use crate::bytes::{is_alnum, word_before};
use crate::kind::PiiKind;

const PREFIXES: [&[u8; 4]; 12] = [
    b"AKIA", b"ASIA", b"ABIA", b"ACCA", b"AGPA", b"AIDA", b"AIPA", b"ANPA", b"ANVA", b"APKA",
    b"AROA", b"ASCA",
];

/// Recognises an access key id starting at the `A` at `pos`.
pub fn access_key_at(text: &[u8], pos: usize) -> Option<(usize, usize, PiiKind)> {
    let t = &text[pos..];
    if t.len() < 20 || word_before(text, pos) || !PREFIXES.iter().any(|p| &t[..4] == *p) {
        return None;
    }
    if !t[4..20]
        .iter()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        || (t.len() > 20 && is_alnum(t[20]))
    {
        return None;
    }
    Some((pos, pos + 20, PiiKind::AwsAccessKey))
}

fn is_secret_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'/' || b == b'+'
}

/// Recognises a secret key assigned at the `:` or `=` at `pos` (`aws_secret_access_key = …`).
pub fn secret_key_at(text: &[u8], pos: usize, floor: usize) -> Option<(usize, usize, PiiKind)> {
    let mut i = pos + 1;
    while i < text.len() && matches!(text[i], b' ' | b'\t' | b'"' | b'\'') && i - pos < 4 {
        i += 1;
    }
    let start = i;
    while i < text.len() && is_secret_char(text[i]) && i - start <= 40 {
        i += 1;
    }
    if i - start != 40 || (i < text.len() && (is_secret_char(text[i]) || text[i] == b'=')) {
        return None;
    }
    // The key name: within 48 bytes before the separator, on the same line.
    let mut from = pos;
    while from > floor && pos - from < 48 && !matches!(text[from - 1], b'\n' | 0) {
        from -= 1;
    }
    let name: Vec<u8> = text[from..pos].iter().map(u8::to_ascii_lowercase).collect();
    let aws = find(&name, b"aws")?;
    let rest = &name[aws..];
    if find(rest, b"secret").is_none() && find(rest, b"access").is_none() {
        return None;
    }
    Some((start, i, PiiKind::AwsSecretKey))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
