//! Training the statistical model (`scamshield train`): a deterministic, seeded logistic
//! regression over the features the detector reads, with capped weights, thresholds
//! calibrated per script group on ham held back from training, and leave-one-corpus-out
//! validation.
//!
//! Rows are labelled JSON Lines (`{"id", "label", "text"}`): `scam` is the positive class;
//! `ham` and `promo` (adverts are not scams) the negative; other labels (`spam`, `illegal`,
//! `other`) are not trained on and only reported. One ham row in five (chosen by a hash of
//! its corpus and id) is held back for calibration.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::model::features::{self, Unit};
use crate::model::{Meta, Model, Thresholds};
use crate::Detector;

/// A labelled row.
#[derive(Debug, Clone)]
pub struct Row {
    /// The corpus (file) it comes from: leave-one-corpus-out holds whole corpora out.
    pub corpus: String,
    /// Its id in the corpus.
    pub id: String,
    /// The message.
    pub text: String,
    /// Its label as written (`scam`, `ham`, `promo`, …).
    pub label: String,
}

impl Row {
    /// `Some(true)` for scam, `Some(false)` for ham and promo, `None` for other labels.
    pub fn class(&self) -> Option<bool> {
        match self.label.as_str() {
            "scam" => Some(true),
            "ham" | "promo" => Some(false),
            _ => None,
        }
    }

    /// Whether this ham row is held back from training for calibration.
    fn held_back(&self) -> bool {
        self.class() == Some(false)
            && features::fnv(
                features::FNV_OFFSET,
                format!("{}\u{0}{}", self.corpus, self.id).as_bytes(),
            )
            .is_multiple_of(5)
    }
}

/// Training settings. The defaults are the default model's.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// log2 of the number of weight buckets.
    pub bits: u32,
    /// Passes over the training rows.
    pub epochs: usize,
    /// The shuffling seed.
    pub seed: u64,
    /// No weight may exceed this (in logit units), so that no single feature decides.
    pub weight_cap: f32,
    /// L2 penalty per update.
    pub l2: f32,
    /// Adagrad's learning rate.
    pub learning_rate: f32,
    /// The date written in the data card (the trainer reads no clock, so that the same
    /// rows and settings always give the same bytes).
    pub date: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            bits: 18,
            epochs: 6,
            seed: 20_261_206,
            weight_cap: 1.5,
            l2: 1e-6,
            learning_rate: 0.2,
            date: "2026-12-06".to_string(),
        }
    }
}

/// One row as the trainer reads it.
struct Example {
    sentences: Vec<Unit>,
    whole: Vec<u32>,
    class: Option<bool>,
    group: usize,
    corpus: usize,
    held_back: bool,
}

/// Rows read once into features (the slow part), for training several models.
pub struct Prepared {
    examples: Vec<Example>,
    corpora: Vec<String>,
    bits: u32,
    /// The buckets of the words the features keep (see `Model::known`).
    known: Vec<u64>,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prepared")
            .field("rows", &self.examples.len())
            .field("corpora", &self.corpora)
            .finish()
    }
}

/// Reads every row's features with `detector`'s normalization.
pub fn prepare(detector: &Detector, rows: &[Row], bits: u32) -> Prepared {
    let mut corpora: Vec<String> = Vec::new();
    let examples = rows
        .iter()
        .map(|r| {
            let corpus = corpora
                .iter()
                .position(|c| *c == r.corpus)
                .unwrap_or_else(|| {
                    corpora.push(r.corpus.clone());
                    corpora.len() - 1
                });
            let sentences = detector.model_sentences(&r.text, bits, false);
            let mut whole: Vec<u32> = sentences
                .iter()
                .flat_map(|u| u.features.iter().copied())
                .collect();
            whole.sort_unstable();
            whole.dedup();
            let group = usize::from(sentences.iter().any(|u| u.cjk));
            Example {
                sentences,
                whole,
                class: r.class(),
                group,
                corpus,
                held_back: r.held_back(),
            }
        })
        .collect();
    let mut known = vec![0u64; (1usize << bits) / 64];
    detector.model_vocabulary(|w| {
        let b = features::word_bucket(w, bits) as usize;
        known[b / 64] |= 1 << (b % 64);
    });
    Prepared {
        examples,
        corpora,
        bits,
        known,
    }
}

/// A trained model: the file's bytes, and its data card (Markdown).
#[derive(Debug, Clone)]
pub struct Trained {
    /// The model file.
    pub bytes: Vec<u8>,
    /// The data card: corpora, rows, settings, thresholds, date.
    pub card: String,
}

/// Trains on every prepared row except those of the corpora in `leave_out`.
pub fn train(prepared: &Prepared, options: &Options, leave_out: &[&str]) -> Trained {
    let model = fit(prepared, options, leave_out);
    Trained {
        card: card(prepared, options, leave_out, &model),
        bytes: model.to_bytes(),
    }
}

fn fit(prepared: &Prepared, options: &Options, leave_out: &[&str]) -> Model {
    let bits = prepared.bits;
    let out: Vec<bool> = prepared
        .corpora
        .iter()
        .map(|c| leave_out.contains(&c.as_str()))
        .collect();
    let train: Vec<&Example> = prepared
        .examples
        .iter()
        .filter(|e| !out[e.corpus] && !e.held_back && e.class.is_some())
        .collect();
    // Each class of each script group weighs as much in all as the other.
    let mut counts = [[0usize; 2]; 2];
    for e in &train {
        counts[e.group][usize::from(e.class == Some(true))] += 1;
    }
    let weight = |e: &Example| -> f32 {
        let g = counts[e.group];
        let n = (g[0] + g[1]) as f32;
        let c = g[usize::from(e.class == Some(true))] as f32;
        if c == 0.0 {
            0.0
        } else {
            0.5 * n / c
        }
    };
    let size = 1usize << bits;
    let mut w = vec![0f32; size];
    let mut g2 = vec![0f32; size];
    let (mut bias, mut bias_g2) = (0f32, 0f32);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut rng = options.seed | 1;
    for _ in 0..options.epochs {
        // Fisher–Yates with xorshift64: the same seed, the same order.
        for i in (1..order.len()).rev() {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            order.swap(i, (rng % (i as u64 + 1)) as usize);
        }
        for &i in &order {
            let e = train[i];
            let y = if e.class == Some(true) { 1.0 } else { 0.0 };
            let z = bias + e.whole.iter().map(|&f| w[f as usize]).sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = (p - y) * weight(e);
            for &f in &e.whole {
                let f = f as usize;
                let grad = g + options.l2 * w[f];
                g2[f] += grad * grad;
                w[f] -= options.learning_rate * grad / (g2[f].sqrt() + 1e-6);
                w[f] = w[f].clamp(-options.weight_cap, options.weight_cap);
            }
            bias_g2 += g * g;
            bias -= options.learning_rate * g / (bias_g2.sqrt() + 1e-6);
        }
    }
    let scale = options.weight_cap / 127.0;
    let weights = w
        .iter()
        .map(|&x| (x / scale).round().clamp(-127.0, 127.0) as i8)
        .collect();
    let mut model = Model {
        meta: Meta {
            bits,
            scale,
            bias,
            latin: Thresholds {
                weak: NEVER,
                strict: NEVER,
            },
            cjk: Thresholds {
                weak: NEVER,
                strict: NEVER,
            },
            card: String::new(),
        },
        weights,
        known: prepared.known.clone(),
    };
    // Calibration on the held-back ham of the corpora trained on.
    for group in 0..2 {
        // Each held-back ham message's most scam-like window of this group.
        let mut scores: Vec<f32> = prepared
            .examples
            .iter()
            .filter(|e| !out[e.corpus] && e.held_back)
            .map(|e| model.group_maxima(&e.sentences)[group])
            .filter(|&l| l > f32::MIN)
            .collect();
        scores.sort_by(|a, b| b.total_cmp(a));
        let t = Thresholds {
            weak: above(&scores, 0.01).max(-1.0),
            strict: above(&scores, 0.001).max(0.0),
        };
        if group == 1 {
            model.meta.cjk = t;
        } else {
            model.meta.latin = t;
        }
    }
    model.meta.card = format!(
        "trained {} on {} rows of {} corpora; left out: {}",
        options.date,
        train.len(),
        prepared.corpora.len() - leave_out.len(),
        if leave_out.is_empty() {
            "none".to_string()
        } else {
            leave_out.join(", ")
        }
    );
    model
}

/// A threshold no score reaches: a group without held-back ham never fires.
const NEVER: f32 = 1.0e6;

/// The lowest threshold with at most `share` of `scores` (sorted high to low) above it.
fn above(scores: &[f32], share: f64) -> f32 {
    if scores.is_empty() {
        return NEVER;
    }
    let allowed = (scores.len() as f64 * share).floor() as usize;
    match scores.get(allowed) {
        Some(&s) => s + 1e-3,
        None => scores[scores.len() - 1],
    }
}

/// The data card of a model.
fn card(prepared: &Prepared, options: &Options, leave_out: &[&str], model: &Model) -> String {
    let mut c = String::new();
    let _ = writeln!(c, "# scamshield model data card\n");
    let _ = writeln!(
        c,
        "- Trained: {} by `scamshield train` (deterministic: seed {}).",
        options.date, options.seed
    );
    let _ = writeln!(
        c,
        "- Model: logistic regression over 2^{} hashed features (words, word pairs, CJK characters and character pairs, contact placeholders, concept terms and their pairs per sentence) of the normalized text; weights capped at ±{} and quantized to 8 bits ({} bytes).",
        options.bits,
        options.weight_cap,
        1usize << options.bits
    );
    let _ = writeln!(
        c,
        "- Settings: {} epochs, Adagrad learning rate {}, L2 {}; classes balanced per script group.",
        options.epochs, options.learning_rate, options.l2
    );
    let _ = writeln!(
        c,
        "- Scoring: the most scam-like window (every run of one to four consecutive sentences or clauses, and the whole message) counts."
    );
    let _ = writeln!(
        c,
        "- Thresholds (logits; calibrated on held-back ham, one ham row in five): Latin scripts weak {:.3} / strict {:.3}; CJK weak {:.3} / strict {:.3}.",
        model.meta.latin.weak, model.meta.latin.strict, model.meta.cjk.weak, model.meta.cjk.strict
    );
    if !leave_out.is_empty() {
        let _ = writeln!(c, "- Left out: {}", leave_out.join(", "));
    }
    let _ = writeln!(c, "\n| corpus | scam | ham and promo | not trained on (other labels) | held-back ham |\n|---|---|---|---|---|");
    let mut rows: BTreeMap<&str, [usize; 5]> = BTreeMap::new();
    for e in &prepared.examples {
        let r = rows.entry(prepared.corpora[e.corpus].as_str()).or_default();
        match e.class {
            Some(true) => r[0] += 1,
            Some(false) => r[1] += 1,
            None => r[3] += 1,
        }
        if e.held_back {
            r[4] += 1;
        }
    }
    for (name, r) in rows {
        let _ = writeln!(c, "| {name} | {} | {} | {} | {} |", r[0], r[1], r[3], r[4]);
    }
    c
}

/// One leave-one-corpus-out split's figures: shares of the held-out corpus's rows flagged
/// medium or more, by label.
#[derive(Debug, Clone)]
pub struct Split {
    /// The corpus held out.
    pub corpus: String,
    /// Per label: (rows, model alone, rules alone, rules and model together).
    pub by_label: BTreeMap<String, (usize, usize, usize, usize)>,
    /// Scam rows the model alone flags after friendly chatter is appended, and after
    /// letters are written as look-alike digits (o→0, i→1, e→3).
    pub evasions: (usize, usize),
}

/// Leave-one-corpus-out validation: for every corpus with scam or ham rows, a model trained
/// on the others, measured on it alone, against the rules alone and both together.
pub fn leave_one_corpus_out(
    detector_rules: &Detector,
    rows: &[Row],
    prepared: &Prepared,
    options: &Options,
    mut progress: impl FnMut(&str),
) -> Vec<Split> {
    let mut out = Vec::new();
    for corpus in &prepared.corpora {
        let held: Vec<&Row> = rows.iter().filter(|r| &r.corpus == corpus).collect();
        if !held.iter().any(|r| r.class().is_some()) {
            continue;
        }
        progress(corpus);
        let model = fit(prepared, options, &[corpus.as_str()]);
        let combined = Detector::builder()
            .model_bytes(format!("model without {corpus}"), model.to_bytes())
            .build();
        let Ok(combined) = combined else { continue };
        let mut split = Split {
            corpus: corpus.clone(),
            by_label: BTreeMap::new(),
            evasions: (0, 0),
        };
        for r in held {
            let sentences = detector_rules.model_sentences(&r.text, options.bits, true);
            let alone = model.fires(&sentences);
            let rules = detector_rules
                .check_message(&r.text, &crate::Context::new())
                .risk
                >= crate::Risk::Medium;
            let both =
                combined.check_message(&r.text, &crate::Context::new()).risk >= crate::Risk::Medium;
            let e = split.by_label.entry(r.label.clone()).or_default();
            e.0 += 1;
            e.1 += usize::from(alone);
            e.2 += usize::from(rules);
            e.3 += usize::from(both);
            if r.class() == Some(true) {
                let chatter = format!("{} ok lor, see u later. take care and sleep well!", r.text);
                let s = detector_rules.model_sentences(&chatter, options.bits, true);
                split.evasions.0 += usize::from(model.fires(&s));
                let digits = digits_for_letters(&r.text);
                let s = detector_rules.model_sentences(&digits, options.bits, true);
                split.evasions.1 += usize::from(model.fires(&s));
            }
        }
        out.push(split);
    }
    out
}

/// The look-alike digits evasion: o→0, i→1, e→3 in the words of a message (links and
/// addresses, whose letters a scammer cannot change, stay as they are).
fn digits_for_letters(text: &str) -> String {
    text.split_inclusive(char::is_whitespace)
        .map(|w| {
            if w.contains(['.', '/', ':', '@']) {
                w.to_string()
            } else {
                w.chars()
                    .map(|c| match c {
                        'o' => '0',
                        'i' => '1',
                        'e' => '3',
                        _ => c,
                    })
                    .collect()
            }
        })
        .collect()
}

/// The rows `scamshield train` reads: every `*.jsonl` file of the folder `corpora` with text
/// rows, in file-name order (each file's stem names its corpus), then the ham suite of real
/// brand notifications (`notifications`, TOML `[[message]]` tables, subject and text as the
/// detector reads them) as the corpus `notifications`. An error says which file and why.
pub fn read_rows(corpora: &Path, notifications: &Path) -> Result<Vec<Row>, String> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).map_err(|e| format!("cannot read {}: {e}", p.display()))
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpora)
        .map_err(|e| format!("cannot read {}: {e}", corpora.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut rows = Vec::new();
    for f in &files {
        let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("corpus");
        rows.extend(read_jsonl(name, &read(f)?));
    }
    let table: toml::Table = toml::from_str(&read(notifications)?)
        .map_err(|e| format!("{}: {e}", notifications.display()))?;
    let messages = table.get("message").and_then(|m| m.as_array());
    for (i, m) in messages.into_iter().flatten().enumerate() {
        let Some(body) = m.get("text").and_then(|t| t.as_str()) else {
            continue;
        };
        let text = match m.get("subject").and_then(|s| s.as_str()) {
            Some(s) => format!("{s}\n{body}"),
            None => body.to_string(),
        };
        rows.push(Row {
            corpus: "notifications".to_string(),
            id: (i + 1).to_string(),
            text,
            label: "ham".to_string(),
        });
    }
    Ok(rows)
}

/// Reads labelled JSON Lines: each line's `text` and `label` (and `id`, else the line
/// number); lines without text (URL and domain corpora) are skipped.
pub fn read_jsonl(corpus: &str, content: &str) -> Vec<Row> {
    content
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let v: serde_json::Value = serde_json::from_str(line).ok()?;
            let text = v.get("text")?.as_str()?.to_string();
            let label = v.get("label")?.as_str()?.to_string();
            let id = match v.get("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(other) => other.to_string(),
                None => (i + 1).to_string(),
            };
            Some(Row {
                corpus: corpus.to_string(),
                id,
                text,
                label,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows() -> Vec<Row> {
        let mut rows = Vec::new();
        let scams = [
            "Send me the 6-digit code we just texted you to verify your account",
            "Your account is suspended, pay the release fee with gift cards today",
            "Congratulations you won a prize, call now to claim it",
            "Read me the verification code so we can stop the fraud",
        ];
        let hams = [
            "see you at lunch tomorrow",
            "ok lor, i reach in 10 min",
            "can you buy milk on the way home",
            "happy birthday! have a great day",
            "the meeting moved to 3pm",
        ];
        for i in 0..40 {
            for (j, s) in scams.iter().enumerate() {
                rows.push(Row {
                    corpus: "a".into(),
                    id: format!("s{i}-{j}"),
                    text: s.to_string(),
                    label: "scam".into(),
                });
            }
            for (j, h) in hams.iter().enumerate() {
                rows.push(Row {
                    corpus: "b".into(),
                    id: format!("h{i}-{j}"),
                    text: format!("{h} {i}"),
                    label: "ham".into(),
                });
            }
        }
        rows
    }

    #[test]
    fn training_is_deterministic_and_learns() {
        let d = Detector::builder().without_model().build().unwrap();
        let rows = rows();
        let p = prepare(&d, &rows, 12);
        let options = Options {
            bits: 12,
            ..Options::default()
        };
        let a = train(&p, &options, &[]);
        let b = train(&p, &options, &[]);
        assert_eq!(a.bytes, b.bytes, "same rows and seed, same model");
        let m = Model::from_bytes("trained", &a.bytes).unwrap();
        let scam = d.model_sentences("please send me the code we texted you", 12, false);
        let ham = d.model_sentences("see you at lunch, ok lor", 12, false);
        assert!(m.group_maxima(&scam)[0] > m.group_maxima(&ham)[0]);
        // Every weight is within the cap.
        assert!(m
            .weights
            .iter()
            .all(|&w| f32::from(w) * m.meta.scale <= options.weight_cap + 1e-3));
        assert!(a.card.contains("| a | 160 | 0 |"), "{}", a.card);
    }

    #[test]
    fn appended_chatter_does_not_dilute_a_window() {
        let d = Detector::builder().without_model().build().unwrap();
        let p = prepare(&d, &rows(), 12);
        let options = Options {
            bits: 12,
            ..Options::default()
        };
        let m = Model::from_bytes("t", &train(&p, &options, &[]).bytes).unwrap();
        let scam = "Send me the 6-digit code we just texted you.";
        let long = format!("{scam} ok lor. see you at lunch tomorrow. happy birthday!");
        let a = m.group_maxima(&d.model_sentences(scam, 12, false))[0];
        let b = m.group_maxima(&d.model_sentences(&long, 12, false))[0];
        assert!(b >= a - 1e-3, "{a} vs {b}");
    }
}
