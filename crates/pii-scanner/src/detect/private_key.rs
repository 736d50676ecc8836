//! PEM private key blocks: `-----BEGIN <…>PRIVATE KEY-----` through the matching END line (or, when
//! the END line is missing, through the base64 body that follows).

use memchr::{memchr, memmem};

use crate::kind::PiiKind;

/// Longest block considered (bigger "keys" are not keys).
const MAX_BLOCK: usize = 64 * 1024;

/// Recognises a private key block starting at the `-` at `pos`; never extends past a NUL (the
/// boundary between joined texts).
pub fn private_key_at(text: &[u8], pos: usize) -> Option<(usize, usize, PiiKind)> {
    // Every search is bounded by MAX_BLOCK, so each BEGIN line costs at most that much whatever the
    // size of the payload.
    let t = &text[pos..text.len().min(pos + MAX_BLOCK)];
    if !t.starts_with(b"-----BEGIN ") {
        return None;
    }
    let label_end = memmem::find(&t[11..t.len().min(80)], b"-----")? + 11;
    if !t[11..label_end].ends_with(b"PRIVATE KEY") || memchr(0, &t[..label_end]).is_some() {
        return None;
    }
    let body = label_end + 5;
    if let Some(end) = memmem::find(&t[body..], b"-----END ") {
        let close = body + end + 9;
        if let Some(tail) = memmem::find(&t[close..t.len().min(close + 80)], b"-----") {
            let block_end = close + tail + 5;
            // An END line after a NUL belongs to another text: fall through to the body rule.
            if memchr(0, &t[..block_end]).is_none() {
                return Some((pos, pos + block_end, PiiKind::PrivateKey));
            }
        }
    }
    // No END line: the base64 body (NUL, like any other non-base64 byte, ends it).
    let mut i = body;
    while i < t.len()
        && (t[i].is_ascii_alphanumeric() || matches!(t[i], b'+' | b'/' | b'=' | b'\r' | b'\n'))
    {
        i += 1;
    }
    Some((pos, pos + i, PiiKind::PrivateKey))
}
