//! Reports: human (miette), JSON, JSON-lines, SARIF, JUnit XML and Markdown. The library
//! renders to strings; the CLI prints.

pub mod audit;
pub mod cite;
pub mod conversion;
mod dates;
pub mod explain;
pub mod explain_text;
pub mod holdings;
pub mod human;
pub mod impact;
pub mod json;
mod json_holdings;
pub mod json_out;
pub mod junit;
pub mod markdown;
mod markdown_text;
pub mod prose;
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
use crate::eval::outcome::{RuleResult, Verdict};

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
        self.path
            .rsplit_once(':')
            .filter(|(_, n)| n.parse::<usize>().is_ok())
            .map_or(self.path.as_str(), |(f, _)| f)
    }
}

/// Counts of verdicts over a batch.
#[derive(Debug, Default, Clone, Copy, serde::Serialize)]
pub struct Summary {
    pub deals: usize,
    pub compliant: usize,
    pub non_compliant: usize,
    pub incomplete: usize,
    pub invalid: usize,
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
