//! Real brand notifications (tests/data/notifications.toml: deliveries, one-time codes, bank
//! alerts, pharmacy, receipts, account notices, in English and Chinese, each written from the
//! brand's own published description of its messages) must stay below medium risk, with the
//! sender and subject the brand says it uses.

use std::path::Path;

use scamshield::{Context, Detector, Risk};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    message: Vec<Notification>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // documentation for reviewers
struct Notification {
    brand: String,
    kind: String,
    language: String,
    sender: Option<String>,
    subject: Option<String>,
    text: String,
    basis: String,
    note: String,
}

#[test]
fn brand_notifications_stay_below_medium() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/notifications.toml");
    let text = std::fs::read_to_string(&path).expect("notifications.toml is readable");
    let file: File = toml::from_str(&text).expect("notifications.toml parses");
    assert!(file.message.len() >= 70, "at least 70 notifications");
    let detector = Detector::new().expect("embedded data loads");
    let mut failures = Vec::new();
    for n in &file.message {
        assert!(
            n.basis.starts_with("https://") || n.basis.starts_with("http://"),
            "{}: basis is a page address",
            n.brand
        );
        let mut ctx = Context::new();
        if let Some(s) = &n.sender {
            ctx = ctx.with_sender(s);
        }
        if let Some(s) = &n.subject {
            ctx = ctx.with_subject(s);
        }
        let v = detector.check_message(&n.text, &ctx);
        if v.risk >= Risk::Medium {
            let findings: Vec<String> = v
                .findings
                .iter()
                .filter(|f| f.severity >= scamshield::Severity::Low)
                .map(|f| format!("    {} [{}] {}", f.rule, f.severity.as_str(), f.message))
                .collect();
            failures.push(format!(
                "{} ({}, {}): {} {}\n  {}\n{}",
                n.brand,
                n.kind,
                n.language,
                v.risk,
                v.score,
                n.text
                    .chars()
                    .take(140)
                    .collect::<String>()
                    .replace('\n', " "),
                findings.join("\n")
            ));
        }
    }
    println!(
        "brand notifications below medium: {}/{}",
        file.message.len() - failures.len(),
        file.message.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} notifications at medium or above:\n{}",
        failures.len(),
        file.message.len(),
        failures.join("\n")
    );
}
