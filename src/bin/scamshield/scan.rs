//! `scamshield scan`: JSON Lines (or one message per line) in, one output line per input line
//! out, in input order.
//!
//! The main thread only reads lines and writes finished output in order. It reads batches of
//! lines into one buffer each and hands them to the workers; a worker parses each line,
//! checks it and serializes the result into the batch's output buffer. At most a few batches
//! per worker are in flight, so memory stays bounded on inputs of any length.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::PathBuf;
use std::sync::mpsc::{channel, Receiver, Sender};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use scamshield::{Detector, Risk};

use crate::item::{self, risk_index, Format, Outcome, RISKS};
use crate::{Failure, RiskArg};

/// Input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// One JSON object per line: `{"text"|"phone"|"url"|"email"|"domain": …, "brand"?,
    /// "region"?, "id"?}`.
    Json,
    /// One raw message per line; its id is the line number.
    Text,
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// The full verdict as JSON, with the line's `id` first.
    Json,
    /// JSON with `id`, `risk`, `score` and the rule ids only.
    Compact,
    /// `id<TAB>risk<TAB>score<TAB>rule,rule,…`.
    Text,
}

/// The most worker threads `--threads` may ask for.
pub const MAX_THREADS: usize = 256;

/// Checks many items: one output line per input line, in input order. A line that is not
/// valid gets an output line with an `error` field; reading stops (exit 2) at input that
/// cannot be read or is binary (contains a NUL byte).
#[derive(Debug, clap::Args)]
pub struct ScanArgs {
    /// Input file (default: standard input; `-` too).
    pub file: Option<PathBuf>,
    /// Input format.
    #[arg(long, value_enum, default_value_t = InputFormat::Json)]
    pub input: InputFormat,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Json)]
    pub format: OutputFormat,
    /// Worker threads (default: one per core; at most 256).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Print counts per risk level, errors and throughput to standard error at the end.
    #[arg(long)]
    pub summary: bool,
    /// Lines longer than this many bytes get an error line instead of a verdict.
    #[arg(long, default_value_t = 16 << 20, value_name = "BYTES")]
    pub max_line_bytes: usize,
    /// Exit with 3 when any verdict's risk is at least this level.
    #[arg(long, value_enum, value_name = "RISK")]
    pub fail_on: Option<RiskArg>,
    /// Never draw the progress bar (it is drawn only when standard error is a terminal).
    #[arg(long)]
    pub no_progress: bool,
}

/// Lines per batch, and the bytes at which a batch is closed early.
const BATCH_LINES: usize = 256;
const BATCH_BYTES: usize = 1 << 20;

/// A batch of input lines: one buffer, and where each line ends in it.
struct Batch {
    seq: u64,
    /// The 1-based number of the batch's first line.
    first: u64,
    data: Vec<u8>,
    /// End offset of each line in `data`, and whether the line was too long (then it is
    /// empty in `data`).
    ends: Vec<(usize, bool)>,
    /// Input bytes the batch covers (for the progress bar).
    bytes: u64,
}

/// A worker's answer for one batch.
struct Done {
    seq: u64,
    out: Vec<u8>,
    counts: Counts,
    /// Input bytes the batch covers.
    bytes: u64,
    /// Set when the batch held binary input: output stops before that line.
    fatal: Option<String>,
}

/// Lines per outcome.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    /// By risk, `none` first.
    pub risk: [u64; 5],
    /// Lines that got an error line.
    pub errors: u64,
}

impl Counts {
    fn add(&mut self, o: Outcome) {
        match o {
            Outcome::Checked(r) => self.risk[risk_index(r)] += 1,
            Outcome::Failed => self.errors += 1,
        }
    }

    fn merge(&mut self, other: &Counts) {
        for (a, b) in self.risk.iter_mut().zip(other.risk) {
            *a += b;
        }
        self.errors += other.errors;
    }

    fn lines(&self) -> u64 {
        self.risk.iter().sum::<u64>() + self.errors
    }

    /// Whether any line's risk is at least `risk`.
    fn any_at_least(&self, risk: Risk) -> bool {
        self.risk[risk_index(risk)..].iter().any(|&n| n > 0)
    }
}

/// Reads one line (without its `\n` or `\r\n`) onto the end of `buf`, at most `max` bytes of
/// it: `Ok(None)` at the end of the input, `Ok(Some(true))` for a longer line, which is
/// skipped whole and leaves `buf` as it was.
fn read_line(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
    read: &mut u64,
) -> std::io::Result<Option<bool>> {
    let start = buf.len();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let n = reader.by_ref().take(limit).read_until(b'\n', buf)?;
    *read += n as u64;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.len() > start && buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Some(false));
    }
    if n <= max {
        return Ok(Some(false)); // the last line, without a newline
    }
    // Too long: drop what was read and skip to the next newline.
    buf.truncate(start);
    let mut scratch = Vec::new();
    loop {
        scratch.clear();
        let n = reader
            .by_ref()
            .take(1 << 20)
            .read_until(b'\n', &mut scratch)?;
        *read += n as u64;
        if n == 0 || scratch.last() == Some(&b'\n') {
            return Ok(Some(true));
        }
    }
}

/// Checks every line of a batch.
fn work(detector: &Detector, batch: &Batch, input: InputFormat, format: Format) -> Done {
    let mut out = Vec::with_capacity(batch.data.len() + batch.ends.len() * 256);
    let mut counts = Counts::default();
    let mut fatal = None;
    let mut from = 0;
    for (i, &(end, too_long)) in batch.ends.iter().enumerate() {
        let number = batch.first + i as u64;
        let line = batch.data.get(from..end).unwrap_or_default();
        from = end;
        if too_long {
            let id = serde_json::Value::from(number);
            item::write_error_line(
                &mut out,
                format,
                Some(&id),
                &format!("line {number}: longer than --max-line-bytes, not checked"),
            );
            counts.add(Outcome::Failed);
            continue;
        }
        if line.contains(&0) {
            fatal = Some(format!(
                "line {number} contains a NUL byte: the input looks binary, not JSON Lines or text"
            ));
            break;
        }
        let before = out.len();
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match input {
            InputFormat::Json => item::process_json_line(detector, line, number, format, &mut out),
            InputFormat::Text => item::process_text_line(detector, line, number, format, &mut out),
        }));
        match checked {
            Ok(o) => counts.add(o),
            Err(_) => {
                out.truncate(before);
                let id = serde_json::Value::from(number);
                item::write_error_line(
                    &mut out,
                    format,
                    Some(&id),
                    &format!("line {number}: internal error while checking"),
                );
                counts.add(Outcome::Failed);
            }
        }
    }
    Done {
        seq: batch.seq,
        out,
        counts,
        bytes: batch.bytes,
        fatal,
    }
}

fn worker(
    detector: &Detector,
    jobs: &Mutex<Receiver<Batch>>,
    done: Sender<Done>,
    input: InputFormat,
    format: Format,
) {
    loop {
        let next = jobs.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(batch) = next else { return };
        if done.send(work(detector, &batch, input, format)).is_err() {
            return;
        }
    }
}

fn progress_bar(total: Option<u64>) -> indicatif::ProgressBar {
    let bar = match total {
        Some(total) => {
            let bar = indicatif::ProgressBar::new(total);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:30} {percent:>3}% {bytes}/{total_bytes}  {msg}  {per_sec}  ETA {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }
        None => {
            let bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg}  {elapsed}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        }
    };
    bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    bar
}

/// The input: a file (refused with a clear reason when it is a directory or cannot be
/// opened) or standard input, and its size when known.
fn open(path: Option<&PathBuf>) -> Result<(Box<dyn Read + Send>, Option<u64>), Failure> {
    match path {
        Some(p) if p.as_os_str() != "-" => {
            let meta = std::fs::metadata(p)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", p.display())))?;
            if meta.is_dir() {
                return Err(Failure::usage(format!(
                    "{} is a directory: give a JSON Lines file, or - for standard input",
                    p.display()
                )));
            }
            let f = File::open(p)
                .map_err(|e| Failure::usage(format!("cannot open {}: {e}", p.display())))?;
            let size = meta.is_file().then_some(meta.len());
            Ok((Box::new(f), size))
        }
        _ => Ok((Box::new(std::io::stdin()), None)),
    }
}

/// Runs `scan`: returns the counts, or why it stopped.
pub fn run(args: &ScanArgs, detector: &Detector) -> Result<Counts, Failure> {
    let name = args
        .file
        .as_ref()
        .map_or_else(|| "standard input".to_string(), |p| p.display().to_string());
    let (input, size) = open(args.file.as_ref())?;
    let mut reader = BufReader::with_capacity(256 << 10, input);
    let threads = match args.threads {
        None | Some(0) => std::thread::available_parallelism().map_or(1, |n| n.get()),
        Some(n) if n > MAX_THREADS => {
            eprintln!("scamshield: --threads {n} is more than {MAX_THREADS}; using {MAX_THREADS}");
            MAX_THREADS
        }
        Some(n) => n,
    }
    .min(MAX_THREADS);
    let format = match args.format {
        OutputFormat::Json => Format::Json,
        OutputFormat::Compact => Format::Compact,
        OutputFormat::Text => Format::Text,
    };
    let max_line = args.max_line_bytes.max(1);
    let started = Instant::now();
    let bar = (!args.no_progress && std::io::stderr().is_terminal()).then(|| progress_bar(size));

    let (job_tx, job_rx) = channel::<Batch>();
    let (done_tx, done_rx) = channel::<Done>();
    let jobs = Mutex::new(job_rx);
    let max_in_flight = threads * 3;
    let mut counts = Counts::default();
    let mut stdout = std::io::stdout().lock();

    let result = std::thread::scope(|s| -> Result<(), Failure> {
        let mut spawned = 0;
        for i in 0..threads {
            let done_tx = done_tx.clone();
            let jobs = &jobs;
            let input = args.input;
            let spawn = std::thread::Builder::new()
                .name(format!("scan-{i}"))
                .spawn_scoped(s, move || worker(detector, jobs, done_tx, input, format));
            match spawn {
                Ok(_) => spawned += 1,
                Err(e) if spawned > 0 => {
                    eprintln!("scamshield: could start only {spawned} worker threads: {e}");
                    break;
                }
                Err(e) => return Err(Failure::internal(format!("cannot start a thread: {e}"))),
            }
        }
        drop(done_tx);
        let job_tx = job_tx; // dropped on return: the workers' loops end
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next_write = 0u64;
        let mut in_flight = 0usize;
        let mut seq = 0u64;
        let mut line = 1u64;
        let mut written_bytes = 0u64;
        let mut eof = false;
        let mut read_error = None;

        // Writes every finished batch that is next in order; stops at binary input.
        let mut flush = |pending: &mut BTreeMap<u64, Done>,
                         next_write: &mut u64,
                         counts: &mut Counts|
         -> Result<(), Failure> {
            while let Some(done) = pending.remove(next_write) {
                *next_write += 1;
                crate::write_all(&mut stdout, &done.out)?;
                counts.merge(&done.counts);
                written_bytes += done.bytes;
                if let Some(bar) = &bar {
                    if size.is_some() {
                        bar.set_position(written_bytes);
                    }
                    bar.set_message(format!("{} lines", counts.lines()));
                }
                if let Some(fatal) = done.fatal {
                    return Err(Failure::input(format!("{name}: {fatal}")));
                }
            }
            Ok(())
        };

        while !eof || in_flight > 0 {
            if !eof && in_flight < max_in_flight {
                let mut batch = Batch {
                    seq,
                    first: line,
                    data: Vec::new(),
                    ends: Vec::new(),
                    bytes: 0,
                };
                while batch.ends.len() < BATCH_LINES && batch.data.len() < BATCH_BYTES {
                    match read_line(&mut reader, &mut batch.data, max_line, &mut batch.bytes) {
                        Ok(Some(too_long)) => batch.ends.push((batch.data.len(), too_long)),
                        Ok(None) => {
                            eof = true;
                            break;
                        }
                        Err(e) => {
                            read_error = Some(format!(
                                "cannot read {name} after line {}: {e}",
                                line + batch.ends.len() as u64 - 1
                            ));
                            eof = true;
                            break;
                        }
                    }
                }
                if !batch.ends.is_empty() {
                    line += batch.ends.len() as u64;
                    seq += 1;
                    if job_tx.send(batch).is_err() {
                        return Err(Failure::internal("the worker threads stopped".into()));
                    }
                    in_flight += 1;
                }
                // Take what is finished without waiting, then read on.
                while let Ok(done) = done_rx.try_recv() {
                    in_flight -= 1;
                    pending.insert(done.seq, done);
                }
            } else {
                let Ok(done) = done_rx.recv() else {
                    return Err(Failure::internal("the worker threads stopped".into()));
                };
                in_flight -= 1;
                pending.insert(done.seq, done);
            }
            flush(&mut pending, &mut next_write, &mut counts)?;
        }
        match read_error {
            Some(e) => Err(Failure::input(e)),
            None => Ok(()),
        }
    });
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let elapsed = started.elapsed();
    if args.summary {
        summary(&counts, threads, elapsed);
    }
    result?;
    Ok(counts)
}

fn summary(counts: &Counts, threads: usize, elapsed: std::time::Duration) {
    let lines = counts.lines();
    let by_risk: Vec<String> = RISKS
        .iter()
        .zip(counts.risk)
        .map(|(r, n)| format!("{r} {n}"))
        .collect();
    eprintln!(
        "scan: {lines} lines, {} errors, {threads} thread(s)",
        counts.errors
    );
    eprintln!("risk: {}", by_risk.join(", "));
    let secs = elapsed.as_secs_f64().max(1e-9);
    eprintln!(
        "throughput: {:.0} lines/s ({secs:.3} s, with compiling the matchers)",
        lines as f64 / secs
    );
}

/// Whether the `--fail-on` level was reached.
pub fn failed_on(counts: &Counts, fail_on: Option<RiskArg>) -> bool {
    fail_on.is_some_and(|r| counts.any_at_least(r.risk()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], max: usize) -> Vec<(Vec<u8>, bool)> {
        let mut r = std::io::Cursor::new(input.to_vec());
        let mut out = Vec::new();
        let mut read = 0;
        loop {
            let mut buf = Vec::new();
            match read_line(&mut r, &mut buf, max, &mut read) {
                Ok(Some(long)) => out.push((buf, long)),
                Ok(None) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(read, input.len() as u64);
        out
    }

    #[test]
    fn lines_are_split_and_bounded() {
        assert_eq!(
            lines(b"ab\r\ncd\n\nlast", 10),
            vec![
                (b"ab".to_vec(), false),
                (b"cd".to_vec(), false),
                (Vec::new(), false),
                (b"last".to_vec(), false)
            ]
        );
        assert_eq!(
            lines(b"0123456789abc\nok\n0123456789", 10),
            vec![
                (Vec::new(), true),
                (b"ok".to_vec(), false),
                (b"0123456789".to_vec(), false)
            ]
        );
        assert!(lines(b"", 10).is_empty());
    }
}
