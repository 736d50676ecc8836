//! IPv6 addresses, anchored on `:`: the surrounding run of hex digits, colons (and dots, for an
//! embedded IPv4 tail) is parsed by the standard library, so only real addresses match.

use std::net::Ipv6Addr;

use crate::bytes::is_word;
use crate::kind::PiiKind;

fn is_v6(b: u8) -> bool {
    b.is_ascii_hexdigit() || b == b':'
}

/// Recognises an address around the `:` at `pos`; never starts before `floor`. Returns the span
/// and, on a miss, where the run ended (so the scanner skips it in one step).
pub fn ipv6_at(text: &[u8], pos: usize, floor: usize) -> Result<(usize, usize, PiiKind), usize> {
    let mut start = pos;
    while start > floor && pos - start < 39 && is_v6(text[start - 1]) {
        start -= 1;
    }
    let mut end = pos;
    while end < text.len()
        && end - start < 45
        && (is_v6(text[end])
            || (text[end] == b'.' && end + 1 < text.len() && text[end + 1].is_ascii_digit()))
    {
        end += 1;
    }
    let miss = end.max(pos + 1);
    if end - start < 3 || (start > 0 && (is_word(text[start - 1]) || text[start - 1] == b'.')) {
        return Err(miss);
    }
    // A trailing single colon is punctuation ("address fe80::1: ok").
    let mut candidate_end = end;
    if text[candidate_end - 1] == b':' && !(candidate_end >= 2 && text[candidate_end - 2] == b':') {
        candidate_end -= 1;
    }
    if candidate_end < text.len() && is_word(text[candidate_end]) {
        return Err(miss);
    }
    let candidate = &text[start..candidate_end];
    let colons = candidate.iter().filter(|b| **b == b':').count();
    if colons < 2 || !candidate.iter().any(u8::is_ascii_hexdigit) {
        return Err(miss);
    }
    let parsed = std::str::from_utf8(candidate)
        .ok()
        .and_then(|s| s.parse::<Ipv6Addr>().ok());
    match parsed {
        Some(_) => Ok((start, candidate_end, PiiKind::Ipv6)),
        None => Err(miss),
    }
}
