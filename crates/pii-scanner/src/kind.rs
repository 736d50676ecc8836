//! The kinds of PII the scanner reports.

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PiiKind {
    /// An e-mail address.
    Email,
    /// A phone number (E.164 with `+`, or North American formats).
    Phone,
    /// A US social security number.
    Ssn,
    /// A payment card number (Luhn-valid, known issuer prefix).
    CreditCard,
    /// An IBAN (mod-97 checksum valid).
    Iban,
    /// An IPv4 address.
    Ipv4,
    /// An IPv6 address.
    Ipv6,
    /// An AWS access key id (`AKIA…`, `ASIA…`).
    AwsAccessKey,
    /// An AWS secret access key (40 characters next to an `aws…secret` key name).
    AwsSecretKey,
    /// A JSON Web Token.
    Jwt,
    /// A PEM private key block.
    PrivateKey,
    /// A custom pattern (index into the configured custom patterns).
    Custom(u16),
}

/// Every built-in kind, in id order.
pub const BUILTIN_KINDS: [PiiKind; 11] = [
    PiiKind::Email,
    PiiKind::Phone,
    PiiKind::Ssn,
    PiiKind::CreditCard,
    PiiKind::Iban,
    PiiKind::Ipv4,
    PiiKind::Ipv6,
    PiiKind::AwsAccessKey,
    PiiKind::AwsSecretKey,
    PiiKind::Jwt,
    PiiKind::PrivateKey,
];

impl PiiKind {
    /// Stable snake_case name (`credit_card`, `aws_access_key`, `custom`).
    pub fn name(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::Ssn => "ssn",
            PiiKind::CreditCard => "credit_card",
            PiiKind::Iban => "iban",
            PiiKind::Ipv4 => "ipv4",
            PiiKind::Ipv6 => "ipv6",
            PiiKind::AwsAccessKey => "aws_access_key",
            PiiKind::AwsSecretKey => "aws_secret_key",
            PiiKind::Jwt => "jwt",
            PiiKind::PrivateKey => "private_key",
            PiiKind::Custom(_) => "custom",
        }
    }

    /// Numeric id: built-ins 0..=10, custom pattern `i` is `11 + i`.
    pub fn id(self) -> u32 {
        match self {
            PiiKind::Custom(i) => BUILTIN_KINDS.len() as u32 + u32::from(i),
            other => BUILTIN_KINDS.iter().position(|k| *k == other).unwrap_or(0) as u32,
        }
    }

    /// The built-in kind named `name`.
    pub fn from_name(name: &str) -> Option<PiiKind> {
        BUILTIN_KINDS.iter().copied().find(|k| k.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names_round_trip() {
        for (i, kind) in BUILTIN_KINDS.iter().enumerate() {
            assert_eq!(kind.id(), i as u32);
            assert_eq!(PiiKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(PiiKind::Custom(2).id(), 13);
        assert_eq!(PiiKind::from_name("custom"), None);
    }
}
