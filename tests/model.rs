//! The statistical model: the embedded model is the one `scamshield train` produces from
//! ../shared/corpora and the ham suite (needs the corpora: run with `--ignored`, as CI
//! does), and switching it off or loading another file works.

use std::path::Path;

use scamshield::train::{self, Options, Row};
use scamshield::{Context, Detector};

/// The rows `scamshield train` reads with its defaults, in its order.
fn default_rows(corpora: &Path) -> Vec<Row> {
    let mut files: Vec<_> = std::fs::read_dir(corpora)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in files {
        let name = f.file_stem().unwrap().to_str().unwrap().to_string();
        rows.extend(train::read_jsonl(
            &name,
            &std::fs::read_to_string(&f).unwrap(),
        ));
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("tests/data/notifications.toml")).unwrap();
    let table: toml::Table = toml::from_str(&text).unwrap();
    for (i, m) in table["message"].as_array().unwrap().iter().enumerate() {
        let body = m["text"].as_str().unwrap();
        let text = match m.get("subject").and_then(|s| s.as_str()) {
            Some(s) => format!("{s}\n{body}"),
            None => body.to_string(),
        };
        rows.push(Row {
            corpus: "notifications".into(),
            id: (i + 1).to_string(),
            text,
            label: "ham".into(),
        });
    }
    rows
}

#[test]
#[ignore = "needs ../shared/corpora"]
fn embedded_model_is_what_the_trainer_produces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpora = root.join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("../shared/corpora is absent: skipped");
        return;
    }
    let rows = default_rows(&corpora);
    let detector = Detector::builder().without_model().build().unwrap();
    let options = Options::default();
    let prepared = train::prepare(&detector, &rows, options.bits);
    let trained = train::train(&prepared, &options, &[]);
    let embedded = std::fs::read(root.join("data/model.bin")).unwrap();
    assert!(
        trained.bytes == embedded,
        "data/model.bin is not what `scamshield train` produces: run `cargo run --release --features cli -- train --loco`"
    );
}

#[test]
fn the_model_can_be_switched_off_or_replaced() {
    let scam = "USPS: Your package is on hold due to an incomplete address. Update your details within 24 hours: https://usps-redelivery-help.top/track";
    let with = Detector::new()
        .unwrap()
        .check_message(scam, &Context::new());
    assert!(with.has("text.model_scam_likely"));
    let off = Detector::builder().without_model().build().unwrap();
    assert!(!off
        .check_message(scam, &Context::new())
        .has("text.model_scam_likely"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = Detector::builder()
        .model_file(root.join("data/model.bin"))
        .build()
        .unwrap();
    assert!(file
        .check_message(scam, &Context::new())
        .has("text.model_scam_likely"));
    let err = Detector::builder()
        .model_bytes("broken.bin", b"not a model".to_vec())
        .build()
        .unwrap_err();
    assert_eq!(err.file(), "broken.bin");
    let err = Detector::builder()
        .model_file("/nonexistent/model.bin")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), scamshield::LoadErrorKind::Io);
}
