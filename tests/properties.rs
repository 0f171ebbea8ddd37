//! Property tests on untrusted input: no panic, spans inside the input and on char
//! boundaries, deterministic verdicts, JSON round trips, and adding a red flag never lowers the
//! risk. Run in CI with the default `cargo test`.

use std::sync::LazyLock;

use proptest::prelude::*;
use scamshield::{Context, Detector, Verdict};

static DETECTOR: LazyLock<Detector> =
    LazyLock::new(|| Detector::new().expect("embedded data loads"));

/// Text that looks like what the checks look for: digits in several scripts, separators,
/// brand names, link pieces, CJK, invisible characters, plus arbitrary characters.
fn messy_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("+1 ".to_string()),
        Just("800".to_string()),
        Just("９５５３３".to_string()),
        Just("⛧".to_string()),
        Just("O".to_string()),
        Just("-".to_string()),
        Just(" ".to_string()),
        Just("PayPal".to_string()),
        Just("支付宝客服".to_string()),
        Just("MetaMask support".to_string()),
        Just("https://".to_string()),
        Just("www.".to_string()),
        Just(".com".to_string()),
        Just("@gmail.com".to_string()),
        Just("hxxp[.]".to_string()),
        Just("验证码".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{202E}".to_string()),
        Just("xn--pypal-4ve".to_string()),
        Just("[{".to_string()),
        "[0-9]{1,12}",
        "\\PC{0,8}",
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

fn check_spans(input: &str, v: &Verdict) -> Result<(), TestCaseError> {
    for s in v.spans() {
        prop_assert!(s.fits(input), "span {s:?} does not fit {input:?}");
    }
    Ok(())
}

fn all_checks(input: &str) -> [Verdict; 4] {
    let ctx = Context::new().with_brand("PayPal").with_region("CN");
    [
        DETECTOR.check_message(input, &ctx),
        DETECTOR.check_phone(input, &ctx),
        DETECTOR.check_url(input, &ctx),
        DETECTOR.check_email(input, &ctx),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics_and_spans_fit(input in "\\PC{0,200}") {
        for v in all_checks(&input) {
            check_spans(&input, &v)?;
        }
    }

    #[test]
    fn messy_text_never_panics_and_spans_fit(input in messy_text()) {
        for v in all_checks(&input) {
            check_spans(&input, &v)?;
        }
    }

    #[test]
    fn verdicts_are_deterministic(input in messy_text()) {
        let a = all_checks(&input);
        let b = all_checks(&input);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn verdict_json_round_trips(input in messy_text()) {
        for v in all_checks(&input) {
            let json = serde_json::to_string(&v).expect("serializes");
            let back: Verdict = serde_json::from_str(&json).expect("deserializes");
            prop_assert_eq!(back, v);
        }
    }

    #[test]
    fn appending_a_red_flag_never_lowers_the_risk(input in messy_text()) {
        let ctx = Context::new();
        let before = DETECTOR.check_message(&input, &ctx);
        let flagged = format!("{input}\nPlease read me the verification code we just sent you.");
        let after = DETECTOR.check_message(&flagged, &ctx);
        prop_assert!(after.risk >= before.risk, "{:?} -> {:?} for {input:?}", before.risk, after.risk);
        prop_assert!(after.has("text.asks_verification_code") || flagged.len() > scamshield::DEFAULT_MAX_MESSAGE_BYTES);
    }
}
