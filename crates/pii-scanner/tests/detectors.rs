//! Behaviour of every detector: what is found, what is not, and where.

use pii_scanner::{CustomPattern, DetectorSet, MaskStrategy, PiiKind, Scanner, ScannerConfig};

fn scanner() -> Scanner {
    Scanner::new(ScannerConfig::default()).unwrap()
}

/// `(kind name, matched text)` of every finding.
fn found(text: &str) -> Vec<(&'static str, String)> {
    scanner()
        .scan(text)
        .into_iter()
        .map(|f| (f.kind.name(), text[f.start..f.end].to_owned()))
        .collect()
}

fn one(kind: &'static str, value: &str) -> Vec<(&'static str, String)> {
    vec![(kind, value.to_owned())]
}

#[test]
fn finds_email_addresses() {
    assert_eq!(
        found("mail jane.doe+tag@mail.example.co.uk."),
        one("email", "jane.doe+tag@mail.example.co.uk")
    );
    assert_eq!(found("<a@b.io>"), one("email", "a@b.io"));
    assert!(found("user@localhost and @handle and a@b.c and x@-bad.com").is_empty());
}

#[test]
fn finds_phone_numbers() {
    assert_eq!(
        found("call +1 (555) 123-4567 now"),
        one("phone", "+1 (555) 123-4567")
    );
    assert_eq!(
        found("tel +44 20 7946 0958"),
        one("phone", "+44 20 7946 0958")
    );
    assert_eq!(found("(212) 555-0199"), one("phone", "(212) 555-0199"));
    assert_eq!(
        found("212-555-0199 and 1-212-555-0199"),
        vec![
            ("phone", "212-555-0199".to_owned()),
            ("phone", "1-212-555-0199".to_owned())
        ]
    );
    assert!(found("version 1.2.3 build 2024-01-15 +12 (12)").is_empty());
}

#[test]
fn finds_ssns_with_valid_parts_only() {
    assert_eq!(found("SSN 123-45-6789."), one("ssn", "123-45-6789"));
    assert_eq!(found("ssn: 123 45 6789"), one("ssn", "123 45 6789"));
    assert!(
        found("000-12-3456 666-12-3456 900-12-3456 123-00-4567 123-45-0000 123-45-67890")
            .is_empty()
    );
}

#[test]
fn finds_luhn_valid_card_numbers_with_known_issuers() {
    assert_eq!(
        found("card 4111 1111 1111 1111 exp"),
        one("credit_card", "4111 1111 1111 1111")
    );
    assert_eq!(
        found("4111-1111-1111-1111"),
        one("credit_card", "4111-1111-1111-1111")
    );
    assert_eq!(
        found("amex 378282246310005"),
        one("credit_card", "378282246310005")
    );
    assert_eq!(
        found("mc 5555555555554444;"),
        one("credit_card", "5555555555554444")
    );
    assert_eq!(
        found("4111 1111 1111 1111 2024"),
        one("credit_card", "4111 1111 1111 1111")
    );
    // Luhn-invalid, unknown issuer, inside a word, or wrong grouping.
    assert!(
        found("4111111111111112 9111111111111111 x4111111111111111 4111 11 1111 1111 1111")
            .is_empty()
    );
}

#[test]
fn finds_ibans_with_a_valid_checksum() {
    assert_eq!(
        found("IBAN: GB82WEST12345698765432."),
        one("iban", "GB82WEST12345698765432")
    );
    assert_eq!(
        found("DE89 3704 0044 0532 0130 00 paid"),
        one("iban", "DE89 3704 0044 0532 0130 00")
    );
    assert!(found("GB82WEST12345698765433 XGB82WEST12345698765432").is_empty());
}

#[test]
fn finds_ip_addresses() {
    assert_eq!(found("from 192.168.1.42:8080"), one("ipv4", "192.168.1.42"));
    assert!(found("256.1.1.1 1.2.3 1.2.3.4.5 01.2.3.4").is_empty());
    assert_eq!(
        found("host 2001:db8::8a2e:370:7334 up"),
        one("ipv6", "2001:db8::8a2e:370:7334")
    );
    assert_eq!(
        found("lo ::1, link fe80::1ff:fe23:4567:890a"),
        vec![
            ("ipv6", "::1".to_owned()),
            ("ipv6", "fe80::1ff:fe23:4567:890a".to_owned())
        ]
    );
    assert_eq!(
        found("mapped ::ffff:192.0.2.128"),
        one("ipv6", "::ffff:192.0.2.128")
    );
    assert!(found("at 10:30:45, MAC 00:1A:2B:3C:4D:5E, key: value, a::b::c").is_empty());
}

#[test]
fn finds_aws_credentials() {
    assert_eq!(
        found("key AKIAIOSFODNN7EXAMPLE,"),
        one("aws_access_key", "AKIAIOSFODNN7EXAMPLE")
    );
    assert!(found("AKIAIOSFODNN7EXAMPL xAKIAIOSFODNN7EXAMPLE AKIAIOSFODNN7EXAMPLEX").is_empty());
    assert_eq!(
        found("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"),
        one("aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    );
    assert_eq!(
        found(r#"{"AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}"#),
        one("aws_secret_key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    );
    assert!(found("other_secret = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY").is_empty());
}

#[test]
fn finds_jwts() {
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    assert_eq!(
        found(&format!("Authorization: Bearer {jwt}")),
        one("jwt", jwt)
    );
    assert!(
        found("eyJhbGciOiJIUzI1NiJ9.notjson.sig xeyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig")
            .is_empty()
    );
}

#[test]
fn finds_private_key_blocks() {
    let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy\n-----END RSA PRIVATE KEY-----";
    assert_eq!(
        found(&format!("key:\n{key}\ndone")),
        one("private_key", key)
    );
    let openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n";
    assert_eq!(
        found(&format!("{openssh}(truncated)")),
        one("private_key", openssh)
    );
    assert!(found("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----").is_empty());
}

#[test]
fn finds_several_kinds_in_one_pass_in_order() {
    let text =
        "Jane (jane@corp.example) paid with 4111 1111 1111 1111 from 10.0.0.7; SSN 123-45-6789.";
    let kinds: Vec<_> = found(text).into_iter().map(|(k, _)| k).collect();
    assert_eq!(kinds, ["email", "credit_card", "ipv4", "ssn"]);
}

#[test]
fn handles_utf8_and_nul_separated_texts() {
    // Offsets stay on character boundaries around multi-byte text.
    assert_eq!(
        found("café — écrivez à zoe@exemple.fr ✉ ou 4111111111111111€"),
        vec![
            ("email", "zoe@exemple.fr".to_owned()),
            ("credit_card", "4111111111111111".to_owned()),
        ]
    );
    let joined = "first a@b.io\0-----BEGIN PRIVATE KEY-----\nAAAA\0-----END PRIVATE KEY-----";
    let kinds = found(joined);
    assert_eq!(kinds[0], ("email", "a@b.io".to_owned()));
    assert_eq!(
        kinds[1],
        (
            "private_key",
            "-----BEGIN PRIVATE KEY-----\nAAAA".to_owned()
        )
    );
}

#[test]
fn respects_disabled_detectors() {
    let config = ScannerConfig {
        detectors: DetectorSet::all()
            .without(PiiKind::Email)
            .without(PiiKind::Ipv4),
        ..ScannerConfig::default()
    };
    let s = Scanner::new(config).unwrap();
    assert!(s.scan("a@b.io 10.0.0.1").is_empty());
    assert_eq!(s.scan("123-45-6789").len(), 1);
}

#[test]
fn applies_custom_patterns_and_the_allowlist() {
    let config = ScannerConfig {
        custom: vec![CustomPattern {
            name: "employee_id".into(),
            pattern: r"\bEMP\d{6}\b".into(),
            mask: Some(MaskStrategy::Partial),
        }],
        allowlist: vec![r"^test@example\.com$".into(), "555-555-5555".into()],
        ..ScannerConfig::default()
    };
    let s = Scanner::new(config).unwrap();
    let text = "EMP123456 wrote to test@example.com and real@example.com, 555-555-5555";
    let findings = s.scan(text);
    let names: Vec<_> = findings
        .iter()
        .map(|f| (s.kind_name(f.kind), &text[f.start..f.end]))
        .collect();
    assert_eq!(
        names,
        [("employee_id", "EMP123456"), ("email", "real@example.com")]
    );
    assert_eq!(
        s.mask(text, &findings),
        "E*******6 wrote to test@example.com and [REDACTED], 555-555-5555"
    );
}

#[test]
fn reports_bad_patterns_by_position() {
    let config = ScannerConfig {
        custom: vec![
            CustomPattern {
                name: "ok".into(),
                pattern: "a+".into(),
                mask: None,
            },
            CustomPattern {
                name: "bad".into(),
                pattern: "(unclosed".into(),
                mask: None,
            },
        ],
        ..ScannerConfig::default()
    };
    let err = Scanner::new(config).err().unwrap();
    assert_eq!(err.at, "custom_patterns[1].pattern");
    assert!(err.message.contains("unclosed group"), "{}", err.message);
    let err = Scanner::new(ScannerConfig {
        allowlist: vec!["[".into()],
        ..ScannerConfig::default()
    })
    .err()
    .unwrap();
    assert_eq!(err.at, "whitelist_patterns[0]");
}

#[test]
fn masks_with_each_strategy() {
    let text = "ssn 123-45-6789 mail a@b.io";
    for (strategy, expected) in [
        (MaskStrategy::Redact, "ssn [REDACTED] mail [REDACTED]"),
        (MaskStrategy::Partial, "ssn ***-**-6789 mail a***@b.io"),
        (MaskStrategy::Remove, "ssn  mail "),
    ] {
        let s = Scanner::new(ScannerConfig {
            mask: strategy,
            ..ScannerConfig::default()
        })
        .unwrap();
        assert_eq!(
            s.scan_text(text, true).masked.as_deref(),
            Some(expected),
            "{strategy:?}"
        );
    }
    let s = Scanner::new(ScannerConfig {
        mask: MaskStrategy::Hash,
        hash_salt: "pepper".into(),
        ..ScannerConfig::default()
    })
    .unwrap();
    let masked = s.scan_text(text, true).masked.unwrap();
    assert!(
        masked.starts_with("ssn [HASH:") && !masked.contains("6789"),
        "{masked}"
    );
    assert_eq!(
        scanner().scan_text("nothing here", true),
        pii_scanner::ScanOutcome {
            findings: vec![],
            masked: None
        }
    );
}

#[test]
fn stays_linear_on_large_texts_with_many_findings() {
    // 2,000 private keys and cards in ~1.3 MB: every detector's searches must stay bounded.
    let block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0Z3VS5JJcds3xfn\n-----END RSA PRIVATE KEY-----\n";
    let text = format!("{block}card 4111 1111 1111 1111 and eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghij x\n").repeat(2000);
    // (A regression to per-key whole-text searches shows up as this test taking seconds, and in
    // `pnpm bench pii`; no timing assertion here by policy.)
    let findings = scanner().scan(&text);
    assert_eq!(findings.len(), 6000);
    let kinds: Vec<_> = findings.iter().take(3).map(|f| f.kind.name()).collect();
    assert_eq!(kinds, ["private_key", "credit_card", "jwt"]);
}
