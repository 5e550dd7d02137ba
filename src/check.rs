//! `covenant check`: compile the policies, check every deal with the engine, and render the
//! reports in order.

use std::io::Write;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use covenant::check::{inputs, read, Batch, Engine, Input, Settings, Sink};
use covenant::deal::LoadOptions;
use covenant::limits::PolicyLimits;
use covenant::report::audit::Audit;
use covenant::report::stream::Caps;
use covenant::report::{human, run, DealReport, DealSummary, RunProblem};
use covenant::resolve::{self, Policy};

use super::limits::LimitArgs;
use super::not_run::NotRun;
use super::progress::WithProgress;
pub use super::report_format::Format;
use super::stdin::StdinFormatArg;
use super::style;

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
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
    /// Skip the files and folders that GLOB matches below a folder searched for deals
    /// (repeatable): `drafts`, `archive/**`, `*.draft.yaml`. `*.test.yaml` and `*.snapshots`
    /// are always skipped; a file named on the command line is always read.
    #[arg(long, value_name = "GLOB", value_parser = parse_exclude)]
    pub exclude: Vec<String>,
    /// Human report: also every rule's line and, for each finding, the rule's source (the
    /// policy text) beside the deal's values.
    #[arg(long, short = 'v', conflicts_with = "quiet")]
    pub verbose: bool,
    /// Human report: print the summary line only.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Report only the deals that fail the run: non-compliant, incomplete and invalid ones (and,
    /// with --require-applicable, those to which no rule applies). The summary counts every
    /// deal. Every format.
    #[arg(long)]
    pub failures_only: bool,
    /// A deal to which no rule applies fails the run (exit 1); its verdict stays compliant.
    #[arg(long)]
    pub require_applicable: bool,
    /// The most results the SARIF log lists and the most findings the Markdown report details,
    /// or `all`; the rest are counted [default: GitHub's limits: 25000 SARIF results, a
    /// Markdown report of at most 65536 characters].
    #[arg(long, value_name = "N|all", value_parser = parse_max_results)]
    pub max_results: Option<MaxResults>,
    /// Leave the run's time (`evaluated_at`) out of the JSON, JSON-lines and SARIF reports, so
    /// that the same deals and policies always give the same bytes (snapshots, diffs of reports).
    #[arg(long)]
    pub deterministic: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

/// `--exclude GLOB`: a glob the folder search takes.
pub fn parse_exclude(text: &str) -> Result<String, String> {
    inputs::check_glob(text).map(|()| text.to_string())
}

/// `--max-results`: a number, or `all`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MaxResults {
    All,
    At(usize),
}

fn parse_max_results(text: &str) -> Result<MaxResults, String> {
    if text.trim() == "all" {
        return Ok(MaxResults::All);
    }
    text.trim()
        .parse()
        .map(MaxResults::At)
        .map_err(|_| format!("`{text}` is not a number of results, nor `all`"))
}

impl CheckArgs {
    /// What the SARIF and Markdown reports show: GitHub's limits unless `--max-results` says
    /// otherwise (a Markdown report stays within a comment's length unless `all`).
    pub fn caps(&self) -> Caps {
        match self.max_results {
            None => Caps::GITHUB,
            Some(MaxResults::All) => Caps::NONE,
            Some(MaxResults::At(n)) => Caps {
                results: Some(n),
                ..Caps::GITHUB
            },
        }
    }
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
    if args.quiet && args.format != Format::Human {
        let _ = writeln!(
            err,
            "error: --quiet is for the human report: a report in another format is written whole \
             (--failures-only leaves out the deals that pass)"
        );
        return 2;
    }
    let style = style::from_flag(args.color);
    let err_handler = human::handler(style::stderr(style));
    let not_run =
        |why: NotRun, out: &mut dyn Write| why.report(args.format, args.caps().results, out);
    let limits = match args.limits.resolve() {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return not_run(NotRun::setting(e), out);
        }
    };
    let policy = match compile_for_run(&args.policy, &limits.policy, err, &err_handler) {
        Ok(policy) => policy,
        Err(why) => return not_run(why, out),
    };
    let as_of = match args.as_of.as_deref().map(covenant::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}\n  help: {}", e.message, e.help);
            return not_run(NotRun::setting(format!("--as-of: {}", e.message)), out);
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
    let options = args.report_options();
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let format = args.format.into();
    let renderer =
        run::DealRenderer::with_options(format, style.color, policy, &audit, options).as_of(as_of);
    let mut report =
        run::RunReport::start_with(format, options, policy, audit, &mut out).within(args.caps());
    let renderer = renderer.skipping_when(report.full());
    let render = |d: &DealReport, buf: &mut Vec<u8>| renderer.render(policy, d, buf);
    let mut emit = Writer {
        report: &mut report,
        policy,
    };
    let Some(inputs) = expand_inputs(&args.deals, &args.exclude, err) else {
        return 2;
    };
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
    summary.exit_code_with(&options)
}

/// The sink of `covenant check`: each deal into the run's report. A format that writes what
/// the workers rendered takes only each deal's summary, so the reports are freed on the
/// worker threads that made them.
struct Writer<'r, 'w> {
    report: &'r mut run::RunReport<'w>,
    policy: &'r Policy,
}

impl Sink for Writer<'_, '_> {
    fn report(&mut self, d: DealReport, rendered: Option<&[u8]>) {
        self.report
            .add(self.policy, &d, rendered.unwrap_or_default());
    }

    fn summaries_suffice(&self) -> bool {
        !self.report.needs_reports()
    }

    fn summary(&mut self, d: DealSummary, rendered: Option<&[u8]>) {
        self.report.add_summary(d, rendered.unwrap_or_default());
    }

    fn summaries(&mut self, text: &[u8], deals: &[(DealSummary, Option<Range<usize>>)]) {
        self.report.add_summaries(text, deals);
    }
}

impl CheckArgs {
    /// What the report shows beside its format.
    fn report_options(&self) -> covenant::report::Options {
        covenant::report::Options {
            verbose: self.verbose,
            quiet: self.quiet,
            failures_only: self.failures_only,
            require_applicable: self.require_applicable,
        }
    }
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
            Format::Github => run::Format::Github,
        }
    }
}

/// The inputs of the deal arguments, folder searches skipping what the `exclude` globs match;
/// what a folder search skipped for another reason is a warning on `err`. None (and an error
/// on `err`) when a glob is not valid.
pub fn expand_inputs(
    args: &[String],
    exclude: &[String],
    err: &mut dyn Write,
) -> Option<Vec<Input>> {
    let exclude = match inputs::Exclude::new(exclude) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "error: --exclude: {e}");
            return None;
        }
    };
    let mut warnings = Vec::new();
    let inputs = inputs::expand_excluding(args, &exclude, &mut warnings);
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    Some(inputs)
}

/// Compile the policies, printing diagnostics to `err`; None when they do not compile.
pub fn compile_policies(
    paths: &[std::path::PathBuf],
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Option<Policy> {
    compile_policies_with(paths, &PolicyLimits::default(), err, handler)
}

/// [`compile_policies`] within `limits`.
pub fn compile_policies_with(
    paths: &[std::path::PathBuf],
    limits: &PolicyLimits,
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Option<Policy> {
    compile_for_run(paths, limits, err, handler).ok()
}

/// [`compile_policies_with`], saying why when the policies do not compile. An internal error
/// (a panic) of the compiler is reported as `covenant::internal::panic`, never a crash.
pub fn compile_for_run(
    paths: &[std::path::PathBuf],
    limits: &PolicyLimits,
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Result<Policy, NotRun> {
    let paths = if paths.is_empty() {
        let default = std::path::PathBuf::from("policies");
        if !default.is_dir() {
            let why = "no policy given: pass -p/--policy PATH (or create ./policies)";
            let _ = writeln!(err, "error: {why}");
            return Err(NotRun::setting(why));
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
            let summary = "the policy does not compile (1 problem)";
            let _ = writeln!(
                err,
                "error[{}]: {}\n  help: {help}\nerror: {summary}",
                p.code(),
                p
            );
            return Err(NotRun {
                summary: summary.into(),
                diagnostics: None,
                problem: Some(Box::new(RunProblem {
                    code: p.code().to_string(),
                    message: p.to_string(),
                    help: Some(help),
                    file: None,
                    start: None,
                    end: None,
                    error: true,
                })),
            });
        }
    };
    match compiled {
        Ok(compiled) => {
            let _ = err.write_all(human::render_all(handler, &compiled.warnings).as_bytes());
            Ok(compiled.policy)
        }
        Err(diags) => {
            let _ = err.write_all(human::render_all(handler, &diags).as_bytes());
            // "the policy does not compile (N problems)"
            let summary = diags.to_string();
            let _ = writeln!(err, "error: {summary}");
            Err(NotRun {
                summary,
                diagnostics: Some(diags),
                problem: None,
            })
        }
    }
}
