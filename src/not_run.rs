//! What `covenant check` writes when it checks no deal (the policy does not compile, a setting
//! is wrong): the diagnostics go to standard error as always, and the CI formats still write a
//! report that their readers accept, saying why. SARIF: a log whose invocation did not succeed,
//! with a tool notification and the policy's diagnostics as results (`docs/reports.md`);
//! GitHub: an annotation per diagnostic. The exit code stays 2.

use std::io::Write;

use covenant::lint::{Finding, Severity};
use covenant::report::{github, sarif, RunProblem};
use covenant::resolve::Diagnostics;

use super::report_format::Format;

/// Why a run checked no deal.
pub struct NotRun {
    /// One line: "the policy does not compile (3 problems)".
    pub summary: String,
    /// The policy's diagnostics, when it does not compile.
    pub diagnostics: Option<Diagnostics>,
    /// A problem of its own (an internal error of the compiler).
    pub problem: Option<Box<RunProblem>>,
}

impl NotRun {
    /// A run stopped by a wrong setting, said in `summary`.
    pub fn setting(summary: impl Into<String>) -> NotRun {
        NotRun {
            summary: summary.into(),
            diagnostics: None,
            problem: None,
        }
    }

    /// Every problem, each placed in its file when it is in one.
    fn problems(self) -> Vec<RunProblem> {
        let mut problems: Vec<RunProblem> = self.problem.into_iter().map(|p| *p).collect();
        if let Some(d) = self.diagnostics {
            problems.extend(Finding::from_reports(d.into_reports()).into_iter().map(of));
        }
        problems
    }

    /// Write the report of `format` for this run to `out` (nothing for the other formats);
    /// the exit code, 2.
    pub fn report(self, format: Format, max_results: Option<usize>, out: &mut dyn Write) -> u8 {
        let text = match format {
            Format::Sarif => {
                let summary = format!("{}: no deal was checked", self.summary);
                sarif::not_run(&summary, &self.problems(), max_results)
            }
            Format::Github => {
                let summary = format!("{}: no deal was checked", self.summary);
                github::not_run(&summary, &self.problems())
            }
            Format::Human | Format::Json | Format::Jsonl | Format::Junit | Format::Markdown => {
                return 2
            }
        };
        let _ = out.write_all(text.as_bytes());
        2
    }
}

fn of(f: Finding) -> RunProblem {
    RunProblem {
        code: f.code,
        message: f.message,
        help: f.help,
        file: f.file,
        start: f.line.zip(f.column),
        end: f.end_line.zip(f.end_column),
        error: f.severity == Severity::Error,
    }
}
