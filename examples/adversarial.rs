//! `adversarial`: times the checks on hostile inputs (the cases of SECURITY.md §1).
//!
//! ```text
//! cargo run --release --example adversarial
//! ```
//! Prints, for each input, its size, the median time of `check_message` (and of the single
//! checks where they apply) over a few runs, and the time per 64 KiB actually checked.

use std::time::{Duration, Instant};

use scamshield::{Context, Detector, DEFAULT_MAX_MESSAGE_BYTES};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time(runs: usize, f: impl Fn()) -> Duration {
    f(); // warm up
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn main() {
    let detector = Detector::new().expect("embedded data loads");
    let ctx = Context::new().with_brand("PayPal").with_region("CN");
    detector.check_phone("+1 812 223 9376", &ctx); // load libphonenumber metadata

    let urls: String = (0..100_000)
        .map(|i| format!("http://x{i}.example-{i}.top/a "))
        .collect();
    let inputs: Vec<(&str, String)> = vec![
        ("1 MB of digits", "7".repeat(1 << 20)),
        ("1 MB of digit groups", "+1 812 223 9376 ".repeat(1 << 16)),
        ("100,000 URLs", urls),
        (
            "deeply nested brackets",
            format!("{}+1{}", "[{(".repeat(100_000), ")}]".repeat(100_000)),
        ),
        (
            "10,000 brand names",
            "PayPal 支付宝 MetaMask Coinbase ".repeat(2_500),
        ),
        ("1 MB of zero-width characters", "\u{200B}".repeat(1 << 18)),
        (
            "very long domain labels",
            format!("https://{}.{}.com/", "a".repeat(60_000), "b".repeat(60_000)),
        ),
        ("1 MB of @", "@".repeat(1 << 20)),
        (
            "requests and secrets repeated",
            "send code ".repeat(1 << 17),
        ),
        (
            "requests and secrets repeated (Chinese)",
            "验证码发给我".repeat(1 << 16),
        ),
        (
            // Every sentence holds a concept rule's first concept and no partner.
            "concept anchors in every sentence",
            "fee. ".repeat(1 << 18),
        ),
        (
            "concept pairs in every sentence",
            "gift card. police. never pay. the scammer said ".repeat(1 << 15),
        ),
        ("dotted Devanagari", "क.".repeat(1 << 18)),
        ("spaced Devanagari", "ओ टी पी आ र बी आ ई ".repeat(1 << 14)),
        ("spaced-out letters", "p a s s ".repeat(1 << 17)),
        ("pictographs inside words", "a🔹".repeat(1 << 17)),
        (
            "1 MB of CJK fraud words",
            "验证码安全账户解冻客服".repeat(1 << 15),
        ),
        (
            // Every token a disguised word to read back and rewrite.
            "1 MB of disguised words",
            "Y.our in.voice F!x W4S C!ick ".repeat(1 << 15),
        ),
        (
            // Every pair of words a brand-name split to try.
            "1 MB of symbol-split names",
            "Pay.Pal Net/flix T---Mobile a.b.c-d_e ".repeat(1 << 15),
        ),
        (
            // Rule prefixes everywhere: every word starts an anchored rule attempt.
            "1 MB of English rule openings",
            "you i it account send your verify ".repeat(1 << 15),
        ),
        (
            // Every token re-spaced: a space run and a glued shouted word each time.
            "1 MB of glued and spaced words",
            "noCOST  getREFUND\t".repeat(1 << 16),
        ),
    ];

    println!(
        "{:<32} {:>10} {:>14} {:>12} {:>12} {:>12}",
        "input", "bytes", "message", "per 64 KiB", "url", "email"
    );
    for (name, input) in &inputs {
        let runs = 5;
        let message = time(runs, || {
            detector.check_message(input, &ctx);
        });
        let checked = input.len().clamp(1, DEFAULT_MAX_MESSAGE_BYTES);
        let per_64k = message.as_secs_f64() * (64.0 * 1024.0) / checked as f64;
        let url = time(runs, || {
            detector.check_url(input, &ctx);
        });
        let email = time(runs, || {
            detector.check_email(input, &ctx);
        });
        println!(
            "{name:<32} {:>10} {:>11.3} ms {:>9.3} ms {:>9.3} ms {:>9.3} ms",
            input.len(),
            message.as_secs_f64() * 1e3,
            per_64k * 1e3,
            url.as_secs_f64() * 1e3,
            email.as_secs_f64() * 1e3
        );
    }
    let phone_inputs = [
        "7".repeat(1 << 20),
        "⛧1".repeat(1 << 18),
        "O".repeat(1 << 20),
    ];
    for input in &phone_inputs {
        let t = time(5, || {
            detector.check_phone(input, &ctx);
        });
        println!(
            "check_phone on {} bytes: {:.3} ms",
            input.len(),
            t.as_secs_f64() * 1e3
        );
    }
}
