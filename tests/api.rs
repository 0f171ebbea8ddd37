//! API-level checks: thread safety, documented rule ids, JSON shape.

use scamshield::{Context, Detector, Risk, Verdict};

#[test]
fn detector_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Detector>();
    assert_send_sync::<Verdict>();
    assert_send_sync::<Context>();
    assert_send_sync::<scamshield::LoadError>();
}

#[test]
fn every_rule_id_is_documented_in_the_readme() {
    let readme = include_str!("../README.md");
    for rule in scamshield::rules::all() {
        let row = format!("| `{}` | {} |", rule.id, rule.severity.as_str());
        assert!(
            readme.contains(&row),
            "README lacks the row for {} ({})",
            rule.id,
            rule.severity.as_str()
        );
    }
    let ids: Vec<_> = scamshield::rules::all().iter().map(|r| r.id).collect();
    let mut seen = std::collections::HashSet::new();
    assert!(ids.iter().all(|id| seen.insert(id)), "rule ids are unique");
}

#[test]
fn verdict_json_has_the_documented_shape() {
    let detector = Detector::new().unwrap();
    let v = detector.check_phone("+1-812-223-9376", &Context::new().with_brand("MetaMask"));
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    assert_eq!(json["risk"], "critical");
    assert!(json["score"].as_u64().unwrap() <= 100);
    let f = &json["findings"][0];
    for key in ["rule", "severity", "message", "evidence", "span"] {
        assert!(!f[key].is_null(), "finding has {key}");
    }
    assert_eq!(f["span"]["start"], 0);
    assert_eq!(json["entity"]["kind"], "phone");
    assert_eq!(json["entity"]["normalized"], "+18122239376");
    assert!(json["official_brand"].is_null());
    assert_eq!(json["channels"][0]["brand"], "metamask");
    assert_eq!(json["channels"][0]["phone_support"], "none");
    // Round trip.
    let back: Verdict = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
}

#[test]
fn an_official_match_never_lowers_the_risk() {
    // 95533 is CCB's number; claimed as WeChat Pay's it is still flagged.
    let detector = Detector::new().unwrap();
    let v = detector.check_phone("95533", &Context::new().with_brand("WeChat Pay"));
    assert!(v.risk >= Risk::High);
    assert_eq!(v.official_brand.as_deref(), Some("ccb"));
    // The channels of both brands are shown.
    let brands: Vec<_> = v.channels.iter().map(|c| c.brand.as_str()).collect();
    assert_eq!(brands, ["wechat-pay", "ccb"]);
}

#[test]
fn shared_detector_and_free_function_agree() {
    let ctx = Context::new().with_brand("Phantom");
    let a = scamshield::check_phone("+1 801 730 9692", &ctx);
    let b = Detector::new()
        .unwrap()
        .check_phone("+1 801 730 9692", &ctx);
    assert_eq!(a, b);
    assert_eq!(a.risk, Risk::Critical);
}

#[test]
fn hostile_inputs_do_not_panic() {
    let detector = Detector::new().unwrap();
    let ctx = Context::new().with_brand("MetaMask").with_region("CN");
    let long_digits = "9".repeat(1 << 20);
    let zero_width = "\u{200B}".repeat(100_000);
    let mixed = "1⛧".repeat(50_000);
    let inputs = [
        "",
        "+",
        "++++",
        "+0",
        "00",
        "0",
        "\u{0}",
        "٠٠٠٠٠٠٠٠",
        "O0O0O0O0",
        "1-800-",
        "1-800-ABCDEFGHIJKLMNOP",
        &long_digits,
        &zero_width,
        &mixed,
        "+86 0 95533",
        "0086 21 95533",
        "011",
        "011 44 20 7946 0958",
    ];
    for input in inputs {
        let v = detector.check_phone(input, &ctx);
        for f in &v.findings {
            assert!(
                f.span.end <= input.len()
                    && input.is_char_boundary(f.span.start)
                    && input.is_char_boundary(f.span.end)
            );
        }
    }
}
