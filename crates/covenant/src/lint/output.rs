//! The human (miette) and JSON renderings of a [`LintReport`].

use std::collections::HashMap;
use std::fmt::Write as _;

use miette::GraphicalReportHandler;
use serde::Serialize;

use super::{LintReport, Severity};
use crate::report::MAX_PROBLEMS_SHOWN;

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Every finding as a miette report (at most [`MAX_PROBLEMS_SHOWN`] for each file, then a
/// line that counts the rest), then a summary line.
pub fn human(report: &LintReport, handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    let mut shown: HashMap<Option<&str>, usize> = HashMap::new();
    let mut files = Vec::new();
    for f in &report.findings {
        let file = f.file.as_deref();
        let n = shown.entry(file).or_insert_with(|| {
            files.push(file);
            0
        });
        *n += 1;
        if *n <= MAX_PROBLEMS_SHOWN {
            out.push_str(&f.render(handler));
            out.push('\n');
        }
    }
    for file in files {
        let more = shown
            .get(&file)
            .map_or(0, |n| n.saturating_sub(MAX_PROBLEMS_SHOWN));
        if more > 0 {
            let file = file.map(|f| format!(" in `{f}`")).unwrap_or_default();
            let _ = writeln!(out, "… and {more} more findings{file} not shown\n");
        }
    }
    let _ = writeln!(out, "{}", summary(report));
    out
}

/// `lint: 2 policy files, 0 errors, 1 warning, 2 infos`
pub fn summary(report: &LintReport) -> String {
    if report.fatal {
        return format!(
            "lint: the policy could not be loaded ({})",
            plural(report.count(Severity::Error), "error")
        );
    }
    let counts = format!(
        "{}, {}, {}",
        plural(report.count(Severity::Error), "error"),
        plural(report.count(Severity::Warning), "warning"),
        plural(report.count(Severity::Info), "info")
    );
    let deals = match report.deals.len() {
        0 => String::new(),
        n => format!(", {}", plural(n, "deal")),
    };
    format!(
        "lint: {}{deals}, {counts}",
        plural(report.files.len(), "policy file")
    )
}

#[derive(Serialize)]
struct SpanJson {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct FindingJson<'a> {
    code: &'a str,
    severity: Severity,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    end_line: Option<usize>,
    end_column: Option<usize>,
    span: Option<SpanJson>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct SummaryJson {
    errors: usize,
    warnings: usize,
    infos: usize,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    policies: &'a [String],
    /// The deals whose approvals `--expiring` listed; left out without deals.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    deals: &'a [String],
    loaded: bool,
    findings: Vec<FindingJson<'a>>,
    summary: SummaryJson,
}

/// One JSON object: the policies, every finding, and the counts per severity.
pub fn json(report: &LintReport) -> String {
    let r = ReportJson {
        policies: &report.files,
        deals: &report.deals,
        loaded: !report.fatal,
        findings: report
            .findings
            .iter()
            .map(|f| FindingJson {
                code: &f.code,
                severity: f.severity,
                message: &f.message,
                file: f.file.as_deref(),
                line: f.line,
                column: f.column,
                end_line: f.end_line,
                end_column: f.end_column,
                span: f.span.map(|s| SpanJson {
                    start: s.start,
                    end: s.end,
                }),
                help: f.help.as_deref(),
            })
            .collect(),
        summary: SummaryJson {
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            infos: report.count(Severity::Info),
        },
    };
    serde_json::to_string_pretty(&r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
