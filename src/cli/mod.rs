//! The commands, callable without spawning a process: each `run` writes to the given streams
//! and returns the exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod lint;
pub mod output;
mod progress;
pub mod stdin;
pub mod style;
pub mod test;

#[cfg(test)]
mod panic_tests;

use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::limits::{Limits, PolicyLimits};

/// Covenant: check joint-venture deal proposals against declarative policies.
#[derive(Parser, Debug)]
#[command(name = "covenant", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check deals against policies.
    Check(CheckArgs),
    /// Show how each rule was evaluated on one deal.
    Explain(explain::ExplainArgs),
    /// Format policy files canonically.
    Fmt(fmt::FmtArgs),
    /// Static checks of policies, without deals.
    Lint(lint::LintArgs),
    /// Run policy test suites (`*.test.yaml`).
    Test(test::TestArgs),
    /// Show how a policy change moves the outcomes of deals.
    Diff(diff::DiffArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Junit,
    Markdown,
}

#[derive(clap::Args, Debug, Clone)]
pub struct CheckArgs {
    /// A policy file or folder of `.policy` files (repeatable; default `./policies`).
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Deal files, folders (searched recursively), `.jsonl` batches, or `-` for standard input.
    #[arg(value_name = "DEAL", required = true)]
    pub deals: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// Evaluate effective windows on this date (YYYY-MM-DD) instead of each deal's `date`.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Treat warning rules as errors for the verdict.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Unknown deal keys are errors, not warnings.
    #[arg(long)]
    pub strict: bool,
    /// The format of the deal on standard input (`-`) [default: detected].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<stdin::StdinFormatArg>,
    /// Worker threads, at most 256 (default and 0: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    pub color: String,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `--jobs N`: a number of worker threads up to [`crate::limits::MAX_JOBS`].
fn parse_jobs(text: &str) -> Result<usize, String> {
    let max = crate::limits::MAX_JOBS;
    let too_many = || format!("at most {max} worker threads can be started (0: one per core)");
    let n: u128 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number of worker threads"))?;
    usize::try_from(n)
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(too_many)
}

/// Limits on reading policies (`docs/limits.md`), for every command that reads one.
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Limits")]
pub struct PolicyLimitArgs {
    /// The largest policy file [default: 4M].
    #[arg(long, value_name = "SIZE")]
    pub max_policy_size: Option<String>,
    /// How long a file that is not a regular file (a FIFO, a device) may take to be read,
    /// such as 30s or 500ms [default: 30s].
    #[arg(long, value_name = "DURATION")]
    pub read_timeout: Option<String>,
}

impl PolicyLimitArgs {
    /// The policy limits these flags set, the defaults elsewhere; an error names a bad value.
    pub fn resolve(&self) -> Result<PolicyLimits, String> {
        let mut limits = PolicyLimits::default();
        if let Some(t) = &self.max_policy_size {
            limits.max_file_size =
                crate::limits::parse_size(t).map_err(|e| format!("--max-policy-size: {e}"))?;
        }
        if let Some(t) = &self.read_timeout {
            limits.read_timeout =
                crate::limits::parse_duration(t).map_err(|e| format!("--read-timeout: {e}"))?;
        }
        Ok(limits)
    }

    /// [`Self::resolve`], printing the error on `err`.
    pub fn resolve_or_report(&self, err: &mut dyn Write) -> Option<PolicyLimits> {
        self.resolve()
            .map_err(|e| {
                let _ = writeln!(err, "error: {e}");
            })
            .ok()
    }
}

/// Limits of a `check` run (`docs/limits.md`); each defaults to [`Limits::default`].
#[derive(clap::Args, Debug, Clone, Default)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// The largest deal document: a file, standard input or one `.jsonl` line [default: 32M].
    #[arg(long, value_name = "SIZE")]
    pub max_deal_size: Option<String>,
    #[command(flatten)]
    pub policy: PolicyLimitArgs,
    /// The most deals in one run; later ones are reported invalid, unread [default: no limit].
    #[arg(long, value_name = "N")]
    pub max_deals: Option<u64>,
    /// The deepest nesting of lists and mappings in a deal [default: 128, at most 1024].
    #[arg(long, value_name = "N")]
    pub max_deal_depth: Option<usize>,
    /// The most values in one deal, each use of a YAML alias counted in full [default: 1000000].
    #[arg(long, value_name = "N")]
    pub max_deal_values: Option<usize>,
}

impl LimitArgs {
    /// The limits these flags set, the defaults elsewhere; an error names a bad value.
    pub fn resolve(&self) -> Result<Limits, String> {
        let mut limits = Limits {
            policy: self.policy.resolve()?,
            ..Limits::default()
        };
        limits.read_timeout = limits.policy.read_timeout;
        if let Some(t) = &self.max_deal_size {
            limits.max_deal_size =
                crate::limits::parse_size(t).map_err(|e| format!("--max-deal-size: {e}"))?;
        }
        limits.max_deals = self.max_deals.or(limits.max_deals);
        if let Some(d) = self.max_deal_depth {
            limits.deal.max_depth = d;
        }
        if let Some(n) = self.max_deal_values {
            limits.deal.max_nodes = n;
        }
        Ok(limits)
    }
}

/// Parse arguments and run; the process exit code. The command runs on a thread with a large
/// stack ([`crate::limits::BIG_STACK`]), so the deepest input the limits allow cannot overflow
/// it.
pub fn main() -> u8 {
    crate::limits::with_big_stack(main_here)
}

fn main_here() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut out = output::stdout();
    run(cli, &mut out, &mut err)
}

/// Run one command, writing its report to `out`. A report that cannot be written in full
/// (a full disk, a closed standard output) is an error: exit 2 and a message on `err`. A
/// reader that hangs up (a broken pipe) is not: the exit code stays the command's.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut report = output::Report::new(out);
    let code = match cli.command {
        Command::Check(args) => check::run(&args, &mut report, err),
        Command::Explain(args) => explain::run(&args, &mut report, err),
        Command::Fmt(args) => fmt::run(&args, &mut report, err),
        Command::Lint(args) => lint::run(&args, &mut report, err),
        Command::Test(args) => test::run(&args, &mut report, err),
        Command::Diff(args) => diff::run(&args, &mut report, err),
    };
    match report.finish() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                err,
                "error: cannot write the report to standard output: {e}"
            );
            2
        }
        _ => code,
    }
}
