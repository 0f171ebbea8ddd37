//! `scamshield`: checks phone numbers, URLs, email addresses and messages for fake
//! customer-support scams, offline.
#![forbid(unsafe_code)]

mod check;
mod item;
mod scan;
#[cfg(feature = "serve")]
mod serve;
mod train;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use scamshield::{Detector, Risk};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_CODES: &str = "\
Exit codes:
  0  done (also when the reader of the output stops early, as `| head` does)
  1  the output could not be written, or an internal error
  2  bad arguments or unusable input: empty input, a file given to `check`, a directory,
     unreadable or binary file given to `scan`, a port that cannot be listened on
  3  --fail-on: a verdict reached the given risk";

/// Detects fake customer-support scams in phone numbers, URLs, email addresses and messages,
/// offline, with the reasons and the real contact channels of the brand involved.
#[derive(Debug, Parser)]
#[command(name = "scamshield", version, after_help = EXIT_CODES, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Use this statistical model file (written by `scamshield train`) instead of the
    /// embedded one.
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "no_model")]
    model: Option<std::path::PathBuf>,
    /// Judge messages by the rules alone (no `text.model_scam_likely`).
    #[arg(long, global = true)]
    no_model: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check one phone number, URL, email address or message.
    #[command(after_long_help = EXIT_CODES)]
    Check(check::CheckArgs),
    /// Check many items: JSON Lines (or one message per line) in, one verdict per line out.
    #[command(after_long_help = EXIT_CODES)]
    Scan(scan::ScanArgs),
    /// Serve checks over HTTP: POST /v1/check, POST /v1/scan, GET /healthz, GET /metrics.
    #[cfg(feature = "serve")]
    #[command(after_long_help = EXIT_CODES)]
    Serve(serve::ServeArgs),
    /// List the rule ids a verdict can carry, with their severity and meaning.
    Rules {
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// List the brands with verified official channels.
    Brands {
        /// Print JSON Lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print a shell completion script to standard output.
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) to standard output.
    Man,
    /// Train the statistical model on labelled JSON Lines and write it with its data card
    /// (`--loco` adds leave-one-corpus-out figures).
    Train(train::TrainArgs),
}

/// A risk level on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RiskArg {
    /// Weak signals.
    Low,
    /// Worth verifying.
    Medium,
    /// Very likely a scam.
    High,
    /// A known scam pattern.
    Critical,
}

impl RiskArg {
    /// The library's risk level.
    pub fn risk(self) -> Risk {
        match self {
            RiskArg::Low => Risk::Low,
            RiskArg::Medium => Risk::Medium,
            RiskArg::High => Risk::High,
            RiskArg::Critical => Risk::Critical,
        }
    }
}

/// Why a command stopped: the exit code and the reason for standard error (none when the
/// reader of the output went away, which is no error).
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: Option<String>,
}

impl Failure {
    /// Bad arguments or unusable input given on the command line.
    pub fn usage(message: String) -> Failure {
        Failure {
            code: 2,
            message: Some(message),
        }
    }

    /// Input that cannot be read or is not what the command reads.
    pub fn input(message: String) -> Failure {
        Failure::usage(message)
    }

    /// Something that should not happen.
    pub fn internal(message: String) -> Failure {
        Failure {
            code: 1,
            message: Some(message),
        }
    }

    /// A failed write to standard output.
    pub fn output(e: &std::io::Error) -> Failure {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure {
                code: 0,
                message: None,
            }
        } else {
            Failure::internal(format!("cannot write the output: {e}"))
        }
    }
}

/// Writes `bytes` to `out`.
pub fn write_all(out: &mut impl Write, bytes: &[u8]) -> Result<(), Failure> {
    out.write_all(bytes).map_err(|e| Failure::output(&e))
}

/// Writes `bytes` to standard output and flushes it.
pub fn write_stdout(bytes: &[u8]) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    write_all(&mut out, bytes)?;
    out.flush().map_err(|e| Failure::output(&e))
}

fn detector(cli: &Cli) -> Result<Detector, Failure> {
    let mut builder = Detector::builder();
    if cli.no_model {
        builder = builder.without_model();
    } else if let Some(path) = &cli.model {
        builder = builder.model_file(path);
    }
    builder
        .build()
        .map_err(|e| Failure::usage(format!("cannot load the data: {e}")))
}

fn rules(json: bool) -> Result<(), Failure> {
    let mut out = Vec::new();
    for r in scamshield::rules::all() {
        if json {
            let line = serde_json::json!({
                "id": r.id,
                "severity": r.severity,
                "summary": r.summary,
            });
            out.extend_from_slice(line.to_string().as_bytes());
            out.push(b'\n');
        } else {
            out.extend_from_slice(
                format!("{:<44} {:<8} {}\n", r.id, r.severity.as_str(), r.summary).as_bytes(),
            );
        }
    }
    write_stdout(&out)
}

fn brands(json: bool) -> Result<(), Failure> {
    let detector = Detector::builder()
        .without_model()
        .build()
        .map_err(|e| Failure::internal(format!("cannot load the data: {e}")))?;
    let mut out = Vec::new();
    let mut brands: Vec<&scamshield::Brand> = detector.brands().iter().collect();
    brands.sort_by(|a, b| a.id().cmp(b.id()));
    for b in brands {
        let category = format!("{:?}", b.category()).to_lowercase();
        let mut aliases: Vec<&str> = b.aliases().map(|(_, a)| a).collect();
        aliases.dedup();
        if json {
            let line = serde_json::json!({
                "id": b.id(),
                "name": b.name(),
                "category": category,
                "phone_support": b.phone_policy(),
                "aliases": aliases,
            });
            out.extend_from_slice(line.to_string().as_bytes());
            out.push(b'\n');
        } else {
            out.extend_from_slice(
                format!(
                    "{:<22} {:<24} {:<10} phone: {:<10} {}\n",
                    b.id(),
                    b.name(),
                    category,
                    b.phone_policy().as_str(),
                    aliases.join(", ")
                )
                .as_bytes(),
            );
        }
    }
    write_stdout(&out)
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let detector = || detector(&cli);
    match &cli.command {
        Command::Check(args) => {
            let detector = detector()?;
            let risk = check::run(args, &detector)?;
            let failed = matches!((args.fail_on, risk), (Some(f), Some(r)) if r >= f.risk());
            Ok(if failed {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Scan(args) => {
            let detector = detector()?;
            let counts = scan::run(args, &detector)?;
            Ok(if scan::failed_on(&counts, args.fail_on) {
                ExitCode::from(3)
            } else {
                ExitCode::SUCCESS
            })
        }
        #[cfg(feature = "serve")]
        Command::Serve(args) => {
            let detector = detector()?;
            serve::run(args, detector).map_err(Failure::usage)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules { json } => rules(*json).map(|()| ExitCode::SUCCESS),
        Command::Brands { json } => brands(*json).map(|()| ExitCode::SUCCESS),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "scamshield", &mut out);
            write_stdout(&out).map(|()| ExitCode::SUCCESS)
        }
        Command::Train(args) => train::run(args).map(|()| ExitCode::SUCCESS),
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| Failure::internal(format!("cannot render the man page: {e}")))?;
            write_stdout(&out).map(|()| ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(Failure { code, message }) => {
            if let Some(m) = message {
                eprintln!("scamshield: {m}");
            }
            ExitCode::from(code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
