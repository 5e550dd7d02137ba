//! Checking one deal document: load it against the policy's schema, evaluate every rule, and
//! gather the report: the results, the verdict, and the loader's problems with their places.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use miette::Diagnostic;

use crate::deal::tree::{Deal, NodeValue};
use crate::eval::{self, outcome};
use crate::report::{self, DealProblem, DealReport};
use crate::resolve::Policy;
use crate::source::SourceFile;
use crate::value::Scalar;

use super::document::Document;
use super::read;
use super::settings::Settings;

/// Read and check one deal file.
pub fn check_file(policy: &Policy, settings: &Settings, p: &Path) -> DealReport {
    load_file(policy, settings, p).evaluate(policy, settings)
}

/// Read and load one deal file ([`Loaded`]); a panic while loading it is its `invalid`
/// report, as in [`check_document`].
pub(super) fn load_file(policy: &Policy, settings: &Settings, p: &Path) -> Loaded {
    let path = p.display().to_string();
    let Some(format) = crate::deal::format_of(p) else {
        let report = read::unreadable(
            &path,
            "not a deal file: use .yaml, .yml, .json, .toml or .jsonl",
        )
        .report(path);
        return Loaded::Report(report);
    };
    match read::deal_file(p, settings.max_deal_size, settings.read_timeout) {
        Ok(text) => load_document(
            policy,
            settings,
            Document {
                path: path.clone(),
                source: SourceFile::new(path, text),
                first_line: 1,
                format,
            },
        ),
        Err(problem) => Loaded::Report(problem.report(path)),
    }
}

/// Load and evaluate one deal document. Whatever happens, the deal gets a report: an internal
/// error (a panic) makes it `invalid` with `covenant::internal::panic`.
pub fn check_document(policy: &Policy, settings: &Settings, document: Document) -> DealReport {
    load_document(policy, settings, document).evaluate(policy, settings)
}

/// A deal document loaded and waiting for its rules, or its report already (it did not load,
/// or loading it panicked). A batch loads its chunk's deals, then evaluates them, then renders
/// them, so that each phase's code stays in the processor's instruction cache from one deal to
/// the next (BENCHMARKS.md, "Phases a chunk at a time").
pub(super) enum Loaded {
    Report(DealReport),
    Deal(Box<LoadedDeal>),
}

pub(super) struct LoadedDeal {
    path: String,
    source: SourceFile,
    first_line: usize,
    loaded: crate::deal::Loaded,
}

impl Loaded {
    /// The bytes of deal text it holds.
    pub(super) fn text_len(&self) -> usize {
        match self {
            Loaded::Report(_) => 0,
            Loaded::Deal(d) => d.source.text.len(),
        }
    }

    /// The deal's report: its rules evaluated, or the report it has already. A panic while
    /// evaluating makes it `invalid`, as in [`check_document`].
    pub(super) fn evaluate(self, policy: &Policy, settings: &Settings) -> DealReport {
        let deal = match self {
            Loaded::Report(report) => return report,
            Loaded::Deal(deal) => deal,
        };
        let LoadedDeal {
            path,
            source,
            first_line,
            loaded,
        } = *deal;
        let checked = catch_unwind(AssertUnwindSafe(|| {
            #[cfg(any(test, feature = "test-hooks"))]
            if path.contains("covenant-test-eval-panic") {
                #[allow(clippy::panic, reason = "test hook")]
                {
                    panic!("test hook: a panic while evaluating a deal");
                }
            }
            evaluate_loaded(policy, settings, &source, first_line, loaded)
        }));
        let mut report = checked.unwrap_or_else(|payload| {
            read::internal_panic("checking this deal", payload.as_ref()).report(String::new())
        });
        report.path = path;
        report
    }
}

/// Load one deal document ([`Loaded`]); a panic while loading it is its `invalid` report.
pub(super) fn load_document(policy: &Policy, settings: &Settings, document: Document) -> Loaded {
    let Document {
        path,
        source,
        first_line,
        format,
    } = document;
    // The path stays here, for the report whatever happens: not copied for it.
    let loaded = catch_unwind(AssertUnwindSafe(|| {
        load_unguarded(policy, settings, &path, source, first_line, format)
    }));
    match loaded {
        Ok(Ok((source, loaded))) => Loaded::Deal(Box::new(LoadedDeal {
            path,
            source,
            first_line,
            loaded,
        })),
        Ok(Err(mut report)) => {
            report.path = path;
            Loaded::Report(*report)
        }
        Err(payload) => {
            let report = read::internal_panic("checking this deal", payload.as_ref());
            Loaded::Report(report.report(path))
        }
    }
}

/// A loader diagnostic as a report problem, with its position in the deal file.
fn problem<D: Diagnostic + Send + Sync + 'static>(
    d: D,
    source: &SourceFile,
    first_line: usize,
    error: bool,
    keep_diagnostic: bool,
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
        diagnostic: keep_diagnostic.then(|| miette::Report::new(d)),
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
    keep_diagnostics: bool,
    problems: &mut Vec<DealProblem>,
) -> usize {
    let omitted = found.len().saturating_sub(report::MAX_PROBLEMS_SHOWN);
    let kept = found.into_iter().take(report::MAX_PROBLEMS_SHOWN);
    problems.extend(kept.map(|e| problem(e, source, first_line, error, keep_diagnostics)));
    omitted
}

fn proposal(policy: &Policy, deal: &Deal) -> Option<String> {
    let i = policy.proposal_field?;
    match &deal.root.field(i)?.value {
        NodeValue::Scalar(Scalar::Str(s)) => Some(s.to_string()),
        _ => None,
    }
}

/// `document` loaded with `policy`'s schema, or, when it does not load, its `invalid` report
/// as [`super::Engine::check_document`] gives it.
pub(super) fn load_or_invalid(
    policy: &Policy,
    settings: &super::Settings,
    document: super::Document,
) -> Result<crate::deal::Loaded, Box<DealReport>> {
    let super::Document {
        path,
        source,
        first_line,
        format,
    } = document;
    let src = source.clone();
    crate::deal::load(
        source,
        path.clone(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    )
    .map_err(|errs| {
        Box::new(invalid(
            path,
            errs,
            &src,
            first_line,
            settings.keep_diagnostics,
        ))
    })
}

/// The report of a deal that does not load: `invalid`, with its errors and warnings (each
/// placed in the deal file; the diagnostics kept when `keep_diagnostics`).
pub(super) fn invalid(
    path: String,
    errs: crate::deal::DealErrors,
    source: &SourceFile,
    first_line: usize,
    keep_diagnostics: bool,
) -> DealReport {
    let (keep, mut problems) = (keep_diagnostics, Vec::new());
    let errors_omitted = keep_problems(errs.errors, source, first_line, true, keep, &mut problems);
    let warnings_omitted = keep_problems(
        errs.warnings,
        source,
        first_line,
        false,
        keep,
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

/// One deal loaded with its source (kept to place its warnings), or, when it does not load
/// or is blank, its report with the path left empty (the caller's to fill).
fn load_unguarded(
    policy: &Policy,
    settings: &Settings,
    path: &str,
    source: SourceFile,
    first_line: usize,
    format: crate::deal::Format,
) -> Result<(SourceFile, crate::deal::Loaded), Box<DealReport>> {
    let no_path = String::new;
    #[cfg(any(test, feature = "test-hooks"))]
    if path.contains("covenant-test-panic") {
        #[allow(clippy::panic, reason = "test hook")]
        {
            panic!("test hook: a panic while checking a deal");
        }
    }
    if read::is_blank(&source.text) {
        return Err(Box::new(read::empty("the deal").report(no_path())));
    }
    let keep = settings.keep_diagnostics;
    let src = source.clone();
    match crate::deal::load(
        source,
        path.to_owned(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    ) {
        Err(errs) => Err(Box::new(invalid(no_path(), errs, &src, first_line, keep))),
        Ok(loaded) => Ok((src, loaded)),
    }
}

/// The report of one loaded deal, its path left empty (the caller's to fill).
fn evaluate_loaded(
    policy: &Policy,
    settings: &Settings,
    src: &SourceFile,
    first_line: usize,
    loaded: crate::deal::Loaded,
) -> DealReport {
    let keep = settings.keep_diagnostics;
    let deal = loaded.deal;
    let (results, near_misses) =
        eval::evaluate_with_warnings(policy, &deal, settings.as_of, settings.include_proposed);
    let mut problems = Vec::new();
    let warnings = loaded.warnings.into_iter().chain(near_misses).collect();
    let warnings_omitted = keep_problems(warnings, src, first_line, false, keep, &mut problems);
    let verdict = outcome::deal_verdict(policy, &results, settings.deny_warnings);
    DealReport {
        path: String::new(),
        proposal: proposal(policy, &deal),
        verdict,
        results,
        problems,
        errors_omitted: 0,
        warnings_omitted,
        deal: keep.then(|| Arc::new(deal)),
    }
}
