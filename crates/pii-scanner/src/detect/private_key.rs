//! PEM private key blocks: `-----BEGIN <…>PRIVATE KEY-----` through the matching END line (or, when
//! the END line is missing, through the base64 body that follows).

use memchr::{memchr, memmem};

use crate::kind::PiiKind;

/// Longest block considered (bigger "keys" are not keys).
const MAX_BLOCK: usize = 64 * 1024;

/// Recognises a private key block starting at the `-` at `pos`; never extends past a NUL (the
/// boundary between joined texts).
pub fn private_key_at(text: &[u8], pos: usize) -> Option<(usize, usize, PiiKind)> {
    let t = &text[pos..];
    if !t.starts_with(b"-----BEGIN ") {
        return None;
    }
    // Bound every search by MAX_BLOCK: an unbounded NUL search would make each BEGIN line cost the
    // whole remaining text (quadratic on large payloads with many keys).
    let window = &t[..t.len().min(MAX_BLOCK)];
    let limit = memchr(0, window).unwrap_or(window.len());
    let t = &t[..limit];
    let label_end = memmem::find(&t[11..t.len().min(80)], b"-----")? + 11;
    if !t[11..label_end].ends_with(b"PRIVATE KEY") {
        return None;
    }
    let body = label_end + 5;
    if let Some(end) = memmem::find(&t[body..], b"-----END ") {
        let close = body + end + 9;
        if let Some(tail) = memmem::find(&t[close..t.len().min(close + 80)], b"-----") {
            return Some((pos, pos + close + tail + 5, PiiKind::PrivateKey));
        }
    }
    let mut i = body;
    while i < t.len()
        && (t[i].is_ascii_alphanumeric() || matches!(t[i], b'+' | b'/' | b'=' | b'\r' | b'\n'))
    {
        i += 1;
    }
    Some((pos, pos + i, PiiKind::PrivateKey))
}
