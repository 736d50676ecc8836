//! The trigger table and the hot loop that skips bytes no detector can start on.
//!
//! On x86-64 the loop classifies 16 bytes per step with SSE2 (part of the x86-64 baseline, so no
//! runtime detection is needed) against the bytes the PII detectors anchor on — digits and
//! `: @ A J - + ( =` — and checks each candidate against the exact table (which holds only the
//! triggers of the enabled detectors). Elsewhere, or when a table holds other bytes (the secrets
//! scanner's `_`), it uses an eight-bytes-per-step table loop.

/// Bytes the SSE2 classifier recognises; a table with only these can use it.
const SIMD_SET: &[u8] = b"0123456789:@AJ-+(=";

/// The bytes that can start an enabled detector.
#[derive(Clone)]
pub struct Triggers {
    table: [bool; 256],
    simd: bool,
}

impl Triggers {
    /// Triggers on `bytes`.
    pub fn new(bytes: impl IntoIterator<Item = u8>) -> Self {
        let mut table = [false; 256];
        for b in bytes {
            table[b as usize] = true;
        }
        let simd = cfg!(target_arch = "x86_64")
            && (0..=255u8).all(|b| !table[b as usize] || SIMD_SET.contains(&b));
        Self { table, simd }
    }

    /// Whether `b` is a trigger.
    #[inline]
    pub fn is_trigger(&self, b: u8) -> bool {
        self.table[b as usize]
    }
}

/// Advances from `i` to the next trigger byte (or the end of `text`).
#[inline]
pub fn skip_quiet(text: &[u8], i: usize, triggers: &Triggers) -> usize {
    #[cfg(target_arch = "x86_64")]
    if triggers.simd {
        return sse2::skip(text, i, &triggers.table);
    }
    skip_table(text, i, &triggers.table)
}

/// Portable loop: eight bytes per step, one OR of eight table lookups (branch-predictable).
#[inline]
fn skip_table(text: &[u8], mut i: usize, t: &[bool; 256]) -> usize {
    let n = text.len();
    while i + 8 <= n {
        let c = &text[i..i + 8];
        let any = t[c[0] as usize]
            | t[c[1] as usize]
            | t[c[2] as usize]
            | t[c[3] as usize]
            | t[c[4] as usize]
            | t[c[5] as usize]
            | t[c[6] as usize]
            | t[c[7] as usize];
        if any {
            break;
        }
        i += 8;
    }
    while i < n && !t[text[i] as usize] {
        i += 1;
    }
    i
}

#[cfg(target_arch = "x86_64")]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8, _mm_sub_epi8,
    };

    /// Bit `k` set when byte `k` of the 16 at `chunk` is in `SIMD_SET`.
    #[inline]
    fn candidates(chunk: &[u8]) -> u32 {
        debug_assert!(chunk.len() >= 16);
        // SAFETY: SSE2 is part of the x86-64 baseline; the load is unaligned and reads exactly the
        // 16 bytes the caller guarantees are in bounds.
        unsafe {
            let v = _mm_loadu_si128(chunk.as_ptr() as *const __m128i);
            // '0'..=':' (digits and colon) as one unsigned range: (v - '0') <= 10.
            let offset = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
            let range = _mm_cmpeq_epi8(_mm_min_epu8(offset, _mm_set1_epi8(10)), offset);
            let eq = |c: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(c as i8));
            let m = _mm_or_si128(
                _mm_or_si128(
                    _mm_or_si128(range, eq(b'@')),
                    _mm_or_si128(eq(b'A'), eq(b'J')),
                ),
                _mm_or_si128(
                    _mm_or_si128(eq(b'-'), eq(b'+')),
                    _mm_or_si128(eq(b'('), eq(b'=')),
                ),
            );
            _mm_movemask_epi8(m) as u32
        }
    }

    /// Next trigger at or after `i`, 16 bytes per step.
    #[inline]
    pub fn skip(text: &[u8], mut i: usize, table: &[bool; 256]) -> usize {
        let n = text.len();
        while i + 16 <= n {
            let mut mask = candidates(&text[i..i + 16]);
            while mask != 0 {
                let k = mask.trailing_zeros() as usize;
                if table[text[i + k] as usize] {
                    return i + k;
                }
                mask &= mask - 1;
            }
            i += 16;
        }
        while i < n && !table[text[i] as usize] {
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stops(text: &[u8], triggers: &Triggers) -> Vec<usize> {
        let mut i = 0;
        let mut out = Vec::new();
        while i < text.len() {
            i = skip_quiet(text, i, triggers);
            if i < text.len() {
                out.push(i);
                i += 1;
            }
        }
        out
    }

    #[test]
    fn skip_quiet_stops_exactly_at_triggers() {
        let triggers = Triggers::new(b"0123456789@:-AJ".iter().copied());
        let text = b"plain lower case text, with commas. and dots... then a digit 7 here @ end";
        let found: Vec<u8> = stops(text, &triggers)
            .into_iter()
            .map(|i| text[i])
            .collect();
        assert_eq!(found, b"7@");
        assert!(triggers.is_trigger(b'A') && !triggers.is_trigger(b'a'));
        assert_eq!(skip_quiet("xxxxxxxxxxé".as_bytes(), 0, &triggers), 12);
    }

    #[test]
    fn simd_and_table_loops_agree_on_every_byte_value() {
        // Every byte value at every lane position, with a subset table (disabled detectors).
        let mut text = Vec::new();
        for b in 0..=255u8 {
            text.extend_from_slice(b"abcdefghijklmno");
            text.push(b);
        }
        for set in [&b"0123456789:@AJ-+(="[..], b"@", b"0123456789", b"J-="] {
            let triggers = Triggers::new(set.iter().copied());
            let mut expected = Vec::new();
            let mut i = 0;
            while i < text.len() {
                i = skip_table(&text, i, &triggers.table);
                if i < text.len() {
                    expected.push(i);
                    i += 1;
                }
            }
            assert_eq!(
                stops(&text, &triggers),
                expected,
                "set {:?}",
                String::from_utf8_lossy(set)
            );
            assert_eq!(expected.len(), set.len());
        }
        assert!(!Triggers::new(b"_A".iter().copied()).simd);
    }
}
