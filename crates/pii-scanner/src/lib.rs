//! Single-pass PII detection and masking.
//!
//! [`Scanner::scan`] walks the text once, byte by byte, through a 256-entry trigger table: bytes
//! that cannot start or anchor any detector (most letters, spaces, punctuation) are skipped with one
//! table lookup each. Trigger bytes hand over to the detectors anchored on them (digits → SSN,
//! credit card, phone, IPv4, IBAN; `@` → email; `:` → IPv6 and AWS secret keys; `A` → AWS access
//! key ids; `J` → JWTs; `-` → private key blocks), which validate candidates (Luhn, IBAN mod 97,
//! octet ranges, `Ipv6Addr` parsing) before reporting them. Custom patterns, when configured, are
//! matched by one combined [`regex::RegexSet`] pass.
//!
//! Findings are sorted and non-overlapping; [`Scanner::mask`] rewrites them with the configured
//! strategy (redact, partial, hash, tokenize, remove).

mod bytes;
mod config;
mod custom;
mod detect;
mod kind;
mod mask;
mod scanner;
pub mod sha256;
mod triggers;
mod validate;

pub use config::{ConfigError, CustomPattern, DetectorSet, MaskStrategy, ScannerConfig};
pub use kind::{PiiKind, BUILTIN_KINDS};
pub use scanner::{Finding, ScanOutcome, Scanner};
pub use validate::{iban_checksum_ok, luhn_ok};

/// Detectors reused by other scanners (the secrets scanner shares the AWS, JWT and private key
/// detectors).
pub mod detectors {
    pub use crate::detect::aws::{access_key_at, secret_key_at};
    pub use crate::detect::jwt::jwt_at;
    pub use crate::detect::private_key::private_key_at;
    pub use crate::triggers::{skip_quiet, Triggers};
}
