#![no_main]
//! Fuzzes `Detector::check_url`: it must never panic, and every span must lie inside the input
//! on char boundaries.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use scamshield::{Context, Detector};

static DETECTOR: LazyLock<Detector> = LazyLock::new(|| Detector::new().expect("embedded data loads"));
static CTX: LazyLock<Context> = LazyLock::new(|| Context::new().with_brand("PayPal").with_region("CN"));

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    let v = DETECTOR.check_url(input, &CTX);
    for s in v.findings.iter().map(|f| f.span).chain(v.entity.iter().map(|e| e.span)).chain(v.entities.iter().map(|e| e.span)) {
        assert!(s.start <= s.end && s.end <= input.len());
        assert!(input.is_char_boundary(s.start) && input.is_char_boundary(s.end));
    }
});
