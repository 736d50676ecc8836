//! Digit-anchored detectors: SSN, credit card, phone and IPv4, decided from the shape of one
//! "number token" (digit groups joined by one repeated separator).

use crate::bytes::{word_at, word_before};
use crate::config::DetectorSet;
use crate::kind::PiiKind;
use crate::validate::luhn_ok;

/// Up to this many digit groups are considered.
const MAX_GROUPS: usize = 8;

/// Digit groups of a token: `(start, end)` of each group and the separator joining them.
struct Groups {
    spans: [(usize, usize); MAX_GROUPS],
    len: usize,
    sep: u8,
}

impl Groups {
    /// Length of each group (digits), without allocating.
    fn lens(&self) -> [usize; MAX_GROUPS] {
        let mut out = [0; MAX_GROUPS];
        for (slot, (s, e)) in out.iter_mut().zip(&self.spans[..self.len]) {
            *slot = e - s;
        }
        out
    }
}

/// Reads the token starting at digit `pos`: digit runs joined by the same separator (space, `-`
/// or `.`), each separator followed by a digit.
fn read_groups(text: &[u8], pos: usize) -> Groups {
    let mut g = Groups {
        spans: [(0, 0); MAX_GROUPS],
        len: 0,
        sep: 0,
    };
    let mut i = pos;
    loop {
        let start = i;
        while i < text.len() && text[i].is_ascii_digit() && i - start < 20 {
            i += 1;
        }
        g.spans[g.len] = (start, i);
        g.len += 1;
        if g.len == MAX_GROUPS || i + 1 >= text.len() {
            break;
        }
        let sep = text[i];
        let joins = matches!(sep, b' ' | b'-' | b'.') && text[i + 1].is_ascii_digit();
        if !joins || (g.sep != 0 && sep != g.sep) {
            break;
        }
        g.sep = sep;
        i += 1;
    }
    g
}

/// The end of the token that starts at `pos` (where the scanner resumes after a miss).
pub fn token_end(text: &[u8], pos: usize) -> usize {
    let g = read_groups(text, pos);
    g.spans[g.len - 1].1.max(pos + 1)
}

/// Classifies the number token at digit `pos` (word start checked by the caller).
pub fn numeric_at(text: &[u8], pos: usize, set: DetectorSet) -> Option<(usize, usize, PiiKind)> {
    let g = read_groups(text, pos);
    let lens = g.lens();
    // Whole token first, then shorter prefixes ("4111 1111 1111 1111 2024": the card is a prefix).
    for k in (1..=g.len).rev() {
        let end = g.spans[k - 1].1;
        if word_at(text, end) {
            continue;
        }
        // A token like "1.2.3.4.5" is a version number, not an IP followed by ".5".
        if end < text.len()
            && text[end] == b'.'
            && end + 1 < text.len()
            && text[end + 1].is_ascii_digit()
        {
            continue;
        }
        if let Some(kind) = classify(text, &g, &lens[..k], set) {
            return Some((pos, end, kind));
        }
    }
    None
}

fn classify(text: &[u8], g: &Groups, lens: &[usize], set: DetectorSet) -> Option<PiiKind> {
    let k = lens.len();
    let span = &text[g.spans[0].0..g.spans[k - 1].1];
    if set.contains(PiiKind::Ipv4) && g.sep == b'.' && k == 4 && ipv4_ok(text, g) {
        return Some(PiiKind::Ipv4);
    }
    if set.contains(PiiKind::Ssn)
        && k == 3
        && lens == [3, 2, 4]
        && matches!(g.sep, b'-' | b' ')
        && ssn_ok(span)
    {
        return Some(PiiKind::Ssn);
    }
    if set.contains(PiiKind::CreditCard) && card_shape(lens, g.sep) && card_ok(span) {
        return Some(PiiKind::CreditCard);
    }
    if set.contains(PiiKind::Phone) && phone_shape(lens, g.sep, span) {
        return Some(PiiKind::Phone);
    }
    None
}

fn ipv4_ok(text: &[u8], g: &Groups) -> bool {
    g.spans[..4].iter().all(|&(s, e)| {
        let octet = &text[s..e];
        (1..=3).contains(&octet.len())
            && !(octet.len() > 1 && octet[0] == b'0')
            && octet
                .iter()
                .fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'))
                <= 255
    })
}

/// US SSN rules: area not 000, 666 or 9xx; group not 00; serial not 0000.
fn ssn_ok(span: &[u8]) -> bool {
    let d: Vec<u8> = span.iter().copied().filter(u8::is_ascii_digit).collect();
    let area = &d[0..3];
    area != b"000" && area != b"666" && area[0] != b'9' && &d[3..5] != b"00" && &d[5..9] != b"0000"
}

/// Card layouts: 13–19 contiguous digits, or groups of four (last group 1–4), or 4-6-5 / 4-6-4.
fn card_shape(lens: &[usize], sep: u8) -> bool {
    let total: usize = lens.iter().sum();
    if !(13..=19).contains(&total) {
        return false;
    }
    match lens.len() {
        1 => true,
        _ if sep != b' ' && sep != b'-' => false,
        3 if lens == [4, 6, 5] || lens == [4, 6, 4] => true,
        n => lens[..n - 1].iter().all(|l| *l == 4) && (1..=4).contains(&lens[n - 1]),
    }
}

/// Luhn-valid with a known issuer prefix (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro).
fn card_ok(span: &[u8]) -> bool {
    if !luhn_ok(span) {
        return false;
    }
    let d: Vec<u8> = span.iter().copied().filter(u8::is_ascii_digit).collect();
    let prefix = |n: usize| {
        d[..n]
            .iter()
            .fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'))
    };
    let len = d.len();
    match d[0] {
        b'4' => matches!(len, 13 | 16 | 19),
        b'5' => (51..=55).contains(&prefix(2)) || matches!(prefix(2), 50 | 56..=58),
        b'2' => (2221..=2720).contains(&prefix(4)),
        b'3' => {
            matches!(prefix(2), 34 | 37 | 36 | 38 | 39)
                || (3528..=3589).contains(&prefix(4))
                || (300..=305).contains(&prefix(3))
        }
        b'6' => {
            prefix(4) == 6011
                || prefix(2) == 65
                || (644..=649).contains(&prefix(3))
                || prefix(2) == 62
                || prefix(2) == 67
        }
        _ => false,
    }
}

/// North American numbers without `+`: 3-3-4 (optionally 1-3-3-4) with one separator, area code
/// not starting with 0 or 1.
fn phone_shape(lens: &[usize], sep: u8, span: &[u8]) -> bool {
    if !matches!(sep, b'-' | b'.' | b' ') {
        return false;
    }
    let area_at = match lens {
        [3, 3, 4] => 0,
        [1, 3, 3, 4] if span[0] == b'1' => 2,
        _ => return false,
    };
    matches!(span[area_at], b'2'..=b'9')
}

/// `+` phone numbers (E.164-like): `+`, then 8–15 digits in groups separated by spaces, `-`, `.`
/// or a parenthesised area code. `pos` is the `+`.
pub fn plus_phone_at(text: &[u8], pos: usize) -> Option<(usize, usize, PiiKind)> {
    if word_before(text, pos) {
        return None;
    }
    let mut i = pos + 1;
    let mut digits = 0;
    let mut last_digit_end = 0;
    while i < text.len() {
        let b = text[i];
        if b.is_ascii_digit() {
            digits += 1;
            i += 1;
            last_digit_end = i;
        } else if joins_phone_group(text, i) {
            i += 1;
        } else {
            break;
        }
        if digits > 15 {
            return None;
        }
    }
    if !(8..=15).contains(&digits) || text.get(pos + 1).map_or(true, |b| !b.is_ascii_digit()) {
        return None;
    }
    if word_at(text, last_digit_end) {
        return None;
    }
    Some((pos, last_digit_end, PiiKind::Phone))
}

/// Whether the separator at `i` continues a `+` number: space, `-`, `.` or a parenthesis before a
/// digit or `(`, or `)` before a space (`+1 (555) 123`).
fn joins_phone_group(text: &[u8], i: usize) -> bool {
    let Some(&next) = text.get(i + 1) else {
        return false;
    };
    match text[i] {
        b' ' | b'-' | b'.' | b'(' => next.is_ascii_digit() || next == b'(',
        b')' => next.is_ascii_digit() || next == b' ',
        _ => false,
    }
}

/// `(555) 123-4567` style numbers; `pos` is the `(`.
pub fn paren_phone_at(text: &[u8], pos: usize) -> Option<(usize, usize, PiiKind)> {
    if word_before(text, pos) {
        return None;
    }
    let t = &text[pos..];
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if t.len() < 13 || !digits(&t[1..4]) || t[4] != b')' || !matches!(t[1], b'2'..=b'9') {
        return None;
    }
    let mut i = 5;
    if t[i] == b' ' {
        i += 1;
    }
    if t.len() < i + 8
        || !digits(&t[i..i + 3])
        || !matches!(t[i + 3], b'-' | b'.' | b' ')
        || !digits(&t[i + 4..i + 8])
    {
        return None;
    }
    let end = pos + i + 8;
    if word_at(text, end) {
        return None;
    }
    Some((pos, end, PiiKind::Phone))
}
