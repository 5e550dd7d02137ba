//! `covenant check`: load policies, load and evaluate every deal, report in order.

use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use jiff::civil::Date;
use miette::Diagnostic;

use crate::deal::tree::{Deal, NodeValue};
use crate::deal::{self, Format as DealFormat, LoadOptions};
use crate::eval::{self, outcome};
use crate::limits::{Limits, PolicyLimits};
use crate::report::{self, human, stream, DealProblem, DealReport, Summary};
use crate::resolve::{self, Policy};
use crate::source::SourceFile;
use crate::value::Scalar;

use super::inputs::{self, Input};
use super::read;
use super::style::Style;
use super::{CheckArgs, Format};

/// Settings shared by every deal of one run.
pub struct Settings {
    pub as_of: Option<Date>,
    pub deny_warnings: bool,
    pub load: LoadOptions,
    /// Keep rendered diagnostics (human format).
    pub render: bool,
    /// The largest deal document, in bytes (a file, standard input, a `.jsonl` line).
    pub max_deal_size: u64,
    /// The most deals checked; later ones are reported `invalid`, unread.
    pub max_deals: Option<u64>,
    /// How long a deal file that is not a regular file may take to be read.
    pub read_timeout: std::time::Duration,
    /// The format of standard input, when named (`--stdin-format`).
    pub stdin_format: Option<super::stdin::StdinFormat>,
}

impl Default for Settings {
    fn default() -> Self {
        let limits = Limits::default();
        Settings {
            as_of: None,
            deny_warnings: false,
            load: LoadOptions {
                strict: false,
                limits: limits.deal,
            },
            render: false,
            max_deal_size: limits.max_deal_size,
            max_deals: limits.max_deals,
            read_timeout: limits.read_timeout,
            stdin_format: None,
        }
    }
}

pub fn run(args: &CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = Style::from_flag(&args.color);
    let handler = human::handler(style.color);
    let err_handler = human::handler(style.stderr());
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
    let as_of = match args.as_of.as_deref().map(crate::value::parse_date) {
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
        load: LoadOptions {
            strict: args.strict,
            limits: limits.deal,
        },
        render: args.format == Format::Human,
        max_deal_size: limits.max_deal_size,
        max_deals: limits.max_deals,
        read_timeout: limits.read_timeout,
        stdin_format: args.stdin_format,
    };
    let mut summary = Summary::default();
    let streamed = match args.format {
        Format::Sarif => Some(stream::Kind::Sarif),
        Format::Junit => Some(stream::Kind::Junit),
        Format::Markdown => Some(stream::Kind::Markdown),
        Format::Human | Format::Json | Format::Jsonl => None,
    };
    let mut stream = streamed.map(stream::Streamed::new);
    let render = |d: &DealReport, buf: &mut Vec<u8>| -> bool {
        match args.format {
            Format::Human => buf.extend_from_slice(human::deal(&policy, d, &handler).as_bytes()),
            Format::Jsonl => {
                report::json::write_deal_line(buf, &policy, d);
                buf.push(b'\n');
            }
            Format::Json => report::json::write_report_deal(buf, &policy, d),
            Format::Sarif | Format::Junit | Format::Markdown => {
                if let Some(kind) = streamed {
                    stream::render(kind, &policy, d, buf);
                }
            }
        }
        true
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    if args.format == Format::Json {
        let mut head = Vec::new();
        report::json::report_head(&mut head, &policy);
        let _ = out.write_all(&head);
    }
    let mut shown = 0;
    let mut emit = |d: DealReport, text: Option<&[u8]>| {
        summary.add(d.verdict);
        let text = text.unwrap_or_default();
        if let Some(stream) = &mut stream {
            stream.add(&policy, &d, text);
            return;
        }
        if args.format == Format::Json {
            let _ = out.write_all(report::json::deal_separator(shown == 0));
        }
        let _ = out.write_all(text);
        shown += 1;
    };
    let inputs = expand_inputs(&args.deals, err);
    super::batch::check_all(
        &policy,
        &inputs,
        &settings,
        args.jobs.unwrap_or(0),
        &render,
        &mut emit,
    );
    match args.format {
        Format::Human => {
            let _ = out.write_all(human::summary(&summary).as_bytes());
        }
        Format::Json => {
            let mut tail = Vec::new();
            report::json::report_tail(&mut tail, shown, &summary);
            tail.push(b'\n');
            let _ = out.write_all(&tail);
        }
        Format::Sarif | Format::Junit | Format::Markdown | Format::Jsonl => {}
    }
    if let Some(stream) = stream {
        if let Err(e) = stream.finish(&policy, &summary, &mut out) {
            let _ = out.flush();
            let _ = writeln!(err, "error: cannot write the report: {e}");
            return 2;
        }
    }
    let _ = out.flush();
    summary.exit_code()
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
            let help = p.help.unwrap_or_default();
            let _ = writeln!(
                err,
                "error[{}]: {}\n  help: {help}\nerror: the policy does not compile (1 problem)",
                p.code, p.message
            );
            return None;
        }
    };
    match compiled {
        Ok((policy, warnings)) => {
            let _ = err.write_all(human::render_all(handler, &warnings).as_bytes());
            Some(policy)
        }
        Err(diags) => {
            let _ = err.write_all(human::render_all(handler, &diags).as_bytes());
            let n = resolve::problem_count(&diags);
            let _ = writeln!(
                err,
                "error: the policy does not compile ({n} problem{})",
                if n == 1 { "" } else { "s" }
            );
            None
        }
    }
}

/// Check every deal of one input, handing each report to `emit` in order.
pub fn check_input(
    policy: &Policy,
    input: &Input,
    settings: &Settings,
    emit: &mut dyn FnMut(DealReport),
) {
    match input {
        Input::Missing(p, why) => {
            let path = p.display().to_string();
            emit(read::unreadable(&path, why).report(path))
        }
        Input::NoDeals(p) => {
            let path = p.display().to_string();
            emit(read::no_deals(&path).report(path))
        }
        Input::File(p) => emit(check_file(policy, p, settings)),
        Input::Batch(_) | Input::Stdin => {
            super::batch::check_serial(policy, input, settings, emit);
        }
    }
}

/// Read and check one deal file.
pub fn check_file(policy: &Policy, p: &std::path::Path, settings: &Settings) -> DealReport {
    let path = p.display().to_string();
    let Some(format) = deal::format_of(p) else {
        return read::unreadable(
            &path,
            "not a deal file: use .yaml, .yml, .json, .toml or .jsonl",
        )
        .report(path);
    };
    match read::deal_file(p, settings.max_deal_size, settings.read_timeout) {
        Ok(text) => check_text(
            policy,
            SourceFile::new(path.clone(), text),
            path,
            1,
            format,
            settings,
        ),
        Err(problem) => problem.report(path),
    }
}

/// An invalid deal that could not be read at all.
pub fn unreadable(path: String, why: &str) -> DealReport {
    read::unreadable(&path, why).report(path)
}

/// A loader diagnostic as a report problem, with its position in the deal file.
fn problem<D: Diagnostic + Send + Sync + 'static>(
    d: D,
    source: &SourceFile,
    first_line: usize,
    error: bool,
    render: bool,
) -> DealProblem {
    let pos = d.labels().and_then(|mut l| l.next()).map(|l| {
        let (line, col) = source.line_col(l.offset());
        (line + first_line - 1, col)
    });
    DealProblem {
        code: d
            .code()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "covenant::deal::error".into()),
        message: d.to_string(),
        help: d.help().map(|h| h.to_string()),
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
        error,
        diagnostic: render.then(|| miette::Report::new(d)),
    }
}

/// The first [`report::MAX_PROBLEMS_SHOWN`] of a deal's errors (or warnings) as report
/// problems, onto `problems`; how many more there were. Only the ones kept are located and
/// rendered, so a deal with 32,000 unknown keys costs no more to report than one with 100.
fn keep_problems(
    found: Vec<crate::deal::DealError>,
    source: &SourceFile,
    first_line: usize,
    error: bool,
    settings: &Settings,
    problems: &mut Vec<DealProblem>,
) -> usize {
    let omitted = found.len().saturating_sub(report::MAX_PROBLEMS_SHOWN);
    let kept = found.into_iter().take(report::MAX_PROBLEMS_SHOWN);
    problems.extend(kept.map(|e| problem(e, source, first_line, error, settings.render)));
    omitted
}

fn proposal(policy: &Policy, deal: &Deal) -> Option<String> {
    let i = policy.proposal_field?;
    match &deal.root.field(i)?.value {
        NodeValue::Scalar(Scalar::Str(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// Load and evaluate one deal document. Whatever happens, the deal gets a report: an internal
/// error (a panic) makes it `invalid` with `covenant::internal::panic`.
pub fn check_text(
    policy: &Policy,
    source: SourceFile,
    path: String,
    first_line: usize,
    format: DealFormat,
    settings: &Settings,
) -> DealReport {
    let shown = path.clone();
    let checked = catch_unwind(AssertUnwindSafe(|| {
        check_text_unguarded(policy, source, path, first_line, format, settings)
    }));
    checked.unwrap_or_else(|payload| {
        read::internal_panic("checking this deal", payload.as_ref()).report(shown)
    })
}

fn check_text_unguarded(
    policy: &Policy,
    source: SourceFile,
    path: String,
    first_line: usize,
    format: DealFormat,
    settings: &Settings,
) -> DealReport {
    #[cfg(test)]
    if path.contains("covenant-test-panic") {
        #[allow(clippy::panic, reason = "test hook")]
        {
            panic!("test hook: a panic while checking a deal");
        }
    }
    if read::is_blank(&source.text) {
        return read::empty("the deal").report(path);
    }
    let src = source.clone();
    match deal::load(
        source,
        path.clone(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    ) {
        Err(errs) => {
            let mut problems = Vec::new();
            let errors_omitted =
                keep_problems(errs.errors, &src, first_line, true, settings, &mut problems);
            let warnings_omitted = keep_problems(
                errs.warnings,
                &src,
                first_line,
                false,
                settings,
                &mut problems,
            );
            DealReport {
                path,
                proposal: None,
                verdict: outcome::Verdict::Invalid,
                results: Vec::new(),
                problems,
                errors_omitted,
                warnings_omitted,
                deal: None,
            }
        }
        Ok(loaded) => {
            let deal = loaded.deal;
            let (results, near_misses) =
                eval::evaluate_with_warnings(policy, &deal, settings.as_of);
            let mut problems = Vec::new();
            let warnings = loaded.warnings.into_iter().chain(near_misses).collect();
            let warnings_omitted =
                keep_problems(warnings, &src, first_line, false, settings, &mut problems);
            let pairs: Vec<_> = results
                .iter()
                .filter_map(|r| {
                    policy
                        .rules
                        .get(r.rule)
                        .map(|rule| (rule.severity, r.outcome))
                })
                .collect();
            DealReport {
                path,
                proposal: proposal(policy, &deal),
                verdict: outcome::verdict(&pairs, settings.deny_warnings),
                results,
                problems,
                errors_omitted: 0,
                warnings_omitted,
                deal: settings.render.then(|| Arc::new(deal)),
            }
        }
    }
}
