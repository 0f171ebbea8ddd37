//! The JSON schemas in docs/schema describe what the library writes and reads: verdicts of
//! every kind of check validate against `verdict.schema.json` (and hold no field the schema
//! does not name), and the documented input items against `item.schema.json`.
//!
//! The validator below covers the keywords the schemas use: `type`, `enum`, `required`,
//! `properties` (no other property allowed unless `additionalProperties` is true), `items`, `$ref` to `#/$defs/…`, `oneOf`,
//! `anyOf`, `minimum`, `maximum`.

use std::path::Path;

use scamshield::{Context, Detector};
use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("docs/schema")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(path).expect("schema is readable"))
        .expect("schema is JSON")
}

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

/// Errors of `v` against `s` (root schema `root` for `$ref`), with their JSON path.
fn check(root: &Value, s: &Value, v: &Value, path: &str, errors: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").expect("local refs only");
        return check(root, &root["$defs"][name], v, path, errors);
    }
    if let Some(options) = s.get("oneOf").and_then(Value::as_array) {
        let valid = options
            .iter()
            .filter(|o| {
                let mut e = Vec::new();
                check(root, o, v, path, &mut e);
                e.is_empty()
            })
            .count();
        if valid != 1 {
            errors.push(format!("{path}: matches {valid} of oneOf"));
        }
        return;
    }
    if let Some(options) = s.get("anyOf").and_then(Value::as_array) {
        let any = options.iter().any(|o| {
            let mut e = Vec::new();
            check(root, o, v, path, &mut e);
            e.is_empty()
        });
        if !any {
            errors.push(format!("{path}: matches none of anyOf"));
        }
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => errors.push(format!("{path}: not {t}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            errors.push(format!("{path}: none of {ts:?}"))
        }
        _ => {}
    }
    if let Some(values) = s.get("enum").and_then(Value::as_array) {
        if !values.contains(v) {
            errors.push(format!("{path}: {v} not in {values:?}"));
        }
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_i64), v.as_i64()) {
        if n < min {
            errors.push(format!("{path}: {n} < {min}"));
        }
    }
    if let (Some(max), Some(n)) = (s.get("maximum").and_then(Value::as_i64), v.as_i64()) {
        if n > max {
            errors.push(format!("{path}: {n} > {max}"));
        }
    }
    if let (Some(req), Some(o)) = (s.get("required").and_then(Value::as_array), v.as_object()) {
        for r in req {
            let r = r.as_str().unwrap_or("");
            if !o.contains_key(r) {
                errors.push(format!("{path}: missing {r}"));
            }
        }
    }
    if let (Some(props), Some(o)) = (
        s.get("properties").and_then(Value::as_object),
        v.as_object(),
    ) {
        let others = s.get("additionalProperties") == Some(&Value::Bool(true));
        for (k, val) in o {
            match props.get(k) {
                Some(p) => check(root, p, val, &format!("{path}.{k}"), errors),
                None if others => {}
                None => errors.push(format!("{path}: {k} is not in the schema")),
            }
        }
    }
    if let (Some(items), Some(a)) = (s.get("items"), v.as_array()) {
        for (i, val) in a.iter().enumerate() {
            check(root, items, val, &format!("{path}[{i}]"), errors);
        }
    }
}

fn validate(root: &Value, v: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    check(root, root, v, "$", &mut errors);
    errors
}

#[test]
fn verdicts_of_every_check_match_the_schema() {
    let root = schema("verdict.schema.json");
    let detector = Detector::new().expect("embedded data loads");
    let none = Context::new();
    let verdicts = [
        detector.check_phone("+1-812-223-9376", &Context::new().with_brand("MetaMask")),
        detector.check_phone("+1-833-242-1931", &Context::new().with_brand("UPS")),
        detector.check_phone("95017", &Context::new().with_region("CN")),
        detector.check_url("https://paypal.com.secure-login.xyz/", &none),
        detector.check_email("\"PayPal Service\" <paypal.support.team@gmail.com>", &none),
        detector.check_message(
            "Call our support line 1-888-555-0199 now, https://bit.ly/x or help@paypa1.com",
            &Context::new()
                .with_sender("\"PayPal\" <service@paypal-resolution-center.com>")
                .with_subject("PayPal: your account is limited"),
        ),
        detector.check_message(&"send me the code ".repeat(5000), &none),
    ];
    let mut failures = Vec::new();
    for v in &verdicts {
        let json = serde_json::to_value(v).expect("a verdict serializes");
        for e in validate(&root, &json) {
            failures.push(format!("{e}\n  in {json}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The validator itself rejects what the schema does not allow.
    let bad = serde_json::json!({"risk": "severe", "score": 101, "findings": [], "entity": null,
        "official_brand": null, "channels": [], "entities": [], "extra": 1});
    assert_eq!(
        validate(&root, &bad).len(),
        3,
        "{:?}",
        validate(&root, &bad)
    );
}

#[test]
fn documented_input_items_match_the_schema() {
    let root = schema("item.schema.json");
    let good = [
        r#"{"id":1,"text":"Your parcel is held","sender":"+447911123456","subject":"Delivery"}"#,
        r#"{"phone":"95017","brand":"微信支付","region":"CN"}"#,
        r#"{"url":"https://x.example/"}"#,
        r#"{"email":"a@b.example","label":"ham","lang":"en"}"#,
        r#"{"domain":"example.com"}"#,
    ];
    for line in good {
        let v: Value = serde_json::from_str(line).unwrap();
        assert!(
            validate(&root, &v).is_empty(),
            "{line}: {:?}",
            validate(&root, &v)
        );
    }
    let v: Value = serde_json::from_str(r#"{"brand":"PayPal"}"#).unwrap();
    assert!(
        !validate(&root, &v).is_empty(),
        "an item needs something to check"
    );
}
