//! One item to check, as a `scan` line or a `POST /v1/check` body carries it, and the output
//! line written for it.
//!
//! Input: a JSON object with one payload field (`text`, `phone`, `url`, `email` or `domain`;
//! when several are present the first in that order is checked), optionally `brand`,
//! `region` and `id`, and for `text` the message's `sender` and `subject`. Other fields
//! (`label`, `lang`, …) are ignored.
//!
//! Output: the full verdict JSON with the item's `id` first
//! (`{"id":…,"risk":…,"score":…,"findings":[…],…}`), or `{"id":…,"error":"…"}` for an item
//! that could not be checked.

use std::borrow::Cow;

use scamshield::{Context, Detector, Risk, Verdict};
use serde::{Deserialize, Serialize};

/// An error line: `{"id":…,"error":"…"}`, id first.
#[derive(Serialize)]
struct ErrorLine<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a serde_json::Value>,
    error: &'a str,
}

/// A compact line: `{"id":…,"risk":…,"score":…,"rules":[…]}`.
#[derive(Serialize)]
struct CompactLine<'a> {
    id: &'a serde_json::Value,
    risk: Risk,
    score: u8,
    rules: Vec<&'a str>,
}

/// One input item. Strings without JSON escapes are borrowed from the input, not copied.
#[derive(Debug, Deserialize)]
pub struct Item<'a> {
    /// Any JSON value; echoed back as is.
    pub id: Option<serde_json::Value>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    phone: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    email: Option<Cow<'a, str>>,
    /// A bare domain, checked as `https://<domain>/`.
    #[serde(borrow)]
    domain: Option<Cow<'a, str>>,
    #[serde(borrow)]
    brand: Option<Cow<'a, str>>,
    #[serde(borrow)]
    region: Option<Cow<'a, str>>,
    /// Who sent a `text`: phone number, short code, sender ID or email address.
    #[serde(borrow)]
    sender: Option<Cow<'a, str>>,
    /// The subject of a `text` (email).
    #[serde(borrow)]
    subject: Option<Cow<'a, str>>,
}

/// The payload fields, in the order they are looked for.
pub const PAYLOAD_FIELDS: &str = "text, phone, url, email or domain";

impl Item<'_> {
    /// Parses one JSON object.
    pub fn parse(json: &[u8]) -> Result<Item<'_>, String> {
        serde_json::from_slice(json).map_err(|e| {
            format!("not a JSON object of the expected shape ({e}); expected {{\"text\"|\"phone\"|\"url\"|\"email\"|\"domain\": \"…\", \"brand\"?, \"region\"?, \"sender\"?, \"subject\"?, \"id\"?}}")
        })
    }

    /// Checks the item's payload, or says that it has none.
    pub fn check(&self, detector: &Detector) -> Result<Verdict, String> {
        let mut ctx = Context::new();
        if let Some(b) = &self.brand {
            ctx = ctx.with_brand(b.as_ref());
        }
        if let Some(r) = &self.region {
            ctx = ctx.with_region(r.as_ref());
        }
        if let Some(s) = &self.sender {
            ctx = ctx.with_sender(s.as_ref());
        }
        if let Some(s) = &self.subject {
            ctx = ctx.with_subject(s.as_ref());
        }
        Ok(if let Some(t) = &self.text {
            detector.check_message(t, &ctx)
        } else if let Some(p) = &self.phone {
            detector.check_phone(p, &ctx)
        } else if let Some(u) = &self.url {
            detector.check_url(u, &ctx)
        } else if let Some(e) = &self.email {
            detector.check_email(e, &ctx)
        } else if let Some(d) = &self.domain {
            detector.check_url(&format!("https://{}/", d.trim()), &ctx)
        } else {
            return Err(format!("no {PAYLOAD_FIELDS} field"));
        })
    }
}

/// How output lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// The full verdict JSON with the id first.
    Json,
    /// `{"id","risk","score","rules":[…]}`: rule ids only.
    Compact,
    /// `id<TAB>risk<TAB>score<TAB>rule,rule,…` (or `id<TAB>error<TAB>reason`).
    Text,
}

/// What became of one item: counted in summaries and metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Checked, with this risk.
    Checked(Risk),
    /// Not checked: an error line was written.
    Failed,
}

/// Appends `verdict` as one JSON object with `id` first (when given), without a newline.
pub fn write_verdict_json(out: &mut Vec<u8>, id: Option<&serde_json::Value>, verdict: &Verdict) {
    let start = out.len();
    if let Some(id) = id {
        out.extend_from_slice(b"{\"id\":");
        if serde_json::to_writer(&mut *out, id).is_err() {
            out.truncate(start);
        } else {
            out.push(b',');
        }
    }
    let fields = out.len();
    if !write_memoized(out, verdict) && serde_json::to_writer(&mut *out, verdict).is_err() {
        out.truncate(start);
        write_error(out, Format::Json, id, "the verdict could not be serialized");
        return;
    }
    // A verdict serializes as an object, `{"risk":…}`: after the id, its fields go on
    // without their opening brace.
    if fields > start && out.get(fields) == Some(&b'{') {
        out.remove(fields);
    }
}

thread_local! {
    /// The last verdict without findings or entities that this thread serialized, and its
    /// JSON: most messages get the same empty verdict, which is then copied, not serialized
    /// again. The verdict is compared whole, so every field counts.
    static LAST_EMPTY: std::cell::RefCell<Option<(Verdict, Vec<u8>)>> =
        const { std::cell::RefCell::new(None) };
}

/// Appends the JSON of `verdict` when it equals the last empty verdict this thread
/// serialized; otherwise, for an empty verdict, serializes it and remembers it. Returns
/// whether the JSON was appended.
fn write_memoized(out: &mut Vec<u8>, verdict: &Verdict) -> bool {
    if !verdict.findings.is_empty() || !verdict.entities.is_empty() {
        return false;
    }
    LAST_EMPTY.with_borrow_mut(|last| {
        if let Some((v, json)) = last.as_ref() {
            if v == verdict {
                out.extend_from_slice(json);
                return true;
            }
        }
        let Ok(json) = serde_json::to_vec(verdict) else {
            return false;
        };
        out.extend_from_slice(&json);
        *last = Some((verdict.clone(), json));
        true
    })
}

/// Appends the line for one checked item, with a newline.
pub fn write_line(out: &mut Vec<u8>, format: Format, id: &serde_json::Value, verdict: &Verdict) {
    match format {
        Format::Json => write_verdict_json(out, Some(id), verdict),
        Format::Compact => {
            let rules: Vec<&str> = verdict.findings.iter().map(|f| f.rule.as_ref()).collect();
            let compact = CompactLine {
                id,
                risk: verdict.risk,
                score: verdict.score,
                rules,
            };
            if serde_json::to_writer(&mut *out, &compact).is_err() {
                out.extend_from_slice(b"{\"error\":\"unserializable\"}");
            }
        }
        Format::Text => {
            write_text_id(out, id);
            out.push(b'\t');
            out.extend_from_slice(verdict.risk.as_str().as_bytes());
            out.push(b'\t');
            out.extend_from_slice(verdict.score.to_string().as_bytes());
            out.push(b'\t');
            for (i, f) in verdict.findings.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.extend_from_slice(f.rule.as_bytes());
            }
        }
    }
    out.push(b'\n');
}

/// Appends the line for an item that could not be checked, with a newline.
pub fn write_error_line(
    out: &mut Vec<u8>,
    format: Format,
    id: Option<&serde_json::Value>,
    error: &str,
) {
    write_error(out, format, id, error);
    out.push(b'\n');
}

fn write_error(out: &mut Vec<u8>, format: Format, id: Option<&serde_json::Value>, error: &str) {
    match format {
        Format::Json | Format::Compact => {
            let obj = ErrorLine { id, error };
            if serde_json::to_writer(&mut *out, &obj).is_err() {
                out.extend_from_slice(b"{\"error\":\"unserializable\"}");
            }
        }
        Format::Text => {
            if let Some(id) = id {
                write_text_id(out, id);
            }
            out.extend_from_slice(b"\terror\t");
            out.extend_from_slice(one_line(error).as_bytes());
        }
    }
}

/// An id in the text format: a string as is (tabs and line breaks replaced), anything else as
/// JSON.
fn write_text_id(out: &mut Vec<u8>, id: &serde_json::Value) {
    match id {
        serde_json::Value::String(s) => out.extend_from_slice(one_line(s).as_bytes()),
        other => out.extend_from_slice(other.to_string().as_bytes()),
    }
}

/// The index of `risk` in [`RISKS`].
pub fn risk_index(risk: Risk) -> usize {
    RISKS
        .iter()
        .position(|r| *r == risk)
        .unwrap_or(RISKS.len() - 1)
}

/// Every risk, lowest first: the order of per-risk counts.
pub const RISKS: [Risk; 5] = [
    Risk::None,
    Risk::Low,
    Risk::Medium,
    Risk::High,
    Risk::Critical,
];

fn one_line(s: &str) -> Cow<'_, str> {
    if s.contains(['\t', '\n', '\r']) {
        Cow::Owned(s.replace(['\t', '\n', '\r'], " "))
    } else {
        Cow::Borrowed(s)
    }
}

/// Checks one JSON Lines line (without its newline) and appends its output line. `number` is
/// the 1-based line number: the id of a line that has none, and named in error reasons.
pub fn process_json_line(
    detector: &Detector,
    line: &[u8],
    number: u64,
    format: Format,
    out: &mut Vec<u8>,
) -> Outcome {
    let fallback = serde_json::Value::from(number);
    if line.iter().all(u8::is_ascii_whitespace) {
        write_error_line(
            out,
            format,
            Some(&fallback),
            &format!("line {number}: empty line"),
        );
        return Outcome::Failed;
    }
    let item = match Item::parse(line) {
        Ok(item) => item,
        Err(e) => {
            write_error_line(out, format, Some(&fallback), &format!("line {number}: {e}"));
            return Outcome::Failed;
        }
    };
    let id = item.id.as_ref().unwrap_or(&fallback);
    match item.check(detector) {
        Ok(verdict) => {
            write_line(out, format, id, &verdict);
            Outcome::Checked(verdict.risk)
        }
        Err(e) => {
            write_error_line(out, format, Some(id), &format!("line {number}: {e}"));
            Outcome::Failed
        }
    }
}

/// Checks one raw message line (its id is the line number) and appends its output line.
pub fn process_text_line(
    detector: &Detector,
    line: &[u8],
    number: u64,
    format: Format,
    out: &mut Vec<u8>,
) -> Outcome {
    let id = serde_json::Value::from(number);
    match std::str::from_utf8(line) {
        Ok(text) => {
            let verdict = detector.check_message(text, &Context::new());
            write_line(out, format, &id, &verdict);
            Outcome::Checked(verdict.risk)
        }
        Err(e) => {
            write_error_line(
                out,
                format,
                Some(&id),
                &format!("line {number}: not valid UTF-8 ({e})"),
            );
            Outcome::Failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_comes_first_and_the_verdict_is_whole() {
        let detector = Detector::shared();
        let mut out = Vec::new();
        let outcome = process_json_line(
            detector,
            br#"{"id":"a\"1","phone":"+1-812-223-9376","brand":"MetaMask"}"#,
            7,
            Format::Json,
            &mut out,
        );
        assert_eq!(outcome, Outcome::Checked(Risk::Critical));
        let text = String::from_utf8(out).expect("UTF-8");
        assert!(
            text.starts_with(r#"{"id":"a\"1","risk":"critical""#),
            "{text}"
        );
        let value: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
        let mut verdict = value.clone();
        if let Some(o) = verdict.as_object_mut() {
            o.remove("id");
        }
        let verdict: Verdict = serde_json::from_value(verdict).expect("a whole verdict");
        assert!(verdict.has("phone.brand_has_no_phone_support"));
    }

    #[test]
    fn bad_lines_get_error_lines() {
        let detector = Detector::shared();
        for (line, want) in [
            (&b"not json"[..], "line 3: not a JSON object"),
            (b"[1,2]", "line 3: not a JSON object"),
            (b"{\"id\":\"x\"}", "no text, phone"),
            (b"{\"text\":5}", "line 3: not a JSON object"),
            (b"  ", "empty line"),
        ] {
            let mut out = Vec::new();
            let outcome = process_json_line(detector, line, 3, Format::Json, &mut out);
            assert_eq!(outcome, Outcome::Failed);
            let text = String::from_utf8(out).expect("UTF-8");
            assert!(text.contains(want), "{text}");
            assert!(text.ends_with('\n'));
            let _: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        }
        let mut out = Vec::new();
        process_text_line(detector, b"ok \xff", 2, Format::Text, &mut out);
        assert_eq!(
            String::from_utf8_lossy(&out).split('\t').nth(1),
            Some("error")
        );
    }
}
