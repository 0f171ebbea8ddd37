//! `scan`: the batch scanner for messaging platforms.
//!
//! ```text
//! cargo run --release --example scan -- [--threads N] [--summary] [--plain] [FILE]
//! ```
//! Reads JSON Lines from FILE or standard input: each line an object with `id` and one of
//! `text`, `url`, `email`, `phone` (or `domain`, checked as `https://<domain>/`), optionally
//! `brand`, `region`, `sender`, `subject` and `label`. Writes one JSON
//! object per input line to standard output, in input order: the same `id`, `risk`, `score`
//! and the findings (rule ids with spans). A line that is not valid JSON, or has no payload,
//! gets an output line with an `error` field: never a crash, never a dropped line.
//!
//! `--plain` reads one raw text per line instead (its id is the line number). `--summary`
//! prints counts per risk level, a label × share-flagged table when rows carry `label`, and
//! messages per second to standard error. `--repeat N` scans the input N times (same output)
//! and also reports the median throughput of passes 2..N: a warmed-up service. A progress
//! bar is drawn on standard error when it is a terminal.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use clap::Parser;
use scamshield::{Context, Detector, Risk, Verdict};
use serde::{Deserialize, Serialize};

/// Batch scanner: JSON Lines in, one verdict per line out, in input order.
#[derive(Debug, Parser)]
#[command(name = "scan")]
struct Args {
    /// Worker threads (default: all cores).
    #[arg(long)]
    threads: Option<usize>,
    /// Print a summary (risk counts, label table, throughput) to standard error.
    #[arg(long)]
    summary: bool,
    /// Input is one raw text per line, not JSON.
    #[arg(long)]
    plain: bool,
    /// Scan the input this many times (for throughput figures): the summary reports the first
    /// pass and the median of the later ones, which show a warmed-up service.
    #[arg(long, default_value_t = 1)]
    repeat: usize,
    /// Input file (default: standard input).
    file: Option<std::path::PathBuf>,
}

/// One input line. Strings without JSON escapes are borrowed from the line, not copied.
#[derive(Debug, Deserialize)]
struct Row<'a> {
    id: Option<serde_json::Value>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    email: Option<Cow<'a, str>>,
    #[serde(borrow)]
    phone: Option<Cow<'a, str>>,
    /// A bare registrable domain (the domain corpora): checked as `https://<domain>/`.
    #[serde(borrow)]
    domain: Option<Cow<'a, str>>,
    #[serde(borrow)]
    brand: Option<Cow<'a, str>>,
    #[serde(borrow)]
    region: Option<Cow<'a, str>>,
    #[serde(borrow)]
    sender: Option<Cow<'a, str>>,
    #[serde(borrow)]
    subject: Option<Cow<'a, str>>,
    label: Option<String>,
}

#[derive(Debug, Serialize)]
struct OutFinding<'a> {
    rule: &'a str,
    severity: &'a str,
    start: usize,
    end: usize,
}

#[derive(Debug, Serialize)]
struct Out<'a> {
    id: &'a serde_json::Value,
    risk: &'a str,
    score: u8,
    findings: Vec<OutFinding<'a>>,
}

#[derive(Debug, Serialize)]
struct OutError<'a> {
    id: &'a serde_json::Value,
    error: String,
}

/// Lines per batch: read, scanned by all workers, written, then the next batch. Small
/// batches keep memory low and reuse the allocator's pages (with 16,384 lines, freeing each
/// batch's output let the next batch pay page faults: NUS ham ran ~15% slower).
const BATCH_LINES: usize = 4_096;

/// The result of one input line: the output line, and (risk, label) for the summary.
struct Done {
    line: String,
    risk: Option<Risk>,
    label: Option<String>,
}

fn render(id: &serde_json::Value, v: &Verdict) -> String {
    let out = Out {
        id,
        risk: v.risk.as_str(),
        score: v.score,
        findings: v
            .findings
            .iter()
            .map(|f| OutFinding {
                rule: &f.rule,
                severity: f.severity.as_str(),
                start: f.span.start,
                end: f.span.end,
            })
            .collect(),
    };
    serde_json::to_string(&out)
        .unwrap_or_else(|e| format!("{{\"error\":\"cannot serialize: {e}\"}}"))
}

impl Done {
    /// The answer to a line that could not be checked.
    fn error(id: &serde_json::Value, error: String, label: Option<String>) -> Done {
        Done {
            line: serde_json::to_string(&OutError { id, error })
                .unwrap_or_else(|_| "{\"error\":\"unserializable\"}".into()),
            risk: None,
            label,
        }
    }
}

fn process(detector: &Detector, index: usize, line: &str, plain: bool) -> Done {
    if plain {
        let id = serde_json::Value::from(index + 1);
        let v = detector.check_message(line, &Context::new());
        return Done {
            line: render(&id, &v),
            risk: Some(v.risk),
            label: None,
        };
    }
    let row: Row = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            return Done::error(
                &serde_json::Value::from(index + 1),
                format!(
                    "line {}: not a JSON object of the expected shape: {e}",
                    index + 1
                ),
                None,
            );
        }
    };
    let id = row.id.unwrap_or_else(|| serde_json::Value::from(index + 1));
    let mut ctx = Context::new();
    if let Some(b) = &row.brand {
        ctx = ctx.with_brand(b.as_ref());
    }
    if let Some(s) = &row.sender {
        ctx = ctx.with_sender(s.as_ref());
    }
    if let Some(s) = &row.subject {
        ctx = ctx.with_subject(s.as_ref());
    }
    if let Some(r) = &row.region {
        ctx = ctx.with_region(r.as_ref());
    }
    let verdict = if let Some(t) = &row.text {
        detector.check_message(t, &ctx)
    } else if let Some(p) = &row.phone {
        detector.check_phone(p, &ctx)
    } else if let Some(u) = &row.url {
        detector.check_url(u, &ctx)
    } else if let Some(e) = &row.email {
        detector.check_email(e, &ctx)
    } else if let Some(d) = &row.domain {
        detector.check_url(&format!("https://{d}/"), &ctx)
    } else {
        return Done::error(
            &id,
            format!(
                "line {}: no text, url, email, phone or domain field",
                index + 1
            ),
            row.label,
        );
    };
    Done {
        line: render(&id, &verdict),
        risk: Some(verdict.risk),
        label: row.label,
    }
}

/// One batch of lines, shared by the workers.
struct Job {
    lines: Arc<Vec<String>>,
    /// The index of the batch's first line in the input.
    base: usize,
    results: Vec<OnceLock<Done>>,
    /// The next line to take: workers take `CHUNK` lines at a time, so they do not contend
    /// for this counter on every line.
    next: AtomicUsize,
    finished: AtomicUsize,
}

/// How many lines a worker takes at a time.
const CHUNK: usize = 64;

/// A worker: scans the jobs it receives until the sender is dropped, and reports each one
/// done. Workers live for the whole run, so each keeps its matcher caches warm. The checks
/// never panic by contract; if one did, the worker still reports (the main thread then finds
/// the line unscanned and stops with an error) instead of leaving the run hanging.
fn worker(detector: &Detector, plain: bool, jobs: Receiver<Arc<Job>>, done: Sender<()>) {
    for job in jobs {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            scan_job(detector, plain, &job)
        }));
        if done.send(()).is_err() {
            return;
        }
    }
}

/// Takes `CHUNK` lines of `job` at a time until none is left, filling their result slots.
fn scan_job(detector: &Detector, plain: bool, job: &Job) {
    loop {
        let from = job.next.fetch_add(CHUNK, Ordering::Relaxed);
        if from >= job.lines.len() {
            break;
        }
        let to = (from + CHUNK).min(job.lines.len());
        for i in from..to {
            let n = job.base + i;
            let line = &job.lines[i];
            let result = match line.strip_prefix('\u{0}') {
                Some(err) => Done::error(
                    &serde_json::Value::from(n + 1),
                    format!("line {}: unreadable: {err}", n + 1),
                    None,
                ),
                None => process(detector, n, line, plain),
            };
            let _ = job.results[i].set(result);
        }
        job.finished.fetch_add(to - from, Ordering::Relaxed);
    }
}

/// Hands `job` to every worker and waits until all are done, updating the progress bar ten
/// times a second meanwhile.
fn run(
    job: &Arc<Job>,
    workers: &[Sender<Arc<Job>>],
    done: &Receiver<()>,
    bar: Option<&indicatif::ProgressBar>,
) {
    let mut busy = 0;
    for w in workers {
        if w.send(Arc::clone(job)).is_ok() {
            busy += 1;
        }
    }
    while busy > 0 {
        match done.recv_timeout(std::time::Duration::from_millis(100)) {
            Ok(()) => busy -= 1,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => break,
        }
        if let Some(bar) = bar {
            bar.set_position((job.base + job.finished.load(Ordering::Relaxed)) as u64);
        }
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let input: Box<dyn BufRead> = match &args.file {
        Some(path) => match std::fs::File::open(path) {
            Ok(f) => Box::new(std::io::BufReader::new(f)),
            Err(e) => {
                eprintln!("scan: cannot open {}: {e}", path.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::stdin().lock()),
    };
    let mut source = input.lines();
    // Lines are read, scanned and written in batches, so memory stays bounded on inputs of
    // any length. With --repeat the whole input is one batch (a benchmark).
    let batch_lines = if args.repeat > 1 {
        usize::MAX
    } else {
        BATCH_LINES
    };
    let mut read_batch = |batch: &mut Vec<String>| {
        while batch.len() < batch_lines {
            match source.next() {
                None => break,
                Some(Ok(l)) => batch.push(l),
                // Invalid UTF-8 and the like: keep the line count, report the line.
                Some(Err(e)) => batch.push(format!("\u{0}{e}")),
            }
        }
    };

    let started = Instant::now();
    let detector = match Detector::new() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("scan: {e}");
            return ExitCode::from(2);
        }
    };
    let built = started.elapsed();
    // Compile the rules and decode the phone metadata before the clock starts, as a
    // long-running service does at start; the summary reports that time separately.
    detector.warm_up();
    let warmed = started.elapsed() - built;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);

    // Workers take lines by index and fill their slot; output is written in input order.
    // With --repeat, the input is scanned again (same verdicts): later passes show the steady
    // state of a long-running service, whose lazily built matcher states are warm.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} lines  {per_sec}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut by_risk: BTreeMap<Risk, usize> = BTreeMap::new();
    let mut errors = 0usize;
    // label -> (rows, medium+, high+)
    let mut by_label: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut passes = vec![std::time::Duration::ZERO; args.repeat.max(1)];
    let mut n = 0;
    let mut write_error: Option<std::io::Error> = None;
    let written = std::thread::scope(|s| {
        let (done_tx, done_rx) = channel();
        let workers: Vec<Sender<Arc<Job>>> = (0..threads)
            .map(|_| {
                let (tx, rx) = channel();
                let done_tx = done_tx.clone();
                let detector = &detector;
                let plain = args.plain;
                s.spawn(move || worker(detector, plain, rx, done_tx));
                tx
            })
            .collect();
        drop(done_tx);
        // Returning drops `workers`, the senders: the workers' loops end, the scope joins them.
        loop {
            let mut batch = Vec::new();
            read_batch(&mut batch);
            if batch.is_empty() {
                return true;
            }
            let lines = Arc::new(batch);
            let mut job = None;
            for pass in &mut passes {
                let this = Arc::new(Job {
                    lines: Arc::clone(&lines),
                    base: n,
                    results: (0..lines.len()).map(|_| OnceLock::new()).collect(),
                    next: AtomicUsize::new(0),
                    finished: AtomicUsize::new(0),
                });
                let pass_started = Instant::now();
                run(&this, &workers, &done_rx, bar.as_ref());
                *pass += pass_started.elapsed();
                job = Some(this);
            }
            n += lines.len();
            for (i, slot) in job.iter().flat_map(|j| &j.results).enumerate() {
                let Some(done) = slot.get() else {
                    eprintln!(
                        "scan: line {} was not scanned (a check panicked)",
                        n - lines.len() + i + 1
                    );
                    return false;
                };
                if let Err(e) = writeln!(out, "{}", done.line) {
                    write_error = Some(e);
                    return false;
                }
                match done.risk {
                    Some(r) => *by_risk.entry(r).or_default() += 1,
                    None => errors += 1,
                }
                if let (Some(label), Some(r)) = (&done.label, done.risk) {
                    let e = by_label.entry(label.clone()).or_default();
                    e.0 += 1;
                    e.1 += usize::from(r >= Risk::Medium);
                    e.2 += usize::from(r >= Risk::High);
                }
            }
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let elapsed = passes[0];
    if let Err(e) = out.flush() {
        write_error.get_or_insert(e);
    }
    match write_error {
        // A reader that stops early (`scan … | head`) is not an error.
        Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
        Some(e) => {
            eprintln!("scan: cannot write the verdicts: {e}");
            return ExitCode::from(1);
        }
        None if !written => return ExitCode::from(1),
        None => {}
    }

    if args.summary {
        eprintln!("scan: {n} lines, {errors} errors, {threads} thread(s)");
        let risks: Vec<String> = by_risk.iter().map(|(r, c)| format!("{r} {c}")).collect();
        eprintln!("risk: {}", risks.join(", "));
        if !by_label.is_empty() {
            eprintln!(
                "{:<12} {:>8} {:>10} {:>10}",
                "label", "rows", "medium+", "high+"
            );
            for (label, (rows, med, high)) in &by_label {
                let pct = |x: usize| 100.0 * x as f64 / (*rows).max(1) as f64;
                eprintln!(
                    "{label:<12} {rows:>8} {:>9.2}% {:>9.2}%",
                    pct(*med),
                    pct(*high)
                );
            }
        }
        let secs = elapsed.as_secs_f64().max(1e-9);
        eprintln!(
            "throughput: {:.0} messages/s ({:.3} s scanning; Detector::new {:.1} ms, warm_up {:.1} ms, {:.3} s in all)",
            n as f64 / secs,
            secs,
            built.as_secs_f64() * 1e3,
            warmed.as_secs_f64() * 1e3,
            started.elapsed().as_secs_f64()
        );
        if passes.len() > 1 {
            let mut later: Vec<f64> = passes[1..].iter().map(|d| d.as_secs_f64()).collect();
            later.sort_by(f64::total_cmp);
            let median = later[later.len() / 2].max(1e-9);
            eprintln!(
                "warm throughput: {:.0} messages/s (median of passes 2..{}: {:.3} s each)",
                n as f64 / median,
                passes.len(),
                median
            );
        }
    }
    ExitCode::SUCCESS
}
