//! The statistical signal: a logistic-regression model over hashed features of the
//! normalized text (see `features`), trained by `scamshield train` (the crate's `train`
//! module, which sits above the detector).
//!
//! A message is scored window by window (every run of one to four consecutive sentences or
//! clauses, and the whole message) and the most scam-like window counts, so friendly
//! chatter or a warning around a scam cannot dilute it. Every weight is capped in training, so no single word decides.
//! Thresholds are per script group (Latin and other alphabetic scripts; Chinese, Japanese
//! and Korean), calibrated on ham held back from training.
//!
//! File format (`data/model.bin`): the line `scamshield-model 1`, one line of JSON metadata
//! ([`Meta`]), then `2^bits` signed bytes, the quantized weights.

pub(crate) mod features;

use serde::{Deserialize, Serialize};

use crate::error::{LoadError, LoadErrorKind};
use features::Unit;

/// The embedded default model.
pub(crate) const EMBEDDED: &[u8] = include_bytes!("../../data/model.bin");
/// Its name in errors.
pub(crate) const EMBEDDED_NAME: &str = "data/model.bin";

const MAGIC: &str = "scamshield-model 1\n";

/// The most units in a window (besides the whole message).
const MAX_WINDOW: usize = 4;

/// The thresholds of one script group, as logits: `weak` (about 1% of held-back ham above
/// it) and `strict` (at most 0.1%).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(crate) struct Thresholds {
    pub weak: f32,
    pub strict: f32,
}

/// The model's metadata line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Meta {
    /// log2 of the number of weight buckets.
    pub bits: u32,
    /// A weight is `byte as f32 * scale`.
    pub scale: f32,
    pub bias: f32,
    /// Latin and other alphabetic scripts.
    pub latin: Thresholds,
    /// Chinese, Japanese, Korean.
    pub cjk: Thresholds,
    /// The trainer's summary (corpora, rows, date, settings), also in the data card.
    pub card: String,
}

/// A loaded model.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub meta: Meta,
    pub weights: Vec<i8>,
    /// The buckets of the words the model reads (the lexicons' and the read-back list's,
    /// with their endings), one bit each: other words are style and are skipped.
    pub known: Vec<u64>,
}

/// The embedded model, read once per process.
pub(crate) fn embedded() -> Result<std::sync::Arc<Model>, LoadError> {
    static MODEL: std::sync::LazyLock<Result<std::sync::Arc<Model>, LoadError>> =
        std::sync::LazyLock::new(|| {
            Model::from_bytes(EMBEDDED_NAME, EMBEDDED).map(std::sync::Arc::new)
        });
    MODEL.clone()
}

impl Model {
    /// Reads a model file; `name` is used in errors.
    pub(crate) fn from_bytes(name: &str, bytes: &[u8]) -> Result<Model, LoadError> {
        let err = |line: usize, why: &str| {
            LoadError::new(name, line, LoadErrorKind::Syntax, why.to_string())
        };
        let rest = bytes.strip_prefix(MAGIC.as_bytes()).ok_or_else(|| {
            err(
                1,
                "not a scamshield model file (no `scamshield-model 1` line)",
            )
        })?;
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or_else(|| err(2, "no metadata line"))?;
        let meta: Meta = serde_json::from_slice(&rest[..nl])
            .map_err(|e| err(2, &format!("bad metadata: {e}")))?;
        if !(8..=24).contains(&meta.bits) {
            return Err(err(2, "bits must be 8 to 24"));
        }
        if !meta.scale.is_finite() || meta.scale <= 0.0 || !meta.bias.is_finite() {
            return Err(err(2, "scale and bias must be finite, scale positive"));
        }
        let body = &rest[nl + 1..];
        let size = 1usize << meta.bits;
        if body.len() != size + size / 8 {
            return Err(err(
                3,
                &format!(
                    "expected {} weight bytes and {} bytes of known-word bits, found {} bytes",
                    size,
                    size / 8,
                    body.len()
                ),
            ));
        }
        let (weights, known) = body.split_at(size);
        Ok(Model {
            meta,
            weights: weights.iter().map(|&b| b as i8).collect(),
            known: known
                .chunks(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
                .collect(),
        })
    }

    /// The file's bytes.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.as_bytes().to_vec();
        out.extend(serde_json::to_vec(&self.meta).unwrap_or_default());
        out.push(b'\n');
        out.extend(self.weights.iter().map(|&w| w as u8));
        for k in &self.known {
            out.extend(k.to_le_bytes());
        }
        out
    }

    /// The thresholds of a text's script group.
    pub(crate) fn thresholds(&self, group: usize) -> Thresholds {
        if group == 1 {
            self.meta.cjk
        } else {
            self.meta.latin
        }
    }

    /// Whether a word's bucket is one of the words the model reads.
    pub(crate) fn knows(&self, bucket: u32) -> bool {
        self.known
            .get(bucket as usize / 64)
            .is_some_and(|w| w & (1 << (bucket % 64)) != 0)
    }

    fn weight(&self, bucket: u32) -> f32 {
        self.dequantize(self.weights[bucket as usize])
    }

    /// A quantized weight as the weight it stands for.
    fn dequantize(&self, q: i8) -> f32 {
        f32::from(q) * self.meta.scale
    }

    /// The logit of one set of features (sorted, each once).
    pub(crate) fn logit(&self, features: &[u32]) -> f32 {
        self.meta.bias + features.iter().map(|&b| self.weight(b)).sum::<f32>()
    }

    /// The windows of a message's units (every run of one to four consecutive sentences or
    /// clauses, and the whole message when it has more), with their logits and script
    /// groups (a window with any Chinese, Japanese or Korean unit is in that group). A
    /// warning or chatter before or after a scam is never in all of its windows.
    fn windows(&self, units: &[Unit], mut each: impl FnMut(f32, (usize, usize), usize)) {
        let n = units.len();
        let longest = MAX_WINDOW.min(n);
        // The logits of the windows from each unit on, a window grown by merging the next
        // unit's sorted features into the last (linear, where sorting the run afresh is not),
        // then reported by length and start.
        let mut logits = vec![0.0f32; longest * n];
        let (mut run, mut grown): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
        for i in 0..n {
            run.clear();
            run.extend(&units[i].features);
            logits[i] = self.logit(&run);
            for len in 2..=longest.min(n - i) {
                merge_sorted(&run, &units[i + len - 1].features, &mut grown);
                std::mem::swap(&mut run, &mut grown);
                logits[(len - 1) * n + i] = self.logit(&run);
            }
        }
        for len in 1..=longest {
            for i in 0..=n - len {
                let cjk = units[i..i + len].iter().any(|u| u.cjk);
                each(
                    logits[(len - 1) * n + i],
                    (i, i + len - 1),
                    usize::from(cjk),
                );
            }
        }
        if n > MAX_WINDOW {
            run.clear();
            for u in units {
                run.extend(&u.features);
            }
            run.sort_unstable();
            run.dedup();
            let cjk = units.iter().any(|u| u.cjk);
            each(self.logit(&run), (0, n - 1), usize::from(cjk));
        }
    }

    /// The highest logit among a message's windows of each script group (`f32::MIN` when
    /// it has none of a group).
    pub(crate) fn group_maxima(&self, units: &[Unit]) -> [f32; 2] {
        let mut best = [f32::MIN; 2];
        self.windows(units, |l, _, g| best[g] = best[g].max(l));
        best
    }

    /// The window that passes its group's strict threshold by the most (or falls short by
    /// the least): its logit, its unit range and whether it passes.
    pub(crate) fn best(&self, units: &[Unit]) -> Option<Best> {
        let mut best: Option<Best> = None;
        self.windows(units, |logit, window, g| {
            let margin = logit - self.thresholds(g).strict;
            if best.as_ref().is_none_or(|b| margin > b.margin) {
                best = Some(Best {
                    logit,
                    window,
                    margin,
                });
            }
        });
        best
    }

    /// Whether some window of the message passes its group's strict threshold.
    pub(crate) fn fires(&self, units: &[Unit]) -> bool {
        self.best(units).is_some_and(|b| b.margin >= 0.0)
    }

    /// The least weight a feature of `units` needs to be among the `n` that add most to the
    /// score (ties included): only features at or above it need a name for [`Model::top`].
    pub(crate) fn top_floor(&self, units: &[Unit], n: usize) -> f32 {
        // The `n` highest distinct positive weights, highest first (quantized weights: a
        // weight is an 8-bit step, so distinct means a different byte).
        let mut top: Vec<i8> = Vec::with_capacity(n + 1);
        for &b in units.iter().flat_map(|u| &u.features) {
            let w = self.weights[b as usize];
            if w <= 0 || top.contains(&w) {
                continue;
            }
            let at = top.partition_point(|&t| t > w);
            if at < n {
                top.insert(at, w);
                top.truncate(n);
            }
        }
        match n.checked_sub(1).and_then(|i| top.get(i)) {
            Some(&w) => self.dequantize(w),
            None => f32::MIN_POSITIVE,
        }
    }

    /// Whether a feature weighs at least `floor` (see [`Model::top_floor`]).
    pub(crate) fn weighs_at_least(&self, bucket: u32, floor: f32) -> bool {
        self.weight(bucket) >= floor
    }

    /// The features of `named` that add most to the score, at most `n`, most first.
    pub(crate) fn top(&self, named: &[(u32, String)], n: usize) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        let mut scored: Vec<(f32, &str)> = named
            .iter()
            .filter(|(b, _)| seen.insert(*b))
            .map(|(b, s)| (self.weight(*b), s.as_str()))
            .filter(|(w, _)| *w > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored
            .into_iter()
            .take(n)
            .map(|(_, s)| s.to_string())
            .collect()
    }
}

/// The most scam-like window of a message.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Best {
    pub logit: f32,
    /// The first and last unit of the window.
    pub window: (usize, usize),
    /// The logit minus the strict threshold of the window's script group.
    pub margin: f32,
}

/// The union of two sorted lists without repeats, sorted and without repeats, into `out`.
fn merge_sorted(a: &[u32], b: &[u32], out: &mut Vec<u32>) {
    out.clear();
    out.reserve(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
}

/// The logistic function.
pub(crate) fn probability(logit: f32) -> f32 {
    1.0 / (1.0 + (-logit).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merged_windows_are_the_sorted_unions() {
        let mut out = Vec::new();
        merge_sorted(&[1, 4, 9], &[2, 4, 10, 11], &mut out);
        assert_eq!(out, [1, 2, 4, 9, 10, 11]);
        merge_sorted(&[], &[3], &mut out);
        assert_eq!(out, [3]);
        // Each window's logit is the logit of its units' features, each once.
        let m = Model::from_bytes(EMBEDDED_NAME, EMBEDDED).expect("the embedded model loads");
        let unit = |f: &[u32]| features::Unit {
            features: f.to_vec(),
            cjk: false,
        };
        let units = [
            unit(&[5, 7, 900]),
            unit(&[7, 8]),
            unit(&[1, 900]),
            unit(&[3]),
            unit(&[2]),
        ];
        let mut seen = Vec::new();
        m.windows(&units, |logit, (a, b), _| seen.push((logit, a, b)));
        assert_eq!(seen.len(), 5 + 4 + 3 + 2 + 1);
        for (logit, a, b) in seen {
            let mut all: Vec<u32> = units[a..=b]
                .iter()
                .flat_map(|u| u.features.clone())
                .collect();
            all.sort_unstable();
            all.dedup();
            assert_eq!(logit.to_bits(), m.logit(&all).to_bits(), "window {a}..={b}");
        }
    }

    #[test]
    fn embedded_model_loads_and_round_trips() {
        let m = Model::from_bytes(EMBEDDED_NAME, EMBEDDED).expect("the embedded model loads");
        assert_eq!(m.to_bytes(), EMBEDDED);
        assert!(EMBEDDED.len() <= 1 << 20, "the model is at most 1 MB");
    }

    #[test]
    fn bad_files_are_errors_with_the_reason() {
        let e = Model::from_bytes("m.bin", b"hello").unwrap_err();
        assert!(e.to_string().contains("not a scamshield model"), "{e}");
        let e = Model::from_bytes("m.bin", b"scamshield-model 1\n{}\n").unwrap_err();
        assert!(e.to_string().contains("bad metadata"), "{e}");
        let m = Model::from_bytes(EMBEDDED_NAME, EMBEDDED).unwrap();
        let mut short = m.to_bytes();
        short.pop();
        let e = Model::from_bytes("m.bin", &short).unwrap_err();
        assert!(e.to_string().contains("known-word bits"), "{e}");
    }
}
