//! Byte classes used by the detectors (ASCII only: every detector's syntax is ASCII).

/// Whether `b` is an ASCII letter or digit.
#[inline]
pub fn is_alnum(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Whether the byte before `pos` (if any) is a word character, i.e. `pos` is not a word start.
#[inline]
pub fn word_before(text: &[u8], pos: usize) -> bool {
    pos > 0 && is_word(text[pos - 1])
}

/// Whether the byte at `pos` (if any) is a word character, i.e. `pos` is not a word end.
#[inline]
pub fn word_at(text: &[u8], pos: usize) -> bool {
    pos < text.len() && is_word(text[pos])
}

/// Letters, digits and `_`.
#[inline]
pub fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Counts bytes from `pos` while `pred` holds (at most `max`).
#[inline]
pub fn run_len(text: &[u8], pos: usize, max: usize, pred: impl Fn(u8) -> bool) -> usize {
    let end = text.len().min(pos.saturating_add(max));
    let mut i = pos;
    while i < end && pred(text[i]) {
        i += 1;
    }
    i - pos
}

/// Base64url alphabet (JWT segments).
#[inline]
pub fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}
