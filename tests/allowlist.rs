//! Allowlist data: the embedded files pass full validation, and malformed files are rejected
//! with the right error (cases in tests/data/allowlist_errors.toml).

use std::path::Path;

use scamshield::{Detector, LoadErrorKind};
use serde::Deserialize;

fn allowlist_files() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("allowlists");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("allowlists/ is readable")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("file is readable");
            (p.display().to_string(), text)
        })
        .collect();
    files.sort();
    files
}

/// The embedded files, validated the way user files are: including every number against
/// libphonenumber's metadata (which `Detector::new()` skips for speed).
#[test]
fn embedded_data_passes_full_validation() {
    let mut builder = Detector::builder().dangerous_replace_default_allowlists();
    let files = allowlist_files();
    for (name, text) in &files {
        builder = builder.add_allowlist_str(name, text);
    }
    let detector = builder.build().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(detector.brands().len(), files.len());
    assert!(detector.brands().len() >= 20, "at least 20 brands");
}

#[test]
fn every_file_is_embedded() {
    let detector = Detector::new().expect("embedded data loads");
    let files = allowlist_files();
    assert_eq!(
        detector.brands().len(),
        files.len(),
        "build.rs embeds every allowlists/*.toml"
    );
    for (path, _) in &files {
        let name = Path::new(path).file_name().unwrap().to_str().unwrap();
        assert!(
            detector
                .brands()
                .iter()
                .any(|b| b.file() == format!("allowlists/{name}")),
            "{name} is not embedded"
        );
    }
}

#[test]
fn brand_ids_match_file_names() {
    let detector = Detector::new().expect("embedded data loads");
    for b in detector.brands() {
        assert_eq!(b.file(), format!("allowlists/{}.toml", b.id()));
    }
}

#[test]
fn core_brands_are_present_with_their_policy() {
    use scamshield::PhonePolicy::*;
    let detector = Detector::new().expect("embedded data loads");
    let expected = [
        ("微信支付", Unverified),
        ("银联", Unverified),
        ("建设银行", Unverified),
        ("MetaMask", None),
        ("Trust Wallet", None),
        ("Phantom", Unknown),
        ("Trezor", None),
        ("PayPal", Unverified),
        ("支付宝", Unverified),
        ("Coinbase", Unverified),
    ];
    for (alias, policy) in expected {
        let brand = detector
            .brand(alias)
            .unwrap_or_else(|| panic!("{alias} is loaded"));
        assert_eq!(brand.phone_policy(), policy, "{alias}");
    }
    for name in [
        "binance",
        "kraken",
        "imtoken",
        "tokenpocket",
        "ledger",
        "exodus",
        "venmo",
        "cash-app",
        "revolut",
        "wise",
        "apple",
        "microsoft",
        "amazon",
        "taobao",
        "jd",
        "支付寶",
        "幣安",
    ] {
        assert!(detector.brand(name).is_some(), "{name} is loaded");
    }
}

#[test]
fn data_version_is_exposed() {
    let detector = Detector::new().expect("embedded data loads");
    let v = detector.data_version();
    assert!(
        v.len() >= 8 && v.chars().next().unwrap().is_ascii_digit(),
        "{v}"
    );
    let custom = Detector::builder()
        .dangerous_replace_default_allowlists()
        .build()
        .expect("empty data loads");
    assert_eq!(custom.data_version(), "custom");
    assert!(custom.brands().is_empty());
}

#[derive(Debug, Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    kind: String,
    line: usize,
    reason: String,
    file: String,
}

#[test]
fn malformed_files_are_rejected_with_file_line_and_reason() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/allowlist_errors.toml");
    let cases: Cases = toml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(!cases.case.is_empty());
    let mut failures = Vec::new();
    for case in &cases.case {
        // The file text starts after the ''' line break, so its lines count from 1.
        let result = Detector::builder()
            .add_allowlist_str("user/acme.toml", &case.file)
            .build();
        let err = match result {
            Ok(_) => {
                failures.push(format!("{}: was accepted", case.name));
                continue;
            }
            Err(e) => e,
        };
        let kind = format!("{:?}", err.kind());
        let ok = kind == case.kind
            && err.line() == case.line
            && err.file() == "user/acme.toml"
            && err.reason().contains(&case.reason)
            && err
                .to_string()
                .starts_with(&format!("user/acme.toml:{}: ", case.line));
        if !ok {
            failures.push(format!(
                "{}: got {kind} at line {}: {:?}; expected {} at line {} containing {:?}",
                case.name,
                err.line(),
                err.reason(),
                case.kind,
                case.line,
                case.reason
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unreadable_file_is_an_io_error_naming_the_file() {
    let err = Detector::builder()
        .add_allowlist_file("/nonexistent/brand.toml")
        .build()
        .expect_err("missing file");
    assert_eq!(err.kind(), LoadErrorKind::Io);
    assert_eq!(err.file(), "/nonexistent/brand.toml");
}

#[test]
fn a_valid_user_file_adds_a_brand() {
    let file = r#"
schema = 1
id = "acme-bank"
name = "Acme Bank"
category = "bank"
[aliases]
en = ["Acme Bank"]
[phone_support]
policy = "listed"
statement = "Our only number is 0800 …"
source = "https://acme-bank.example.com/contact"
grade = "official"
checked = "2026-11-22"
[[phones]]
number = "+442079460958"
region = "GB"
purpose = "customer service"
inbound_only = true
source = "https://acme-bank.example.com/contact"
grade = "official"
checked = "2026-11-22"
"#;
    let detector = Detector::builder()
        .add_allowlist_str("acme.toml", file)
        .build()
        .unwrap();
    assert!(detector.data_version().ends_with("+custom"));
    let ctx = scamshield::Context::new().with_brand("ACME BANK");
    let v = detector.check_phone("+44 20 7946 0958", &ctx);
    assert_eq!(v.official_brand.as_deref(), Some("acme-bank"));
    let v = detector.check_phone("+44 20 7946 0959", &ctx);
    assert!(v.has("phone.not_official_for_brand"));
}

/// A brand's own messaging channels: sender IDs (also as Indian DLT headers) are evidence in
/// the sender field and never lower a risk; a sender ID's look-alike is flagged; link domains
/// are official for links and shown as such.
#[test]
fn sender_ids_and_link_domains() {
    let file = r#"
schema = 1
id = "acme-bank"
name = "Acme Bank"
category = "bank"
[aliases]
en = ["Acme Bank"]
[phone_support]
policy = "unknown"
[[web_domains]]
domain = "acme-bank.com"
source = "https://acme-bank.com/security"
grade = "official"
checked = "2026-12-06"
[[link_domains]]
domain = "acmeb.ink"
source = "https://acme-bank.com/security"
grade = "official"
checked = "2026-12-06"
[[sms_senders]]
sender = "ACMEBK"
region = "IN"
source = "https://acme-bank.com/security"
grade = "official"
checked = "2026-12-06"
"#;
    let detector = Detector::builder()
        .add_allowlist_str("acme.toml", file)
        .build()
        .unwrap();
    let plain = "Acme Bank: Rs.2,000.00 debited from a/c XX1234 on 05-12. Not you? Call the number on your card.";
    let without = detector.check_message(plain, &scamshield::Context::new());
    for sender in ["ACMEBK", "acmebk", "VM-ACMEBK", "JD-ACMEBK-S"] {
        let ctx = scamshield::Context::new().with_sender(sender);
        let v = detector.check_message(plain, &ctx);
        assert!(v.has("sender.official_id"), "{sender}: {v:?}");
        assert!(v.score >= without.score, "{sender} lowered the score");
        assert!(!v.has("sender.lookalike_name"), "{sender}");
    }
    // The same sender ID with a look-alike digit.
    let ctx = scamshield::Context::new().with_sender("AC1VIEBK");
    let v = detector.check_message(plain, &ctx);
    assert!(!v.has("sender.official_id"));
    let ctx = scamshield::Context::new().with_sender("ACMEB1K");
    assert!(!detector
        .check_message(plain, &ctx)
        .has("sender.official_id"));
    let ctx = scamshield::Context::new()
        .with_sender("VM-ACMEBK-S")
        .with_brand("Acme Bank");
    // A scam text from the real sender ID stays a scam: the match is evidence only.
    let scam = "Acme Bank: your KYC has expired and your account will be blocked today. Share the OTP sent to you with our officer to update.";
    let from_real = detector.check_message(scam, &ctx);
    let from_none = detector.check_message(scam, &scamshield::Context::new());
    assert!(from_real.has("sender.official_id"));
    assert!(from_real.risk >= from_none.risk && from_real.risk >= scamshield::Risk::High);
    // Link domains are the brand's for links.
    let v = detector.check_url("https://acmeb.ink/x7Q2", &scamshield::Context::new());
    assert_eq!(v.official_brand.as_deref(), Some("acme-bank"), "{v:?}");
    let c = detector.brand("Acme Bank").unwrap().channels();
    assert_eq!(c.link_domains, ["acmeb.ink"]);
    assert_eq!(c.sms_senders, ["ACMEBK"]);
    assert!(c.to_string().contains("sender names: ACMEBK"));
}

/// A sender ID written with look-alike characters (`SB1INB` for `SBIINB`) is flagged.
#[test]
fn a_sender_id_lookalike_is_flagged() {
    let file = r#"
schema = 1
id = "acme-bank"
name = "Acme Bank"
category = "bank"
[aliases]
en = ["Acme Bank"]
[phone_support]
policy = "unknown"
[[sms_senders]]
sender = "ACMINB"
source = "https://acme-bank.com/security"
grade = "official"
checked = "2026-12-06"
"#;
    let detector = Detector::builder()
        .add_allowlist_str("acme.toml", file)
        .build()
        .unwrap();
    let text = "Your account is blocked. Update KYC now: http://acm-kyc.top/u";
    for sender in ["ACM1NB", "VM-ACMlNB"] {
        let v = detector.check_message(text, &scamshield::Context::new().with_sender(sender));
        assert!(v.has("sender.lookalike_name"), "{sender}: {v:?}");
    }
}
