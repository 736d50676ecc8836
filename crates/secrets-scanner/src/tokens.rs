//! Prefix-token detectors (GitHub, Stripe, Slack, Google) and assignment / shape detectors.

use crate::kind::SecretKind;

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn run(text: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    let mut i = from;
    while i < text.len() && pred(text[i]) {
        i += 1;
    }
    i
}

/// GitHub (`ghp_` + 36 alphanumerics, `github_pat_` + 20+) and Stripe (`sk_live_` + 16+)
/// tokens, anchored on the first `_` at `pos`.
pub fn underscore_token_at(
    text: &[u8],
    pos: usize,
    floor: usize,
) -> Option<(usize, usize, SecretKind)> {
    let before = |n: usize| (pos >= floor + n).then(|| &text[pos - n..pos]);
    let starts_word = |start: usize| start == 0 || !is_word(text[start - 1]);
    if let Some(p) = before(3) {
        if matches!(p, b"ghp" | b"gho" | b"ghu" | b"ghs" | b"ghr") && starts_word(pos - 3) {
            let end = run(text, pos + 1, |b| b.is_ascii_alphanumeric());
            if end - pos - 1 == 36 && !(end < text.len() && is_word(text[end])) {
                return Some((pos - 3, end, SecretKind::GithubToken));
            }
        }
    }
    if before(6) == Some(b"github") && text[pos..].starts_with(b"_pat_") && starts_word(pos - 6) {
        let end = run(text, pos + 5, is_word);
        if end - pos - 5 >= 20 {
            return Some((pos - 6, end, SecretKind::GithubToken));
        }
    }
    if let Some(p) = before(2) {
        let rest = &text[pos..];
        if matches!(p, b"sk" | b"rk")
            && (rest.starts_with(b"_live_") || rest.starts_with(b"_test_"))
            && starts_word(pos - 2)
        {
            let end = run(text, pos + 6, |b| b.is_ascii_alphanumeric());
            if end - pos - 6 >= 16 && !(end < text.len() && is_word(text[end])) {
                return Some((pos - 2, end, SecretKind::StripeSecretKey));
            }
        }
    }
    None
}

/// Slack tokens `xox[abpqr]-` + 10..=80 of `[0-9A-Za-z-]`, anchored on the `-` at `pos`.
pub fn slack_token_at(text: &[u8], pos: usize, floor: usize) -> Option<(usize, usize, SecretKind)> {
    if pos < floor + 4
        || &text[pos - 4..pos - 1] != b"xox"
        || !matches!(text[pos - 1], b'a' | b'b' | b'p' | b'q' | b'r')
    {
        return None;
    }
    let start = pos - 4;
    if start > 0 && is_word(text[start - 1]) {
        return None;
    }
    let end = run(text, pos + 1, |b| b.is_ascii_alphanumeric() || b == b'-');
    let len = end - pos - 1;
    if !(10..=80).contains(&len) || (end < text.len() && is_word(text[end])) {
        return None;
    }
    Some((start, end, SecretKind::SlackToken))
}

/// Google API keys: `AIza` + 35 of `[0-9A-Za-z_-]`, at the `A` at `pos`.
pub fn google_key_at(text: &[u8], pos: usize) -> Option<(usize, usize, SecretKind)> {
    if !text[pos..].starts_with(b"AIza") || (pos > 0 && is_word(text[pos - 1])) {
        return None;
    }
    let end = run(text, pos + 4, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    });
    if end - pos - 4 != 35 {
        return None;
    }
    Some((pos, end, SecretKind::GoogleApiKey))
}

const KEY_NAMES: [&[u8]; 10] = [
    b"x-api-key",
    b"x_api_key",
    b"api_key",
    b"api-key",
    b"apikey",
    b"api_token",
    b"api-token",
    b"access_token",
    b"bearer_token",
    b"auth_token",
];

/// `api_key = "<20+ chars>"` style assignments, anchored on the `:` or `=` at `pos`.
pub fn assignment_at(text: &[u8], pos: usize, floor: usize) -> Option<(usize, usize, SecretKind)> {
    // Key name: the word (with quotes/spaces trimmed) right before the separator.
    let mut k_end = pos;
    while k_end > floor && matches!(text[k_end - 1], b' ' | b'\t' | b'"' | b'\'') {
        k_end -= 1;
    }
    let mut k_start = k_end;
    while k_start > floor
        && k_end - k_start < 16
        && (is_word(text[k_start - 1]) || text[k_start - 1] == b'-')
    {
        k_start -= 1;
    }
    let key: Vec<u8> = text[k_start..k_end]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    if !KEY_NAMES.contains(&key.as_slice()) {
        return None;
    }
    let mut v = pos + 1;
    while v < text.len() && matches!(text[v], b' ' | b'\t' | b'"' | b'\'') && v - pos < 4 {
        v += 1;
    }
    let end = run(text, v, |b| {
        b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
    });
    if end - v < 20 {
        return None;
    }
    Some((v, end, SecretKind::GenericApiKeyAssignment))
}

/// Broad shapes at a word start `pos`: 32+ hex digits, or 24+ base64 characters (with padding).
pub fn broad_at(
    text: &[u8],
    pos: usize,
    hex: bool,
    base64: bool,
) -> Option<(usize, usize, SecretKind)> {
    if pos > 0 && (text[pos - 1].is_ascii_alphanumeric() || matches!(text[pos - 1], b'+' | b'/')) {
        return None;
    }
    if hex {
        let end = run(text, pos, |b| b.is_ascii_hexdigit());
        if end - pos >= 32 && !(end < text.len() && is_word(text[end])) {
            return Some((pos, end, SecretKind::HexSecret32));
        }
    }
    if base64 {
        let body = run(text, pos, |b| {
            b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
        });
        let end = run(text, body, |b| b == b'=').min(body + 2);
        // Require a mix of cases or digits: plain words of 24+ letters are not secrets.
        let sample = &text[pos..body];
        let mixed = sample.iter().any(u8::is_ascii_digit) as u8
            + sample.iter().any(u8::is_ascii_uppercase) as u8
            + sample.iter().any(u8::is_ascii_lowercase) as u8;
        if body - pos >= 24 && mixed >= 2 && !(end < text.len() && is_word(text[end])) {
            return Some((pos, end, SecretKind::Base64_24));
        }
    }
    None
}
