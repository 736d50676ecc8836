//! JSON Web Tokens: `eyJ…` (a JSON header), `.`, `eyJ…` (a JSON payload), `.`, signature.

use crate::bytes::is_base64url;
use crate::kind::PiiKind;

/// Recognises a JWT starting at `start` (the `e` of `eyJ`).
pub fn jwt_at(text: &[u8], start: usize) -> Option<(usize, usize, PiiKind)> {
    if !text[start..].starts_with(b"eyJ")
        || (start > 0 && (is_base64url(text[start - 1]) || text[start - 1] == b'.'))
    {
        return None;
    }
    let segment = |from: usize| {
        let mut i = from;
        while i < text.len() && is_base64url(text[i]) {
            i += 1;
        }
        i
    };
    let header_end = segment(start);
    if header_end - start < 10 || text.get(header_end) != Some(&b'.') {
        return None;
    }
    let payload = header_end + 1;
    if !text[payload..].starts_with(b"eyJ") {
        return None;
    }
    let payload_end = segment(payload);
    if payload_end - payload < 10 || text.get(payload_end) != Some(&b'.') {
        return None;
    }
    // The signature may be empty (unsecured JWT, `alg: none`).
    let end = segment(payload_end + 1);
    Some((start, end, PiiKind::Jwt))
}
