#![no_main]
//! Fuzzes `Detector::check_email`: it must never panic, and every span must lie inside the input
//! on char boundaries.

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use scamshield::{Context, Detector};

static DETECTOR: LazyLock<Detector> = LazyLock::new(|| Detector::new().expect("embedded data loads"));
static CTX: LazyLock<Context> = LazyLock::new(|| Context::new().with_brand("PayPal").with_region("CN"));

fuzz_target!(|data: &[u8]| {
    let Ok(input) = std::str::from_utf8(data) else { return };
    scamshield::fuzzing::assert_spans(input, &DETECTOR.check_email(input, &CTX));
});
