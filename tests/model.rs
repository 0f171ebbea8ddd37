//! The statistical model: the embedded model is the one `scamshield train` produces from
//! ../shared/corpora and the ham suite (needs the corpora: run with `--ignored`, as CI
//! does), and switching it off or loading another file works.

use std::path::Path;

use scamshield::train::{self, Options};
use scamshield::{Context, Detector};

#[test]
#[ignore = "needs ../shared/corpora"]
fn embedded_model_is_what_the_trainer_produces() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpora = root.join("../shared/corpora");
    if !corpora.is_dir() {
        eprintln!("../shared/corpora is absent: skipped");
        return;
    }
    let rows = train::read_rows(&corpora, &root.join("tests/data/notifications.toml")).unwrap();
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
    // A loan lure the rules leave below medium: the model is read.
    let scam = "Loan approved for you! See your offer here qz7rt.co/k2p reply STOP to end";
    let with = Detector::new()
        .unwrap()
        .check_message(scam, &Context::new());
    assert!(with.has("text.model_scam_likely"));
    // A message the rules already rate medium or more is not read by the model.
    let decided = "USPS: Your package is on hold due to an incomplete address. Update your details within 24 hours: https://usps-redelivery-help.top/track";
    let v = Detector::new()
        .unwrap()
        .check_message(decided, &Context::new());
    assert!(v.risk >= scamshield::Risk::Medium);
    assert!(!v.has("text.model_scam_likely"));
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
