//! `scamshield train`: trains the statistical model on labelled JSON Lines, writes the model
//! file and its data card, and with `--loco` prints leave-one-corpus-out figures.

use std::path::{Path, PathBuf};

use scamshield::train::{self, Options, Row};
use scamshield::Detector;

use crate::Failure;

/// Arguments of `scamshield train`.
#[derive(Debug, clap::Args)]
pub struct TrainArgs {
    /// A folder of labelled JSON Lines (`text`, `label`, `id`); every `*.jsonl` in it with
    /// text rows is read.
    #[arg(long, default_value = "../shared/corpora")]
    corpora: PathBuf,
    /// Real brand notifications (the ham suite, TOML `[[message]]` tables with `text`), read
    /// as ham.
    #[arg(long, default_value = "tests/data/notifications.toml")]
    notifications: PathBuf,
    /// Where to write the model.
    #[arg(long, default_value = "data/model.bin")]
    out: PathBuf,
    /// Where to write the data card (Markdown).
    #[arg(long, default_value = "data/model-card.md")]
    card: PathBuf,
    /// The date written in the data card.
    #[arg(long, default_value = "2026-12-06")]
    date: String,
    /// Also print leave-one-corpus-out figures (trains one model per corpus).
    #[arg(long)]
    loco: bool,
}

fn read_rows(args: &TrainArgs) -> Result<Vec<Row>, Failure> {
    let rows = train::read_rows(&args.corpora, &args.notifications).map_err(Failure::usage)?;
    if rows.is_empty() {
        return Err(Failure::usage(format!(
            "no labelled text rows in {}",
            args.corpora.display()
        )));
    }
    Ok(rows)
}

/// The corpora's sources and licences, as the corpora folder's README states them (its
/// table's first column names the file, its last the source and licence).
fn sources(corpora: &Path) -> String {
    let Ok(readme) = std::fs::read_to_string(corpora.join("README.md")) else {
        return "\nSources and licences: the corpora folder has no README.md; record them by hand.\n"
            .to_string();
    };
    let mut out = String::from(
        "\n## Sources and licences (from the corpora's README)\n\nSeveral corpora are for research use only or state no licence: a platform that needs clear terms retrains on its own data.\n\n| corpus | source and licence |\n|---|---|\n",
    );
    for line in readme
        .lines()
        .filter(|l| l.starts_with("| ") && l.contains(".jsonl"))
    {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        if let (Some(file), Some(source)) = (cells.first(), cells.last()) {
            out.push_str(&format!(
                "| {} | {} |\n",
                file.trim_end_matches(".jsonl"),
                source
            ));
        }
    }
    out.push_str("| notifications | tests/data/notifications.toml (this project; written from the brands' own descriptions of their messages) |\n");
    out
}

/// Runs `scamshield train`.
pub fn run(args: &TrainArgs) -> Result<(), Failure> {
    let rows = read_rows(args)?;
    let detector = Detector::builder()
        .without_model()
        .build()
        .map_err(|e| Failure::internal(e.to_string()))?;
    let mut options = Options::default();
    options.date = args.date.clone();
    eprintln!("reading {} rows…", rows.len());
    let prepared = train::prepare(&detector, &rows, options.bits);
    let trained = train::train(&prepared, &options, &[]);
    std::fs::write(&args.out, &trained.bytes)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", args.out.display())))?;
    let mut card = trained.card.clone();
    card.push_str(&sources(&args.corpora));
    if args.loco {
        let splits = train::leave_one_corpus_out(&detector, &rows, &prepared, &options, |c| {
            eprintln!("leaving out {c}…");
        });
        card.push_str("\n## Leave-one-corpus-out (medium or more)\n\n| held-out corpus | label | rows | model alone | rules alone | rules + model | scam, chatter appended (model) | scam, digits for letters (model) |\n|---|---|---|---|---|---|---|---|\n");
        for s in &splits {
            for (label, (n, m, r, b)) in &s.by_label {
                let pct = |x: usize| format!("{:.2}%", 100.0 * x as f64 / (*n).max(1) as f64);
                let ev = if label == "scam" {
                    (pct(s.evasions.0), pct(s.evasions.1))
                } else {
                    (String::new(), String::new())
                };
                card.push_str(&format!(
                    "| {} | {label} | {n} | {} | {} | {} | {} | {} |\n",
                    s.corpus,
                    pct(*m),
                    pct(*r),
                    pct(*b),
                    ev.0,
                    ev.1
                ));
            }
        }
    }
    std::fs::write(&args.card, &card)
        .map_err(|e| Failure::internal(format!("cannot write {}: {e}", args.card.display())))?;
    eprintln!(
        "wrote {} ({} bytes) and {}",
        args.out.display(),
        trained.bytes.len(),
        args.card.display()
    );
    Ok(())
}
