//! Measures message checks on the dev corpora in ../shared/corpora (see its README). The
//! corpora's licences keep them out of this repository, so the test is ignored by default:
//! `cargo test --test corpus_text -- --ignored` runs it (CI does when the folder exists) and
//! fails when the folder is absent.
//!
//! It prints the share flagged medium+ and high+ per file and label, and asserts the
//! false-positive ceilings (ham ≤ 0.5% medium+). Detection rates are printed, not asserted
//! (BENCHMARKS.md records them).

use std::collections::BTreeMap;
use std::path::PathBuf;

use scamshield::{Context, Detector, Risk};

fn corpora() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    dir.is_dir().then_some(dir)
}

/// label → (rows, medium+, high+)
fn measure(detector: &Detector, file: &str) -> Option<BTreeMap<String, (usize, usize, usize)>> {
    let path = corpora()?.join(file);
    let text = std::fs::read_to_string(&path).ok()?;
    let mut out: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for line in text.lines() {
        let row: serde_json::Value = serde_json::from_str(line).expect("corpus rows are JSON");
        let (Some(t), Some(label)) = (row["text"].as_str(), row["label"].as_str()) else {
            continue;
        };
        let v = detector.check_message(t, &Context::new());
        let e = out.entry(label.to_string()).or_default();
        e.0 += 1;
        e.1 += usize::from(v.risk >= Risk::Medium);
        e.2 += usize::from(v.risk >= Risk::High);
    }
    Some(out)
}

#[test]
#[ignore = "needs ../shared/corpora, which is not part of the repository"]
fn message_corpora_false_positive_ceilings() {
    assert!(
        corpora().is_some(),
        "../shared/corpora is absent: the dev corpora are not part of the repository"
    );
    let detector = Detector::new().unwrap();
    let mut failures = Vec::new();
    for file in [
        "sms-en-smishtank.jsonl",
        "sms-en-nus-ham.jsonl",
        "sms-en-exais.jsonl",
        "sms-zh-telecom-fraud.jsonl",
        "sms-zh-fbs.jsonl",
    ] {
        let Some(table) = measure(&detector, file) else {
            panic!("{file} is absent from ../shared/corpora");
        };
        for (label, (rows, med, high)) in &table {
            let pct = |x: usize| 100.0 * x as f64 / (*rows).max(1) as f64;
            eprintln!(
                "{file:<28} {label:<8} {rows:>6} rows  medium+ {:>6.2}%  high+ {:>6.2}%",
                pct(*med),
                pct(*high)
            );
            if label == "ham" && pct(*med) > 0.5 {
                failures.push(format!("{file} ham: {:.2}% medium+ > 0.5%", pct(*med)));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
