//! Criterion benches: building a Detector, and checking phone numbers, URLs and email
//! addresses of several shapes.
//! Run with `cargo bench --bench detector`.

use criterion::{criterion_group, criterion_main, Criterion};
use scamshield::{Context, Detector};
use std::hint::black_box;

fn build(c: &mut Criterion) {
    c.bench_function("Detector::new", |b| {
        b.iter(|| Detector::new().expect("embedded data loads"))
    });
}

fn phone(c: &mut Criterion) {
    let detector = Detector::new().expect("embedded data loads");
    // Warm libphonenumber's metadata (decoded on first use, ~100 ms) outside the measurement.
    detector.check_phone("+1 812 223 9376", &Context::new());
    let cases = [
        (
            "official short code",
            "95017",
            Context::new().with_brand("微信支付").with_region("CN"),
        ),
        (
            "official E.164",
            "+1 (888) 908-7930",
            Context::new().with_brand("Coinbase"),
        ),
        (
            "fake support, no phone support",
            "+1-812-223-9376",
            Context::new().with_brand("MetaMask"),
        ),
        (
            "obfuscated",
            "１-８OO-5５5-0199",
            Context::new().with_brand("Trust Wallet"),
        ),
        (
            "premium rate, GB",
            "09061701461",
            Context::new().with_region("GB"),
        ),
        (
            "area code + 95",
            "021-95533",
            Context::new().with_brand("建设银行").with_region("CN"),
        ),
    ];
    let mut group = c.benchmark_group("check_phone");
    for (name, input, ctx) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| detector.check_phone(black_box(input), ctx))
        });
    }
    group.finish();
}

fn url(c: &mut Criterion) {
    let detector = Detector::new().expect("embedded data loads");
    let none = Context::new();
    let cases = [
        ("official", "https://www.paypal.com/signin", none.clone()),
        ("no hit", "https://www.example.org/news/2026/11/22/story.html", none.clone()),
        ("shortener", "https://bit.ly/3SIKE1M", none.clone()),
        ("embedded lookalike", "https://paypal.com.secure-login.xyz/", none.clone()),
        ("confusable IDN", "https://pаypal.com/", none.clone()),
        ("user content", "https://secure-metamask-eng-ags.pages.dev/", none.clone()),
        (
            "claimed brand, heavy",
            "http://www.apple.com@83hm2uaj.kzra.top:8080/a/b/c?url=https://bit.ly/x&next=http://evil.example/login",
            Context::new().with_brand("Apple"),
        ),
    ];
    let mut group = c.benchmark_group("check_url");
    for (name, input, ctx) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| detector.check_url(black_box(input), ctx))
        });
    }
    group.finish();
}

fn email(c: &mut Criterion) {
    let detector = Detector::new().expect("embedded data loads");
    let none = Context::new();
    let cases = [
        ("official", "no-reply@coinbase.com", none.clone()),
        (
            "person at free mail",
            "Jane Doe <jane.doe@gmail.com>",
            none.clone(),
        ),
        (
            "free-mail impersonation",
            "\"PayPal Service\" <paypal.support.team@gmail.com>",
            none.clone(),
        ),
        (
            "display-name mismatch",
            "\"Microsoft account team\" <no-reply@access-accsecurity.com>",
            none.clone(),
        ),
        (
            "lookalike domain",
            "support@revoIut.com",
            Context::new().with_brand("Revolut"),
        ),
    ];
    let mut group = c.benchmark_group("check_email");
    for (name, input, ctx) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| detector.check_email(black_box(input), ctx))
        });
    }
    group.finish();
}

fn message(c: &mut Criterion) {
    let detector = Detector::new().expect("embedded data loads");
    detector.check_phone("+1 812 223 9376", &Context::new());
    let body: String = "Hi team, the quarterly report is attached. Revenue grew in all regions; \
        please review the figures before Thursday's meeting and send comments to the usual list. "
        .repeat(24);
    let body =
        format!("{body}Questions? Reply to this email or see https://intranet.example.com/q3");
    let cases: [(&str, String); 5] = [
        ("no-entity SMS", "ok see you at 7 at the cinema, bring the tickets".to_string()),
        (
            "typical smishing SMS",
            "USPS: your package is on hold due to an incomplete address. Update at https://usps-redelivery.top/x9Kq2"
                .to_string(),
        ),
        (
            "English fake support",
            "MetaMask Support: your wallet has been locked. Call 1⛧917⛧695⛧3215 to restore access.".to_string(),
        ),
        (
            "Chinese fake support",
            "【支付宝】您好，我是支付宝客服，您的账户存在异常，需要注销百万保障，请致电400-810-8888并提供验证码".to_string(),
        ),
        ("4 KiB email body", body),
    ];
    let ctx = Context::new();
    let mut group = c.benchmark_group("check_message");
    for (name, text) in &cases {
        group.bench_function(*name, |b| {
            b.iter(|| detector.check_message(black_box(text), &ctx))
        });
    }
    group.finish();
}

criterion_group!(benches, build, phone, url, email, message);
criterion_main!(benches);
