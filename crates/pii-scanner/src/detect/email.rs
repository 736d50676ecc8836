//! E-mail addresses, anchored on `@`: the local part is read backwards, the domain forwards.

use crate::kind::PiiKind;

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_label(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-'
}

/// Recognises an address around the `@` at `at`; the local part never starts before `floor`.
pub fn email_at(text: &[u8], at: usize, floor: usize) -> Option<(usize, usize, PiiKind)> {
    let mut start = at;
    while start > floor && at - start < 64 && is_local(text[start - 1]) {
        start -= 1;
    }
    // Leading dots and dashes are punctuation of the sentence, not part of the address.
    while start < at && matches!(text[start], b'.' | b'-') {
        start += 1;
    }
    if start == at || text[at - 1] == b'.' {
        return None;
    }
    let mut i = at + 1;
    let mut labels = 0;
    let mut last_label: (usize, usize);
    loop {
        let label_start = i;
        while i < text.len() && i - at <= 253 && is_label(text[i]) {
            i += 1;
        }
        if i == label_start || text[label_start] == b'-' || text[i - 1] == b'-' {
            return None;
        }
        labels += 1;
        last_label = (label_start, i);
        if i + 1 < text.len() && text[i] == b'.' && is_label(text[i + 1]) {
            i += 1;
            continue;
        }
        break;
    }
    let tld = &text[last_label.0..last_label.1];
    if labels < 2 || tld.len() < 2 || !tld.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    Some((start, i, PiiKind::Email))
}
