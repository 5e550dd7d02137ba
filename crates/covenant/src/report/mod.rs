//! Reports: human (miette), JSON, JSON-lines, SARIF, JUnit XML and Markdown. The library
//! renders to strings; the CLI prints.

pub mod audit;
pub mod brief;
pub mod caps;
pub mod cite;
pub mod conversion;
mod dates;
pub mod deal_values;
mod escape_runs;
pub mod explain;
pub mod explain_text;
pub mod findings;
pub mod github;
pub mod holdings;
pub mod human;
pub mod impact;
pub mod json;
mod json_holdings;
pub mod json_out;
pub mod junit;
pub mod markdown;
pub mod markdown_cut;
mod markdown_text;
pub(crate) mod pretty;
pub mod prose;
pub mod rule_source;
pub mod run;
pub mod sarif;
pub mod spool;
pub mod status;
pub mod stream;
pub mod style;
pub mod tables;
pub mod visible;
pub mod waiver;
pub mod words;
pub mod written;

use std::sync::Arc;

use crate::deal::tree::Deal;
use crate::eval::outcome::{Outcome, RuleResult, Verdict};

/// The most errors, and the most warnings, reported for one deal document (and the most
/// diagnostics printed for one policy file); the rest are counted ("and N more").
pub const MAX_PROBLEMS_SHOWN: usize = 100;

/// The most pieces of evidence drawn for one rule in the human report; the JSON report keeps
/// every one the evaluator gives.
pub const MAX_EVIDENCE_SHOWN: usize = 10;

/// A deal problem found by the loader (an error makes the deal invalid).
#[derive(Debug)]
pub struct DealProblem {
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub error: bool,
    /// The rendered miette diagnostic (human format only).
    pub diagnostic: Option<miette::Report>,
}

/// A problem that kept a run from checking any deal (a policy that does not compile, a bad
/// setting): what the SARIF and GitHub reports of `covenant check` say instead of results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunProblem {
    /// The diagnostic code (`covenant::type::mismatch`).
    pub code: String,
    pub message: String,
    pub help: Option<String>,
    /// Where it is, when it is in a file: the file, and the 1-based (line, column) of the start
    /// and of the end of its span.
    pub file: Option<String>,
    pub start: Option<(usize, usize)>,
    pub end: Option<(usize, usize)>,
    /// An error (else a warning).
    pub error: bool,
}

/// Everything a report says about one deal.
#[derive(Debug)]
pub struct DealReport {
    pub path: String,
    pub proposal: Option<String>,
    pub verdict: Verdict,
    pub results: Vec<RuleResult>,
    pub problems: Vec<DealProblem>,
    /// Errors, and warnings, of the deal past the first [`MAX_PROBLEMS_SHOWN`] of each: counted,
    /// not kept.
    pub errors_omitted: usize,
    pub warnings_omitted: usize,
    /// The loaded deal, kept for rendering its source in human reports.
    pub deal: Option<Arc<Deal>>,
}

impl DealReport {
    /// The deal's file: the path without the `:LINE` of a deal from a `.jsonl` batch.
    pub fn file(&self) -> &str {
        crate::source::file_and_line(&self.path).map_or(self.path.as_str(), |(f, _)| f)
    }

    /// Whether the deal is a line of a `.jsonl` batch (its path is `FILE:LINE`).
    pub fn is_batch_line(&self) -> bool {
        self.file().len() != self.path.len()
    }

    /// How many rules applied to the deal: those whose outcome is not `not-applicable`
    /// (passed, exempt, failed or incomplete; counted or not). None for an invalid deal, on
    /// which no rule was evaluated.
    pub fn applicable(&self) -> Option<usize> {
        if self.verdict == Verdict::Invalid {
            return None;
        }
        let applied = self
            .results
            .iter()
            .filter(|r| r.outcome != Outcome::NotApplicable);
        Some(applied.count())
    }

    /// Whether the deal was checked and no rule applied to it (its verdict is `compliant`,
    /// SPEC §3.2; `--require-applicable` fails the run on it).
    pub fn no_rule_applies(&self) -> bool {
        self.applicable() == Some(0)
    }

    /// Whether the deal fails a run with these options: its verdict is not `compliant`, or no
    /// rule applies to it and `--require-applicable` is given. `--failures-only` shows these.
    pub fn fails(&self, options: &Options) -> bool {
        self.summary().fails(options)
    }

    /// What a run's counts need of the report ([`DealSummary`]).
    pub fn summary(&self) -> DealSummary {
        DealSummary {
            verdict: self.verdict,
            no_rule_applies: self.no_rule_applies(),
        }
    }
}

/// What a run's counts, its exit code and `--failures-only` need of a deal's report: a report
/// rendered where it was checked is handed to the writer as this, and the rest of it is
/// dropped on the thread that made it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DealSummary {
    pub verdict: Verdict,
    /// The deal was checked and no rule applied to it ([`DealReport::no_rule_applies`]).
    pub no_rule_applies: bool,
}

impl DealSummary {
    /// [`DealReport::fails`].
    pub fn fails(&self, options: &Options) -> bool {
        self.verdict != Verdict::Compliant || (options.require_applicable && self.no_rule_applies)
    }
}

/// What a report shows beside its format: the `covenant check` flags `--verbose`, `--quiet`,
/// `--failures-only` and `--require-applicable` (see `docs/reports.md`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Human report: every rule's line, and the rule's source beside the deal's values for
    /// each finding.
    pub verbose: bool,
    /// Human report: the summary line only.
    pub quiet: bool,
    /// Every format: only the deals that fail the run ([`DealReport::fails`]); the summary
    /// still counts every deal.
    pub failures_only: bool,
    /// A deal to which no rule applies fails the run (exit 1); its verdict stays `compliant`.
    pub require_applicable: bool,
}

/// Counts of verdicts over a batch.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub deals: usize,
    pub compliant: usize,
    pub non_compliant: usize,
    pub incomplete: usize,
    pub invalid: usize,
    /// Deals checked to which no rule applied (each counted among the compliant too); written
    /// in the reports only when there are some.
    #[serde(skip_serializing_if = "is_zero")]
    pub no_rule_applies: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Summary {
    pub fn add(&mut self, verdict: Verdict) {
        self.deals += 1;
        match verdict {
            Verdict::Compliant => self.compliant += 1,
            Verdict::NonCompliant => self.non_compliant += 1,
            Verdict::Incomplete => self.incomplete += 1,
            Verdict::Invalid => self.invalid += 1,
        }
    }

    /// Count a deal: its verdict, and whether no rule applied to it.
    pub fn add_deal(&mut self, d: &DealReport) {
        self.add_summary(d.summary());
    }

    /// [`Summary::add_deal`], from the deal's summary.
    pub fn add_summary(&mut self, d: DealSummary) {
        self.add(d.verdict);
        self.no_rule_applies += usize::from(d.no_rule_applies);
    }

    /// [`Summary::exit_code`], and 1 at least when a deal had no rule that applied and
    /// `require_applicable` (`--require-applicable`).
    pub fn exit_code_with(&self, options: &Options) -> u8 {
        let code = self.exit_code();
        if options.require_applicable && self.no_rule_applies > 0 {
            code.max(1)
        } else {
            code
        }
    }

    /// Exit code of SPEC §4: 2 on invalid input, 1 on non-compliant or incomplete, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.invalid > 0 {
            2
        } else if self.non_compliant > 0 || self.incomplete > 0 {
            1
        } else {
            0
        }
    }
}
