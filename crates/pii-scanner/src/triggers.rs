//! The trigger table and the hot loop that skips bytes no detector can start on.

/// The bytes that can start an enabled detector.
#[derive(Clone)]
pub struct Triggers {
    table: [bool; 256],
}

impl Triggers {
    /// Triggers on `bytes`.
    pub fn new(bytes: impl IntoIterator<Item = u8>) -> Self {
        let mut table = [false; 256];
        for b in bytes {
            table[b as usize] = true;
        }
        Self { table }
    }

    /// Whether `b` is a trigger.
    #[inline]
    pub fn is_trigger(&self, b: u8) -> bool {
        self.table[b as usize]
    }
}

/// Advances from `i` to the next trigger byte (or the end of `text`), eight bytes per step: one
/// OR of eight table lookups keeps the branch predictable on ordinary text. (A SWAR range
/// pre-test was tried and measured no faster on realistic text: punctuation, digits and capitals
/// fall in the trigger range too often.)
#[inline]
pub fn skip_quiet(text: &[u8], mut i: usize, triggers: &Triggers) -> usize {
    let n = text.len();
    let t = &triggers.table;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skip_quiet_stops_exactly_at_triggers() {
        let triggers = Triggers::new(b"0123456789@:-AJ".iter().copied());
        let text = b"plain lower case text, with commas. and dots... then a digit 7 here @ end";
        let mut i = 0;
        let mut stops = Vec::new();
        while i < text.len() {
            i = skip_quiet(text, i, &triggers);
            if i < text.len() {
                stops.push(text[i]);
                i += 1;
            }
        }
        assert_eq!(stops, b"7@");
        assert!(triggers.is_trigger(b'A') && !triggers.is_trigger(b'a'));
        assert_eq!(skip_quiet("xxxxxxxxxxé".as_bytes(), 0, &triggers), 12);
    }
}
