//! The secrets scanner: one pass with a trigger table, findings sorted and non-overlapping.

use pii_scanner::detectors::{
    access_key_at, jwt_at, private_key_at, secret_key_at, skip_quiet, Triggers,
};
use pii_scanner::PiiKind;

use crate::kind::{SecretKind, SECRET_KINDS};
use crate::tokens::{assignment_at, broad_at, google_key_at, slack_token_at, underscore_token_at};

/// One detected credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretFinding {
    /// Start offset (bytes).
    pub start: usize,
    /// End offset (bytes, exclusive).
    pub end: usize,
    /// What it is.
    pub kind: SecretKind,
}

/// A compiled set of enabled detectors.
pub struct SecretsScanner {
    enabled: [bool; SECRET_KINDS.len()],
    triggers: Triggers,
    broad: bool,
}

impl SecretsScanner {
    /// A scanner for `enabled` kinds.
    pub fn new(enabled: &[SecretKind]) -> Self {
        let mut on = [false; SECRET_KINDS.len()];
        for kind in enabled {
            on[kind.id()] = true;
        }
        let is = |k: SecretKind| on[k.id()];
        let mut t: Vec<u8> = Vec::new();
        let mut set = |bytes: &[u8]| t.extend_from_slice(bytes);
        if is(SecretKind::AwsAccessKeyId) || is(SecretKind::GoogleApiKey) {
            set(b"A");
        }
        if is(SecretKind::AwsSecretAccessKey) || is(SecretKind::GenericApiKeyAssignment) {
            set(b":=");
        }
        if is(SecretKind::GithubToken) || is(SecretKind::StripeSecretKey) {
            set(b"_");
        }
        if is(SecretKind::SlackToken) || is(SecretKind::PrivateKeyBlock) {
            set(b"-");
        }
        if is(SecretKind::JwtLike) {
            set(b"J");
        }
        let broad = is(SecretKind::HexSecret32) || is(SecretKind::Base64_24);
        if broad {
            set(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/");
        }
        Self {
            enabled: on,
            triggers: Triggers::new(t),
            broad,
        }
    }

    /// A scanner with ContextForge's defaults: everything but the broad heuristics.
    pub fn with_defaults() -> Self {
        let kinds: Vec<SecretKind> = SECRET_KINDS
            .iter()
            .copied()
            .filter(|k| !k.is_broad())
            .collect();
        Self::new(&kinds)
    }

    fn on(&self, kind: SecretKind) -> bool {
        self.enabled[kind.id()]
    }

    /// Every credential in `text`.
    pub fn scan(&self, text: &str) -> Vec<SecretFinding> {
        let t = text.as_bytes();
        let mut out = Vec::new();
        let (mut i, mut floor) = (0, 0);
        while i < t.len() {
            i = skip_quiet(t, i, &self.triggers);
            if i >= t.len() {
                break;
            }
            let hit = self.detect(t, i, floor);
            match hit {
                Some((start, end, kind)) if start >= floor && end > start => {
                    out.push(SecretFinding { start, end, kind });
                    floor = end;
                    i = end;
                }
                _ => i += 1,
            }
        }
        out
    }

    fn detect(&self, t: &[u8], i: usize, floor: usize) -> Option<(usize, usize, SecretKind)> {
        let specific = match t[i] {
            b'A' => {
                let aws = self
                    .on(SecretKind::AwsAccessKeyId)
                    .then(|| access_key_at(t, i))
                    .flatten();
                aws.map(|(s, e, _)| (s, e, SecretKind::AwsAccessKeyId))
                    .or_else(|| {
                        self.on(SecretKind::GoogleApiKey)
                            .then(|| google_key_at(t, i))
                            .flatten()
                    })
            }
            b':' | b'=' => {
                let aws = self
                    .on(SecretKind::AwsSecretAccessKey)
                    .then(|| secret_key_at(t, i, floor))
                    .flatten();
                aws.map(|(s, e, _)| (s, e, SecretKind::AwsSecretAccessKey))
                    .or_else(|| {
                        self.on(SecretKind::GenericApiKeyAssignment)
                            .then(|| assignment_at(t, i, floor))
                            .flatten()
                    })
            }
            b'_' => underscore_token_at(t, i, floor).filter(|(_, _, k)| self.on(*k)),
            b'-' => {
                let slack = self
                    .on(SecretKind::SlackToken)
                    .then(|| slack_token_at(t, i, floor))
                    .flatten();
                slack.or_else(|| {
                    self.on(SecretKind::PrivateKeyBlock)
                        .then(|| private_key_at(t, i))
                        .flatten()
                        .map(|(s, e, _)| (s, e, SecretKind::PrivateKeyBlock))
                })
            }
            b'J' if self.on(SecretKind::JwtLike) && i >= floor + 2 && &t[i - 2..i] == b"ey" => {
                jwt_at(t, i - 2).map(|(s, e, k)| (s, e, map_kind(k)))
            }
            _ => None,
        };
        if specific.is_some() || !self.broad {
            return specific;
        }
        broad_at(
            t,
            i,
            self.on(SecretKind::HexSecret32),
            self.on(SecretKind::Base64_24),
        )
    }

    /// `text` with every finding replaced by `redaction`.
    pub fn redact(&self, text: &str, findings: &[SecretFinding], redaction: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut last = 0;
        for f in findings {
            out.push_str(&text[last..f.start]);
            out.push_str(redaction);
            last = f.end;
        }
        out.push_str(&text[last..]);
        out
    }
}

fn map_kind(kind: PiiKind) -> SecretKind {
    match kind {
        PiiKind::AwsAccessKey => SecretKind::AwsAccessKeyId,
        PiiKind::PrivateKey => SecretKind::PrivateKeyBlock,
        _ => SecretKind::JwtLike,
    }
}
