//! IBANs: two letters, two check digits, 11–30 letters/digits (optionally in groups of four
//! separated by single spaces), validated by the mod-97 checksum.

use crate::bytes::{is_alnum, word_before};
use crate::kind::PiiKind;
use crate::validate::iban_checksum_ok;

/// Recognises an IBAN starting at `start` (the country code; the caller saw a digit at
/// `start + 2` preceded by two upper-case letters).
pub fn iban_at(text: &[u8], start: usize) -> Option<(usize, usize, PiiKind)> {
    let t = &text[start..];
    if t.len() < 15
        || !t[0].is_ascii_uppercase()
        || !t[1].is_ascii_uppercase()
        || !t[2].is_ascii_digit()
        || !t[3].is_ascii_digit()
        || word_before(text, start)
    {
        return None;
    }
    // Compact form: one alphanumeric run; grouped form: groups of 4 separated by one space.
    let mut i = 4;
    let mut chars = 4;
    let mut group = 4;
    while i < t.len() && chars < 34 {
        let b = t[i];
        if b.is_ascii_uppercase() || b.is_ascii_digit() {
            chars += 1;
            group += 1;
            i += 1;
        } else if b == b' '
            && group % 4 == 0
            && i + 1 < t.len()
            && (t[i + 1].is_ascii_uppercase() || t[i + 1].is_ascii_digit())
        {
            group = 0;
            i += 1;
        } else {
            break;
        }
    }
    if i < t.len() && is_alnum(t[i]) {
        return None;
    }
    // Trailing groups that break the checksum (e.g. a following number) are dropped one by one.
    let mut end = i;
    loop {
        let candidate = &t[..end];
        let len = candidate.iter().filter(|b| **b != b' ').count();
        if (15..=34).contains(&len) && iban_checksum_ok(candidate) {
            return Some((start, start + end, PiiKind::Iban));
        }
        match candidate.iter().rposition(|b| *b == b' ') {
            Some(space) if space > 4 => end = space,
            _ => return None,
        }
    }
}
