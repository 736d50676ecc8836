//! Scanner configuration.

use std::fmt;

use crate::kind::{PiiKind, BUILTIN_KINDS};

/// How a finding is rewritten.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaskStrategy {
    /// Replace with the redaction text (default `[REDACTED]`).
    #[default]
    Redact,
    /// Keep a recognisable tail or shape: `***-**-6789`, `****-****-****-1111`, `j***@example.com`.
    Partial,
    /// Replace with `[HASH:<16 hex of SHA-256(salt ‖ value)>]`.
    Hash,
    /// Replace with a stable token `[TOKEN:<12 hex>]` (same value and salt → same token).
    Tokenize,
    /// Remove entirely.
    Remove,
}

impl MaskStrategy {
    /// Parses `redact | partial | hash | tokenize | remove`.
    pub fn parse(name: &str) -> Option<MaskStrategy> {
        Some(match name {
            "redact" => MaskStrategy::Redact,
            "partial" => MaskStrategy::Partial,
            "hash" => MaskStrategy::Hash,
            "tokenize" => MaskStrategy::Tokenize,
            "remove" => MaskStrategy::Remove,
            _ => return None,
        })
    }
}

/// A set of built-in detectors (bit `id` per kind).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetectorSet(u32);

impl DetectorSet {
    /// Every built-in detector.
    pub fn all() -> Self {
        DetectorSet((1 << BUILTIN_KINDS.len()) - 1)
    }

    /// No detector.
    pub fn none() -> Self {
        DetectorSet(0)
    }

    /// This set plus `kind`.
    pub fn with(self, kind: PiiKind) -> Self {
        DetectorSet(self.0 | (1 << kind.id()))
    }

    /// This set without `kind`.
    pub fn without(self, kind: PiiKind) -> Self {
        DetectorSet(self.0 & !(1 << kind.id()))
    }

    /// Whether `kind` is enabled.
    #[inline]
    pub fn contains(self, kind: PiiKind) -> bool {
        kind.id() < 32 && self.0 & (1 << kind.id()) != 0
    }
}

impl Default for DetectorSet {
    fn default() -> Self {
        Self::all()
    }
}

/// A user-supplied pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomPattern {
    /// Label reported with findings (e.g. `employee_id`).
    pub name: String,
    /// Regular expression (Rust `regex` syntax).
    pub pattern: String,
    /// Masking override for this pattern.
    pub mask: Option<MaskStrategy>,
}

/// Everything a [`crate::Scanner`] needs.
#[derive(Debug, Clone, Default)]
pub struct ScannerConfig {
    /// Enabled built-in detectors.
    pub detectors: DetectorSet,
    /// Default masking strategy.
    pub mask: MaskStrategy,
    /// Per built-in kind overrides (index = kind id).
    pub mask_overrides: Vec<(PiiKind, MaskStrategy)>,
    /// Text used by [`MaskStrategy::Redact`] (empty → `[REDACTED]`).
    pub redaction_text: String,
    /// Salt of [`MaskStrategy::Hash`] and [`MaskStrategy::Tokenize`].
    pub hash_salt: String,
    /// Custom patterns.
    pub custom: Vec<CustomPattern>,
    /// Findings whose text matches one of these regular expressions are ignored.
    pub allowlist: Vec<String>,
}

/// An invalid configuration (bad regular expression, too many patterns).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// Where (`custom_patterns[2].pattern`, `whitelist_patterns[0]`).
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detector_sets_toggle_kinds() {
        let set = DetectorSet::none().with(PiiKind::Email).with(PiiKind::Jwt);
        assert!(set.contains(PiiKind::Email));
        assert!(!set.contains(PiiKind::Phone));
        assert!(!set.without(PiiKind::Email).contains(PiiKind::Email));
        assert!(DetectorSet::all().contains(PiiKind::PrivateKey));
        assert!(!DetectorSet::all().contains(PiiKind::Custom(0)));
    }

    #[test]
    fn parses_mask_strategies() {
        assert_eq!(MaskStrategy::parse("partial"), Some(MaskStrategy::Partial));
        assert_eq!(MaskStrategy::parse("blur"), None);
    }
}
