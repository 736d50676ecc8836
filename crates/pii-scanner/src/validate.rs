//! Checksums that turn "looks like" into "is": Luhn for card numbers, ISO 7064 mod 97 for IBANs.

/// Luhn check over the ASCII digits of `digits` (other bytes are skipped).
pub fn luhn_ok(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    let mut double = false;
    let mut count = 0;
    for &b in digits.iter().rev() {
        if !b.is_ascii_digit() {
            continue;
        }
        let mut d = u32::from(b - b'0');
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
        count += 1;
    }
    count > 0 && sum % 10 == 0
}

/// IBAN checksum: move the first four characters to the end, map letters to 10..=35, and check
/// the number mod 97 is 1. Spaces are skipped; any other non-alphanumeric byte fails.
pub fn iban_checksum_ok(iban: &[u8]) -> bool {
    let compact: Vec<u8> = iban.iter().copied().filter(|b| *b != b' ').collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    let rearranged = compact[4..].iter().chain(compact[..4].iter());
    let mut remainder: u32 = 0;
    for &b in rearranged {
        let value = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'A'..=b'Z' => u32::from(b - b'A') + 10,
            b'a'..=b'z' => u32::from(b - b'a') + 10,
            _ => return false,
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_accepts_valid_and_rejects_altered_numbers() {
        assert!(luhn_ok(b"4111111111111111"));
        assert!(luhn_ok(b"4111-1111-1111-1111"));
        assert!(luhn_ok(b"378282246310005"));
        assert!(!luhn_ok(b"4111111111111112"));
        assert!(!luhn_ok(b""));
    }

    #[test]
    fn iban_checksum_matches_published_examples() {
        assert!(iban_checksum_ok(b"GB82WEST12345698765432"));
        assert!(iban_checksum_ok(b"DE89 3704 0044 0532 0130 00"));
        assert!(iban_checksum_ok(b"FR1420041010050500013M02606"));
        assert!(!iban_checksum_ok(b"GB82WEST12345698765433"));
        assert!(!iban_checksum_ok(b"GB82WEST"));
    }
}
