//! The credential kinds, named as ContextForge's secrets-detection plugin names them.

/// What a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// `AKIA…` access key id.
    AwsAccessKeyId,
    /// 40-character secret assigned to an `aws…secret` key.
    AwsSecretAccessKey,
    /// `AIza…` Google API key.
    GoogleApiKey,
    /// `ghp_…`, `gho_…`, `ghu_…`, `ghs_…`, `ghr_…`, `github_pat_…`.
    GithubToken,
    /// `sk_live_…`, `rk_test_…`.
    StripeSecretKey,
    /// `api_key = <20+ chars>` and similar assignments.
    GenericApiKeyAssignment,
    /// `xoxb-…` and the other Slack token prefixes.
    SlackToken,
    /// PEM private key block.
    PrivateKeyBlock,
    /// JSON Web Token.
    JwtLike,
    /// 32+ hex digits.
    HexSecret32,
    /// 24+ base64 characters.
    Base64_24,
}

/// Every kind, in id order.
pub const SECRET_KINDS: [SecretKind; 11] = [
    SecretKind::AwsAccessKeyId,
    SecretKind::AwsSecretAccessKey,
    SecretKind::GoogleApiKey,
    SecretKind::GithubToken,
    SecretKind::StripeSecretKey,
    SecretKind::GenericApiKeyAssignment,
    SecretKind::SlackToken,
    SecretKind::PrivateKeyBlock,
    SecretKind::JwtLike,
    SecretKind::HexSecret32,
    SecretKind::Base64_24,
];

impl SecretKind {
    /// ContextForge name (`aws_access_key_id`, `base64_24`, …).
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::AwsAccessKeyId => "aws_access_key_id",
            SecretKind::AwsSecretAccessKey => "aws_secret_access_key",
            SecretKind::GoogleApiKey => "google_api_key",
            SecretKind::GithubToken => "github_token",
            SecretKind::StripeSecretKey => "stripe_secret_key",
            SecretKind::GenericApiKeyAssignment => "generic_api_key_assignment",
            SecretKind::SlackToken => "slack_token",
            SecretKind::PrivateKeyBlock => "private_key_block",
            SecretKind::JwtLike => "jwt_like",
            SecretKind::HexSecret32 => "hex_secret_32",
            SecretKind::Base64_24 => "base64_24",
        }
    }

    /// Position in [`SECRET_KINDS`].
    pub fn id(self) -> usize {
        SECRET_KINDS.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// The kind named `name`.
    pub fn from_name(name: &str) -> Option<SecretKind> {
        SECRET_KINDS.iter().copied().find(|k| k.name() == name)
    }

    /// Broad heuristics, off unless enabled explicitly (they also match ordinary ids and hashes).
    pub fn is_broad(self) -> bool {
        matches!(
            self,
            SecretKind::GenericApiKeyAssignment
                | SecretKind::JwtLike
                | SecretKind::HexSecret32
                | SecretKind::Base64_24
        )
    }
}
