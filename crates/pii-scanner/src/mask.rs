//! Masking strategies applied to one finding.

use crate::config::MaskStrategy;
use crate::kind::PiiKind;
use crate::sha256::hex_prefix;

/// Inputs shared by every mask operation of a scanner.
pub struct MaskContext<'a> {
    pub redaction: &'a str,
    pub salt: &'a str,
}

/// Writes the masked form of `value` (a `kind` finding) to `out`.
pub fn mask_into(
    out: &mut String,
    kind: PiiKind,
    value: &str,
    strategy: MaskStrategy,
    cx: &MaskContext<'_>,
) {
    match strategy {
        MaskStrategy::Redact => out.push_str(cx.redaction),
        MaskStrategy::Remove => {}
        MaskStrategy::Hash => {
            out.push_str("[HASH:");
            out.push_str(&hex_prefix(&[cx.salt.as_bytes(), value.as_bytes()], 8));
            out.push(']');
        }
        MaskStrategy::Tokenize => {
            out.push_str("[TOKEN:");
            out.push_str(&hex_prefix(
                &[b"token\0", cx.salt.as_bytes(), value.as_bytes()],
                6,
            ));
            out.push(']');
        }
        MaskStrategy::Partial => partial_into(out, kind, value, cx),
    }
}

/// Keeps a recognisable fragment: the last four digits, an e-mail's domain, a key's prefix.
fn partial_into(out: &mut String, kind: PiiKind, value: &str, cx: &MaskContext<'_>) {
    match kind {
        PiiKind::Email => {
            let at = value.rfind('@').unwrap_or(0);
            out.push_str(&value[..value.chars().next().map_or(0, char::len_utf8).min(at)]);
            out.push_str("***");
            out.push_str(&value[at..]);
        }
        PiiKind::Ssn | PiiKind::CreditCard | PiiKind::Phone => keep_last_digits(out, value, 4),
        PiiKind::Iban => keep_ends(out, value, 4, 4),
        PiiKind::Ipv4 => {
            let last = value.rsplit('.').next().unwrap_or("");
            out.push_str("***.***.***.");
            out.push_str(last);
        }
        PiiKind::Ipv6 | PiiKind::AwsAccessKey => keep_ends(out, value, 4, 0),
        PiiKind::Custom(_) => keep_ends(out, value, 1, 1),
        PiiKind::AwsSecretKey | PiiKind::Jwt | PiiKind::PrivateKey => out.push_str(cx.redaction),
    }
}

/// Replaces every digit but the last `keep` with `*`, keeping separators.
fn keep_last_digits(out: &mut String, value: &str, keep: usize) {
    let total = value.bytes().filter(u8::is_ascii_digit).count();
    let mut seen = 0;
    for c in value.chars() {
        if c.is_ascii_digit() {
            seen += 1;
            out.push(if seen + keep > total { c } else { '*' });
        } else {
            out.push(c);
        }
    }
}

/// Keeps `head` leading and `tail` trailing characters, stars in between (all stars when short).
fn keep_ends(out: &mut String, value: &str, head: usize, tail: usize) {
    let chars: Vec<char> = value.chars().collect();
    if chars.len() <= head + tail + 2 {
        out.extend(std::iter::repeat('*').take(chars.len()));
        return;
    }
    out.extend(&chars[..head]);
    out.extend(chars[head..chars.len() - tail].iter().map(|c| {
        if c.is_whitespace() {
            *c
        } else {
            '*'
        }
    }));
    out.extend(&chars[chars.len() - tail..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(kind: PiiKind, value: &str, strategy: MaskStrategy) -> String {
        let mut out = String::new();
        mask_into(
            &mut out,
            kind,
            value,
            strategy,
            &MaskContext {
                redaction: "[REDACTED]",
                salt: "s",
            },
        );
        out
    }

    #[test]
    fn partial_keeps_a_recognisable_fragment() {
        assert_eq!(
            mask(PiiKind::Ssn, "123-45-6789", MaskStrategy::Partial),
            "***-**-6789"
        );
        assert_eq!(
            mask(
                PiiKind::CreditCard,
                "4111 1111 1111 1111",
                MaskStrategy::Partial
            ),
            "**** **** **** 1111"
        );
        assert_eq!(
            mask(
                PiiKind::Email,
                "jane.doe@example.com",
                MaskStrategy::Partial
            ),
            "j***@example.com"
        );
        assert_eq!(
            mask(PiiKind::Ipv4, "192.168.1.42", MaskStrategy::Partial),
            "***.***.***.42"
        );
        assert_eq!(
            mask(
                PiiKind::Iban,
                "GB82WEST12345698765432",
                MaskStrategy::Partial
            ),
            "GB82**************5432"
        );
        assert_eq!(
            mask(
                PiiKind::AwsAccessKey,
                "AKIAIOSFODNN7EXAMPLE",
                MaskStrategy::Partial
            ),
            "AKIA****************"
        );
        assert_eq!(
            mask(PiiKind::Jwt, "eyJ.eyJ.x", MaskStrategy::Partial),
            "[REDACTED]"
        );
    }

    #[test]
    fn hash_and_tokenize_are_stable_per_salt_and_differ() {
        let a = mask(PiiKind::Email, "a@b.co", MaskStrategy::Hash);
        assert_eq!(a, mask(PiiKind::Email, "a@b.co", MaskStrategy::Hash));
        assert!(a.starts_with("[HASH:") && a.len() == 23, "{a}");
        let t = mask(PiiKind::Email, "a@b.co", MaskStrategy::Tokenize);
        assert!(t.starts_with("[TOKEN:") && t.len() == 20, "{t}");
        assert_ne!(a[6..14], t[7..15]);
        assert_eq!(mask(PiiKind::Email, "a@b.co", MaskStrategy::Remove), "");
    }
}
