//! `covenant check`: compile the policies, check every deal with the engine, and render the
//! reports in order.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use clap::ValueEnum;

use covenant::check::{inputs, read, Batch, Engine, Input, Settings};
use covenant::deal::LoadOptions;
use covenant::limits::PolicyLimits;
use covenant::report::audit::Audit;
use covenant::report::{human, run, DealReport};
use covenant::resolve::{self, Policy};

use super::limits::LimitArgs;
use super::progress::WithProgress;
use super::stdin::StdinFormatArg;
use super::style;

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
    /// The evaluation date (YYYY-MM-DD): windows test it instead of the date they name (`date`,
    /// or their `on D`), and `evaluation date` reads it.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Treat warning rules as errors for the verdict.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Count `proposed` and `reported` rules for the verdict and the exit code, as rules in
    /// force (SPEC §12).
    #[arg(long)]
    pub include_proposed: bool,
    /// Unknown deal keys are errors, not warnings.
    #[arg(long)]
    pub strict: bool,
    /// The format of the deal on standard input (`-`) [default: detected].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<StdinFormatArg>,
    /// Worker threads, at most 256 (default and 0: one per core).
    #[arg(long, short = 'j', value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// Leave the run's time (`evaluated_at`) out of the JSON, JSON-lines and SARIF reports, so
    /// that the same deals and policies always give the same bytes (snapshots, diffs of reports).
    #[arg(long)]
    pub deterministic: bool,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    pub color: String,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `--jobs N`: a number of worker threads up to [`covenant::limits::MAX_JOBS`].
fn parse_jobs(text: &str) -> Result<usize, String> {
    let max = covenant::limits::MAX_JOBS;
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

pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = style::from_flag(&args.color);
    let err_handler = human::handler(style::stderr(style));
    let limits = match args.limits.resolve() {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let Some(policy) = compile_policies_with(&args.policy, &limits.policy, err, &err_handler)
    else {
        return 2;
    };
    let as_of = match args.as_of.as_deref().map(covenant::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}\n  help: {}", e.message, e.help);
            return 2;
        }
    };
    let settings = Settings {
        as_of,
        deny_warnings: args.deny_warnings,
        include_proposed: args.include_proposed,
        load: LoadOptions {
            strict: args.strict,
            limits: limits.deal,
        },
        keep_diagnostics: args.format == Format::Human,
        stdin_format: args.stdin_format.map(Into::into),
        jobs: args.jobs.unwrap_or(0),
        ..Settings::within(&limits)
    };
    let audit = match args.deterministic {
        true => Audit::deterministic(as_of),
        false => Audit::now(as_of),
    };
    let engine = Engine::new(policy, settings);
    let policy = engine.policy();
    let renderer = run::DealRenderer::new(args.format.into(), style.color, policy, &audit);
    let render = |d: &DealReport, buf: &mut Vec<u8>| renderer.render(policy, d, buf);
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut report = run::RunReport::start(args.format.into(), policy, audit, &mut out);
    let mut emit = |d: DealReport, text: Option<&[u8]>| {
        report.add(policy, &d, text.unwrap_or_default());
    };
    let inputs = expand_inputs(&args.deals, err);
    let mut stdin = std::io::stdin();
    let batch = Batch::new(&inputs).stdin(&mut stdin).rendered_with(&render);
    let mut sink = WithProgress::new(&mut emit);
    engine.check_batch(batch, &mut sink);
    sink.finish();
    let summary = match report.finish(policy) {
        Ok(summary) => summary,
        Err(e) => {
            let _ = out.flush();
            let _ = writeln!(err, "error: cannot write the report: {e}");
            return 2;
        }
    };
    let _ = out.flush();
    summary.exit_code()
}

impl From<Format> for run::Format {
    fn from(f: Format) -> run::Format {
        match f {
            Format::Human => run::Format::Human,
            Format::Json => run::Format::Json,
            Format::Jsonl => run::Format::Jsonl,
            Format::Sarif => run::Format::Sarif,
            Format::Junit => run::Format::Junit,
            Format::Markdown => run::Format::Markdown,
        }
    }
}

/// The inputs of the deal arguments; what a folder search skipped is a warning on `err`.
pub fn expand_inputs(args: &[String], err: &mut dyn Write) -> Vec<Input> {
    let mut warnings = Vec::new();
    let inputs = inputs::expand(args, &mut warnings);
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    inputs
}

/// Compile the policies, printing diagnostics to `err`; None when they do not compile.
pub fn compile_policies(
    paths: &[std::path::PathBuf],
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Option<Policy> {
    compile_policies_with(paths, &PolicyLimits::default(), err, handler)
}

/// [`compile_policies`] within `limits`. An internal error (a panic) of the compiler is
/// reported as `covenant::internal::panic`, never a crash.
pub fn compile_policies_with(
    paths: &[std::path::PathBuf],
    limits: &PolicyLimits,
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Option<Policy> {
    let paths = if paths.is_empty() {
        let default = std::path::PathBuf::from("policies");
        if !default.is_dir() {
            let _ = writeln!(
                err,
                "error: no policy given: pass -p/--policy PATH (or create ./policies)"
            );
            return None;
        }
        vec![default]
    } else {
        paths.to_vec()
    };
    let compiled = catch_unwind(AssertUnwindSafe(|| resolve::compile_with(&paths, limits)));
    let compiled = match compiled {
        Ok(c) => c,
        Err(payload) => {
            let p = read::internal_panic("compiling the policy", payload.as_ref());
            let help = p.help_text().unwrap_or_default();
            let _ = writeln!(
                err,
                "error[{}]: {}\n  help: {help}\nerror: the policy does not compile (1 problem)",
                p.code(),
                p
            );
            return None;
        }
    };
    match compiled {
        Ok(compiled) => {
            let _ = err.write_all(human::render_all(handler, &compiled.warnings).as_bytes());
            Some(compiled.policy)
        }
        Err(diags) => {
            let _ = err.write_all(human::render_all(handler, &diags).as_bytes());
            // "the policy does not compile (N problems)"
            let _ = writeln!(err, "error: {diags}");
            None
        }
    }
}
