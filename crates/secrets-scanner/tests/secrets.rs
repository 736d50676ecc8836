//! What the secrets scanner finds and what it leaves alone.

use secrets_scanner::{SecretKind, SecretsScanner, SECRET_KINDS};

fn found_with(scanner: &SecretsScanner, text: &str) -> Vec<(&'static str, String)> {
    scanner
        .scan(text)
        .into_iter()
        .map(|f| (f.kind.name(), text[f.start..f.end].to_owned()))
        .collect()
}

fn found(text: &str) -> Vec<(&'static str, String)> {
    found_with(&SecretsScanner::with_defaults(), text)
}

fn all() -> SecretsScanner {
    SecretsScanner::new(&SECRET_KINDS)
}

#[test]
fn finds_cloud_and_vcs_tokens_by_default() {
    let gh = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"[..40].to_owned();
    let text = format!(
        "aws AKIAIOSFODNN7EXAMPLE google AIzaSyA1234567890abcdefghijklmnopqrstuv gh {gh} stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc slack xoxb-123456789012-abcdefABCDEF"
    );
    let kinds: Vec<_> = found(&text).into_iter().map(|(k, _)| k).collect();
    assert_eq!(
        kinds,
        [
            "aws_access_key_id",
            "google_api_key",
            "github_token",
            "stripe_secret_key",
            "slack_token"
        ]
    );
}

#[test]
fn finds_aws_secret_keys_and_private_keys() {
    assert_eq!(
        found("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        vec![(
            "aws_secret_access_key",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned()
        )]
    );
    let key = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBk\n-----END EC PRIVATE KEY-----";
    assert_eq!(found(key), vec![("private_key_block", key.to_owned())]);
}

#[test]
fn leaves_broad_detectors_off_by_default() {
    let text = "api_key: abcdefghijklmnopqrstuvwxyz012345 sha d41d8cd98f00b204e9800998ecf8427e eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.sig";
    assert!(found(text).is_empty());
    let kinds: Vec<_> = found_with(&all(), text)
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(
        kinds,
        ["generic_api_key_assignment", "hex_secret_32", "jwt_like"]
    );
}

#[test]
fn base64_needs_a_mix_of_character_classes() {
    let s = SecretsScanner::new(&[SecretKind::Base64_24]);
    assert_eq!(
        found_with(&s, "token dGhpcyBpcyBhIHNlY3JldCB2YWx1ZQ== end").len(),
        1
    );
    assert!(found_with(&s, "antidisestablishmentarianismwords").is_empty());
}

#[test]
fn ignores_lookalikes() {
    assert!(
        found("ghp_short sk_live_short xoxb-1 AKIA1234 notAKIAIOSFODNN7EXAMPLE AIzaShort")
            .is_empty()
    );
    assert!(found("my_github_pat_value is not a token, nor is desk_live_x").is_empty());
}

#[test]
fn redacts_findings() {
    let s = SecretsScanner::with_defaults();
    let text = "key AKIAIOSFODNN7EXAMPLE!";
    let findings = s.scan(text);
    assert_eq!(
        s.redact(text, &findings, "***REDACTED***"),
        "key ***REDACTED***!"
    );
    assert_eq!(
        SecretKind::from_name("slack_token"),
        Some(SecretKind::SlackToken)
    );
}
