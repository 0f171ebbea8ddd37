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
    let ctx = Context::new().with_brand("Trust Wallet");
    let a = scamshield::check_phone("+1 801 730 9692", &ctx);
    let b = Detector::new()
        .unwrap()
        .check_phone("+1 801 730 9692", &ctx);
    assert_eq!(a, b);
    assert_eq!(a.risk, Risk::Critical);
}

#[test]
fn a_blank_brand_or_region_is_no_context() {
    // Batch rows often carry empty fields; they must not turn into an "unknown brand".
    let d = Detector::shared();
    let text = "Your package is held: pay the fee at parcel-fees.top/x7Kq2";
    let plain = d.check_message(text, &Context::new());
    for blank in ["", "  "] {
        let ctx = Context::new().with_brand(blank).with_region(blank);
        assert_eq!(d.check_message(text, &ctx), plain);
    }
    // A name we do not know is still reported.
    let unknown = d.check_message(text, &Context::new().with_brand("Acme Parcels"));
    assert!(unknown
        .findings
        .iter()
        .any(|f| f.rule == "context.unknown_brand"));
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
        for s in v.spans() {
            assert!(s.fits(input), "bad span {s:?}");
        }
    }
}

#[test]
fn hostile_urls_and_addresses_do_not_panic() {
    let detector = Detector::new().unwrap();
    let ctx = Context::new().with_brand("PayPal");
    let long_host = format!("https://{}.com/", "a.".repeat(100_000));
    let long_label = format!("https://{}.com/", "paypal".repeat(50_000));
    let many_at = format!("https://{}evil.com/", "x@".repeat(50_000));
    let many_params = format!("https://x.com/?{}", "u=https://a.com&".repeat(20_000));
    let zero_width = format!("https://pay{}pal.com", "\u{200B}".repeat(100_000));
    let hyphens = format!("https://{}.xyz/", "a-".repeat(40_000));
    let cyrillic = format!("https://{}.com/", "а".repeat(10_000));
    let inputs = [
        "",
        ":",
        "://",
        "http://",
        "http://[",
        "http://[::1",
        "https://@",
        "https://:@:/",
        "xn--",
        "http://xn--/",
        "http://xn--zz-.com/",
        "http://.com",
        "http://..",
        "http://0x/",
        "http://999999999999/",
        "\u{202E}",
        "data:",
        "javascript",
        "www.",
        "%",
        "http://%zz%/",
        "http://ｐａｙｐａｌ。ｃｏｍ/",
        &long_host,
        &long_label,
        &many_at,
        &many_params,
        &zero_width,
        &hyphens,
        &cyrillic,
    ];
    for input in inputs {
        for v in [
            detector.check_url(input, &ctx),
            detector.check_email(input, &ctx),
        ] {
            for s in v.spans() {
                assert!(s.fits(input), "bad span {s:?}");
            }
        }
    }
    for address in [
        "@", "a@", "@b", "a@b", "\"\" <>", "<a@b.com", "a@b.com>", "<<<@>>>",
    ] {
        detector.check_email(address, &ctx);
    }
}

#[test]
fn lookalike_findings_name_the_brand_and_its_real_domain() {
    let detector = Detector::new().unwrap();
    let cases = [
        ("https://pаypal.com/", "PayPal", "paypal.com"),
        ("legder.com", "Ledger", "ledger.com"),
        (
            "https://paypal.com.secure-login.xyz/",
            "PayPal",
            "paypal.com",
        ),
        ("coinbase-support.help", "Coinbase", "coinbase.com"),
        ("https://metamask.app/", "MetaMask", "metamask.io"),
        (
            "https://secure-metamask-eng-ags.pages.dev/",
            "MetaMask",
            "metamask.io",
        ),
        ("support@revoIut.com", "Revolut", "revolut.com"),
    ];
    for (input, brand, domain) in cases {
        let v = if input.contains('@') {
            detector.check_email(input, &Context::new())
        } else {
            detector.check_url(input, &Context::new())
        };
        let f = v
            .findings
            .iter()
            .find(|f| f.rule.starts_with("url.lookalike") || f.rule == "url.brand_on_user_content")
            .unwrap_or_else(|| panic!("{input}: no lookalike finding"));
        assert!(
            f.message.contains(brand) && f.message.contains(domain),
            "{input}: {}",
            f.message
        );
        assert!(
            v.channels.iter().any(|c| c.name == brand),
            "{input}: channels"
        );
    }
}

#[test]
fn url_and_email_verdicts_have_the_documented_shape() {
    let detector = Detector::new().unwrap();
    let v = detector.check_url("https://www.paypal.com/signin", &Context::new());
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    assert_eq!(json["entity"]["kind"], "url");
    assert_eq!(
        json["entity"]["normalized"],
        "https://www.paypal.com/signin"
    );
    assert_eq!(json["official_brand"], "paypal");
    let v = detector.check_email("\"PayPal\" <Service@PayPal.com>", &Context::new());
    let json: serde_json::Value = serde_json::to_value(&v).unwrap();
    assert_eq!(json["entity"]["kind"], "email");
    assert_eq!(json["entity"]["normalized"], "service@paypal.com");
    let back: Verdict = serde_json::from_value(json).unwrap();
    assert_eq!(back, v);
    let ctx = Context::new();
    assert_eq!(
        scamshield::check_url("legder.com", &ctx),
        detector.check_url("legder.com", &ctx)
    );
    assert_eq!(
        scamshield::check_email("a@gmail.com", &ctx),
        detector.check_email("a@gmail.com", &ctx)
    );
}

#[test]
fn a_public_suffix_list_can_be_loaded_at_run_time() {
    let psl = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/public_suffix_list.dat"),
    )
    .unwrap();
    let detector = Detector::builder().public_suffix_list(psl).build().unwrap();
    let v = detector.check_url("https://www.paypal.com/", &Context::new());
    assert_eq!(v.official_brand.as_deref(), Some("paypal"));
    let err = Detector::builder()
        .public_suffix_list("// not a list\n")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("public suffix list"), "{err}");
}

#[test]
fn an_outbound_only_number_is_marked_in_the_channels() {
    let detector = scamshield::Detector::new().expect("embedded data loads");
    let v = detector.check_phone(
        "+1-833-242-1931",
        &scamshield::Context::new().with_brand("UPS"),
    );
    let ups = v
        .channels
        .iter()
        .find(|c| c.brand == "ups")
        .expect("UPS's channels");
    let caller_id = ups
        .phones
        .iter()
        .find(|p| p.number == "+18332421931")
        .expect("the caller ID is listed");
    assert!(caller_id.outbound_only);
    let json = serde_json::to_string(&v).unwrap();
    assert!(json.contains("\"outbound_only\":true"), "{json}");
    assert!(v.findings[0].message.contains("do not call it back"));
}
