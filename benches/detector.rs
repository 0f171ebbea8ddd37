//! Criterion benches: building a Detector, and checking phone numbers of several shapes.
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

criterion_group!(benches, build, phone);
criterion_main!(benches);
