//! The scanner: one pass over the text with a trigger table, then custom patterns, allowlist and
//! masking.

use regex::RegexSet;

use crate::bytes::{is_alnum, run_len, word_before};
use crate::config::{ConfigError, MaskStrategy, ScannerConfig};
use crate::custom::{compile_allowlist, CustomMatcher};
use crate::detect::{aws, email, iban, ipv6, jwt, numeric, private_key};
use crate::kind::{PiiKind, BUILTIN_KINDS};
use crate::mask::{mask_into, MaskContext};
use crate::triggers::{skip_quiet, Triggers};

/// One detected value: byte offsets into the scanned text and its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Finding {
    /// Start offset (bytes, inclusive).
    pub start: usize,
    /// End offset (bytes, exclusive).
    pub end: usize,
    /// What it is.
    pub kind: PiiKind,
}

/// Findings of one text and, when masking was asked for and anything was found, the masked text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScanOutcome {
    /// Sorted, non-overlapping findings.
    pub findings: Vec<Finding>,
    /// The rewritten text (`None` when nothing was found or masking was not requested).
    pub masked: Option<String>,
}

/// A compiled configuration; cheap to share between threads (`Send + Sync`).
pub struct Scanner {
    config: ScannerConfig,
    triggers: Triggers,
    custom: Option<CustomMatcher>,
    allow: Option<RegexSet>,
    masks: [MaskStrategy; BUILTIN_KINDS.len()],
    redaction: String,
}

impl Scanner {
    /// Compiles `config`.
    ///
    /// # Errors
    /// A [`ConfigError`] naming the custom or allowlist pattern that does not compile.
    pub fn new(config: ScannerConfig) -> Result<Self, ConfigError> {
        let custom = CustomMatcher::new(&config.custom)?;
        let allow = compile_allowlist(&config.allowlist)?;
        let mut masks = [config.mask; BUILTIN_KINDS.len()];
        for (kind, strategy) in &config.mask_overrides {
            if let PiiKind::Custom(_) = kind {
                continue;
            }
            masks[kind.id() as usize] = *strategy;
        }
        let redaction = if config.redaction_text.is_empty() {
            "[REDACTED]".to_owned()
        } else {
            config.redaction_text.clone()
        };
        Ok(Self {
            triggers: trigger_table(&config),
            custom,
            allow,
            masks,
            redaction,
            config,
        })
    }

    /// The configuration this scanner was built from.
    pub fn config(&self) -> &ScannerConfig {
        &self.config
    }

    /// Name of a finding's kind (`email`, …; custom patterns report their configured name).
    pub fn kind_name(&self, kind: PiiKind) -> &str {
        match kind {
            PiiKind::Custom(i) => self
                .config
                .custom
                .get(usize::from(i))
                .map_or("custom", |p| p.name.as_str()),
            other => other.name(),
        }
    }

    /// Every finding in `text`, sorted and non-overlapping.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut findings = self.scan_builtin(text.as_bytes());
        if let Some(custom) = &self.custom {
            let mut matches = Vec::new();
            custom.find_all(text, &mut matches);
            if !matches.is_empty() {
                findings.extend(matches.into_iter().map(|(start, end, i)| Finding {
                    start,
                    end,
                    kind: PiiKind::Custom(i),
                }));
                findings = resolve_overlaps(findings);
            }
        }
        if let Some(allow) = &self.allow {
            findings.retain(|f| !allow.is_match(&text[f.start..f.end]));
        }
        findings
    }

    /// Scans and, when `mask` is set and something was found, rewrites the findings.
    pub fn scan_text(&self, text: &str, mask: bool) -> ScanOutcome {
        let findings = self.scan(text);
        let masked = (mask && !findings.is_empty()).then(|| self.mask(text, &findings));
        ScanOutcome { findings, masked }
    }

    /// `text` with every finding replaced according to its masking strategy.
    pub fn mask(&self, text: &str, findings: &[Finding]) -> String {
        let cx = MaskContext {
            redaction: &self.redaction,
            salt: &self.config.hash_salt,
        };
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for f in findings {
            out.push_str(&text[last..f.start]);
            mask_into(
                &mut out,
                f.kind,
                &text[f.start..f.end],
                self.strategy(f.kind),
                &cx,
            );
            last = f.end;
        }
        out.push_str(&text[last..]);
        out
    }

    fn strategy(&self, kind: PiiKind) -> MaskStrategy {
        match kind {
            PiiKind::Custom(i) => self
                .config
                .custom
                .get(usize::from(i))
                .and_then(|p| p.mask)
                .unwrap_or(self.config.mask),
            other => self.masks[other.id() as usize],
        }
    }

    /// The single pass over the built-in detectors.
    fn scan_builtin(&self, text: &[u8]) -> Vec<Finding> {
        let set = self.config.detectors;
        let numeric = [
            PiiKind::Ssn,
            PiiKind::CreditCard,
            PiiKind::Phone,
            PiiKind::Ipv4,
        ]
        .iter()
        .any(|k| set.contains(*k));
        let mut findings = Vec::new();
        let n = text.len();
        let mut floor = 0;
        let mut i = 0;
        let triggers = &self.triggers;
        while i < n {
            i = skip_quiet(text, i, triggers);
            if i >= n {
                break;
            }
            let (hit, next) = match text[i] {
                b'0'..=b'9' => {
                    if word_before(text, i) {
                        let hit = if set.contains(PiiKind::Iban)
                            && i >= floor + 2
                            && text[i - 1].is_ascii_uppercase()
                            && text[i - 2].is_ascii_uppercase()
                        {
                            iban::iban_at(text, i - 2)
                        } else {
                            None
                        };
                        (hit, i + run_len(text, i, usize::MAX, is_alnum).max(1))
                    } else if numeric {
                        match numeric::numeric_at(text, i, set) {
                            Some(hit) => (Some(hit), hit.1),
                            None => (None, numeric::token_end(text, i)),
                        }
                    } else {
                        (None, i + 1)
                    }
                }
                b'@' => (email::email_at(text, i, floor), i + 1),
                b'+' => (numeric::plus_phone_at(text, i), i + 1),
                b'(' => (numeric::paren_phone_at(text, i), i + 1),
                b':' => {
                    let mut result = (None, i + 1);
                    if set.contains(PiiKind::Ipv6) {
                        result = match ipv6::ipv6_at(text, i, floor) {
                            Ok(hit) => (Some(hit), hit.1),
                            Err(next) => (None, next),
                        };
                    }
                    if result.0.is_none() && set.contains(PiiKind::AwsSecretKey) {
                        if let Some(hit) = aws::secret_key_at(text, i, floor) {
                            result = (Some(hit), hit.1);
                        }
                    }
                    result
                }
                b'=' => (aws::secret_key_at(text, i, floor), i + 1),
                b'A' => (aws::access_key_at(text, i), i + 1),
                b'J' if i >= floor + 2 && &text[i - 2..i] == b"ey" => {
                    (jwt::jwt_at(text, i - 2), i + 1)
                }
                b'-' => (private_key::private_key_at(text, i), i + 1),
                _ => (None, i + 1),
            };
            match hit {
                Some((start, end, kind)) if start >= floor && end > start => {
                    findings.push(Finding { start, end, kind });
                    floor = end;
                    i = end;
                }
                _ => i = next.max(i + 1),
            }
        }
        findings
    }
}

/// The bytes that can anchor an enabled detector.
fn trigger_table(config: &ScannerConfig) -> Triggers {
    let set = config.detectors;
    let mut bytes: Vec<u8> = Vec::new();
    let numeric = [
        PiiKind::Ssn,
        PiiKind::CreditCard,
        PiiKind::Phone,
        PiiKind::Ipv4,
        PiiKind::Iban,
    ];
    if numeric.iter().any(|k| set.contains(*k)) {
        bytes.extend_from_slice(b"0123456789");
    }
    for (kind, anchors) in [
        (PiiKind::Email, &b"@"[..]),
        (PiiKind::Phone, b"+("),
        (PiiKind::Ipv6, b":"),
        (PiiKind::AwsSecretKey, b":="),
        (PiiKind::AwsAccessKey, b"A"),
        (PiiKind::Jwt, b"J"),
        (PiiKind::PrivateKey, b"-"),
    ] {
        if set.contains(kind) {
            bytes.extend_from_slice(anchors);
        }
    }
    Triggers::new(bytes)
}

/// Sorts findings and drops any that overlap an earlier (or, at the same start, longer) one.
fn resolve_overlaps(mut findings: Vec<Finding>) -> Vec<Finding> {
    findings.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Finding> = Vec::with_capacity(findings.len());
    for f in findings {
        if out.last().map_or(true, |last| f.start >= last.end) {
            out.push(f);
        }
    }
    out
}
