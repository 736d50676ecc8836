//! Single-pass credential detection, with ContextForge's secrets-detection pattern names.
//!
//! Like the PII scanner, [`SecretsScanner::scan`] walks the text once through a trigger table:
//! `A` (AWS access key ids, Google API keys), `_` (GitHub and Stripe tokens: `ghp_`, `github_pat_`,
//! `sk_live_`), `-` (Slack `xoxb-` tokens, PEM private keys), `J` (JWTs), `:`/`=` (AWS secret keys,
//! `api_key = …` assignments). The broad shape detectors (`hex_secret_32`, `base64_24`) are off by
//! default; when enabled they examine every word start.

mod kind;
mod scanner;
mod tokens;

pub use kind::{SecretKind, SECRET_KINDS};
pub use scanner::{SecretFinding, SecretsScanner};
