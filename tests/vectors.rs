//! Runs every data-driven vector in tests/data/*.toml. Adding a case needs no Rust code.

use std::path::Path;

use scamshield::{Context, Detector, Risk, Verdict};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct File {
    test: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    input: String,
    brand: Option<String>,
    region: Option<String>,
    sender: Option<String>,
    subject: Option<String>,
    /// The field (`sender` or `subject`) some finding's span points into.
    field: Option<String>,
    risk: Option<Risk>,
    min_risk: Option<Risk>,
    max_risk: Option<Risk>,
    #[serde(default)]
    rules: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    normalized: Option<String>,
    official_brand: Option<String>,
    span: Option<String>,
    /// Repeat `input` this many times (for size limits).
    repeat: Option<usize>,
    #[serde(default)]
    channels: Vec<String>,
}

/// Renders a verdict's findings for failure messages, with the spans inline.
fn explain(case: &Case, v: &Verdict) -> String {
    let mut out = format!("risk {} (score {})\n", v.risk, v.score);
    for f in &v.findings {
        let s = &case.input;
        let marked = format!(
            "{}|{}|{}",
            s.get(..f.span.start).unwrap_or("?"),
            f.span.slice(s),
            s.get(f.span.end..).unwrap_or("?")
        );
        out += &format!(
            "  {} [{}] {:?}: {}\n",
            f.rule,
            f.severity.as_str(),
            marked,
            f.message
        );
    }
    out
}

fn check_case(detector: &Detector, kind: &str, case: &Case) -> Result<(), String> {
    let input = case.input.repeat(case.repeat.unwrap_or(1));
    let case = &Case {
        input,
        name: case.name.clone(),
        brand: case.brand.clone(),
        region: case.region.clone(),
        sender: case.sender.clone(),
        subject: case.subject.clone(),
        field: case.field.clone(),
        risk: case.risk,
        min_risk: case.min_risk,
        max_risk: case.max_risk,
        rules: case.rules.clone(),
        absent: case.absent.clone(),
        normalized: case.normalized.clone(),
        official_brand: case.official_brand.clone(),
        span: case.span.clone(),
        repeat: None,
        channels: case.channels.clone(),
    };
    let mut ctx = Context::new();
    if let Some(b) = &case.brand {
        ctx = ctx.with_brand(b);
    }
    if let Some(r) = &case.region {
        ctx = ctx.with_region(r);
    }
    if let Some(s) = &case.sender {
        ctx = ctx.with_sender(s);
    }
    if let Some(s) = &case.subject {
        ctx = ctx.with_subject(s);
    }
    let v = match kind {
        "phone" => detector.check_phone(&case.input, &ctx),
        "text" => detector.check_message(&case.input, &ctx),
        "url" => detector.check_url(&case.input, &ctx),
        "email" => detector.check_email(&case.input, &ctx),
        other => return Err(format!("no checker for vector file {other:?}")),
    };
    let fail = |why: String| Err(format!("{}: {why}\n{}", case.name, explain(case, &v)));
    if let Some(r) = case.risk {
        if v.risk != r {
            return fail(format!("risk {} != expected {r}", v.risk));
        }
    }
    if let Some(r) = case.min_risk {
        if v.risk < r {
            return fail(format!("risk {} < expected minimum {r}", v.risk));
        }
    }
    if let Some(r) = case.max_risk {
        if v.risk > r {
            return fail(format!("risk {} > expected maximum {r}", v.risk));
        }
    }
    for rule in &case.rules {
        if !v.has(rule) {
            return fail(format!("missing rule {rule}"));
        }
    }
    for rule in &case.absent {
        if v.has(rule) {
            return fail(format!("unexpected rule {rule}"));
        }
    }
    if let Some(n) = &case.normalized {
        let got = v.entity.as_ref().map(|e| e.normalized.as_str());
        if got != Some(n.as_str()) {
            return fail(format!("normalized {got:?} != {n:?}"));
        }
    }
    if let Some(b) = &case.official_brand {
        let got = v.official_brand.as_deref().unwrap_or("");
        if got != b {
            return fail(format!("official_brand {got:?} != {b:?}"));
        }
    }
    if let Some(s) = &case.span {
        // Single checks: the entity's span; messages: some entity's span.
        let spans: Vec<&str> = v
            .entity
            .iter()
            .chain(&v.entities)
            .map(|e| e.span.slice(&case.input))
            .collect();
        if !spans.contains(&s.as_str()) {
            return fail(format!("spans cover {spans:?}, expected {s:?}"));
        }
    }
    for brand in &case.channels {
        if !v.channels.iter().any(|c| &c.brand == brand) {
            return fail(format!("channels lack {brand}"));
        }
    }
    if let Some(field) = &case.field {
        let named = |f: &scamshield::Finding| {
            serde_json::to_value(f.span)
                .ok()
                .and_then(|s| s.get("field").cloned())
                == Some(serde_json::Value::String(field.clone()))
        };
        if !v.findings.iter().any(named) {
            return fail(format!("no finding points into the {field} field"));
        }
    }
    for f in &v.findings {
        let field_text = match serde_json::to_value(f.span)
            .ok()
            .and_then(|s| s.get("field").cloned())
        {
            Some(serde_json::Value::String(f)) if f == "sender" => {
                case.sender.clone().unwrap_or_default()
            }
            Some(serde_json::Value::String(f)) if f == "subject" => {
                case.subject.clone().unwrap_or_default()
            }
            _ => case.input.clone(),
        };
        if !f.span.fits(&field_text) {
            return fail(format!("finding {} has a bad span {:?}", f.rule, f.span));
        }
        if !scamshield::rules::all().iter().any(|r| *r.id == *f.rule) {
            return fail(format!("finding uses undocumented rule id {}", f.rule));
        }
    }
    Ok(())
}

#[test]
fn data_driven_vectors() {
    let detector = Detector::new().expect("embedded data loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut failures = Vec::new();
    let mut count = 0;
    for kind in ["phone", "url", "email", "text"] {
        let path = dir.join(format!("{kind}.toml"));
        let text = std::fs::read_to_string(&path).expect("vector file is readable");
        let file: File =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for case in &file.test {
            count += 1;
            if let Err(e) = check_case(&detector, kind, case) {
                failures.push(e);
            }
        }
    }
    assert!(count > 0, "no vectors were read");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every message rule has at least one positive and one negative vector in text.toml.
#[test]
fn every_message_rule_has_positive_and_negative_vectors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/text.toml");
    let file: File = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut missing = Vec::new();
    for rule in scamshield::rules::all()
        .iter()
        .filter(|r| r.id.starts_with("text."))
    {
        let positive = file
            .test
            .iter()
            .any(|c| c.rules.iter().any(|r| r == rule.id));
        let negative = file
            .test
            .iter()
            .any(|c| c.absent.iter().any(|r| r == rule.id));
        if !positive || !negative {
            missing.push(format!(
                "{} (positive: {positive}, negative: {negative})",
                rule.id
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "rules without vectors:\n{}",
        missing.join("\n")
    );
}
