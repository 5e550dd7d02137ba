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
    let path = p.display().to_string();
    let Some(format) = crate::deal::format_of(p) else {
        return read::unreadable(
            &path,
            "not a deal file: use .yaml, .yml, .json, .toml or .jsonl",
        )
        .report(path);
    };
    match read::deal_file(p, settings.max_deal_size, settings.read_timeout) {
        Ok(text) => check_document(
            policy,
            settings,
            Document {
                path: path.clone(),
                source: SourceFile::new(path, text),
                first_line: 1,
                format,
            },
        ),
        Err(problem) => problem.report(path),
    }
}

/// Load and evaluate one deal document. Whatever happens, the deal gets a report: an internal
/// error (a panic) makes it `invalid` with `covenant::internal::panic`.
pub fn check_document(policy: &Policy, settings: &Settings, document: Document) -> DealReport {
    let Document {
        path,
        source,
        first_line,
        format,
    } = document;
    // The path stays here, for the report whatever happens: not copied for it.
    let checked = catch_unwind(AssertUnwindSafe(|| {
        check_unguarded(policy, settings, &path, source, first_line, format)
    }));
    let mut report = checked.unwrap_or_else(|payload| {
        read::internal_panic("checking this deal", payload.as_ref()).report(String::new())
    });
    report.path = path;
    report
}

/// A loader diagnostic as a report problem, with its position in the deal file: that of its
/// primary span, which is where its first label points (debug builds check it; the labels are
/// not read for it, as they are words formatted for the graphical report).
fn problem(
    d: crate::deal::DealError,
    source: &SourceFile,
    first_line: usize,
    error: bool,
    keep_diagnostic: bool,
) -> DealProblem {
    let at = d.span().start;
    debug_assert_eq!(
        d.labels().and_then(|mut l| l.next()).map(|l| l.offset()),
        Some(at),
        "{d:?}"
    );
    let (line, column) = source.line_col(at);
    DealProblem {
        code: d.code().to_owned(),
        message: d.to_string(),
        help: d.help().map(|h| h.to_string()),
        line: Some(line + first_line - 1),
        column: Some(column),
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
    crate::deal::load(
        source,
        path.clone(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    )
    .map_err(|errs| Box::new(invalid(path, errs, first_line, settings.keep_diagnostics)))
}

/// The report of a deal that does not load: `invalid`, with its errors and warnings (each
/// placed in the deal file; the diagnostics kept when `keep_diagnostics`).
pub(super) fn invalid(
    path: String,
    errs: crate::deal::DealErrors,
    first_line: usize,
    keep_diagnostics: bool,
) -> DealReport {
    let (keep, mut problems) = (keep_diagnostics, Vec::new());
    let source = &errs.file;
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

/// The report of one deal, its path left empty (the caller's to fill).
fn check_unguarded(
    policy: &Policy,
    settings: &Settings,
    path: &str,
    source: SourceFile,
    first_line: usize,
    format: crate::deal::Format,
) -> DealReport {
    let no_path = String::new;
    #[cfg(any(test, feature = "test-hooks"))]
    if path.contains("covenant-test-panic") {
        #[allow(clippy::panic, reason = "test hook")]
        {
            panic!("test hook: a panic while checking a deal");
        }
    }
    if read::is_blank(&source.text) {
        return read::empty("the deal").report(no_path());
    }
    let keep = settings.keep_diagnostics;
    match crate::deal::load(
        source,
        path.to_owned(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
    ) {
        Err(errs) => invalid(no_path(), errs, first_line, keep),
        Ok(loaded) => {
            let deal = loaded.deal;
            let (results, near_misses) = eval::evaluate_with_warnings(
                policy,
                &deal,
                settings.as_of,
                settings.include_proposed,
            );
            let mut problems = Vec::new();
            let warnings = loaded.warnings.into_iter().chain(near_misses).collect();
            let warnings_omitted = keep_problems(
                warnings,
                &deal.source,
                first_line,
                false,
                keep,
                &mut problems,
            );
            let verdict = outcome::deal_verdict(policy, &results, settings.deny_warnings);
            DealReport {
                path: no_path(),
                proposal: proposal(policy, &deal),
                verdict,
                results,
                problems,
                errors_omitted: 0,
                warnings_omitted,
                deal: keep.then(|| Arc::new(deal)),
            }
        }
    }
}
