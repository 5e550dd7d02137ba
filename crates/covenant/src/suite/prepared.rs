//! A suite ready to run: its policy compiled, its cases' deals read.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;

use crate::check::Document;
use crate::eval::outcome::Verdict;
use crate::resolve::Policy;

/// A suite ready to run: its policy compiled, its deals read.
pub struct Suite {
    /// The suite file; its snapshots are stored beside it ([`crate::suite::snapshot::dir`]).
    pub path: PathBuf,
    pub policy: Arc<Policy>,
    pub cases: Vec<Case>,
    /// The warnings of compiling the policy (`covenant::lint::shadowed-item`, …), for stderr.
    pub warnings: Vec<miette::Report>,
}

pub struct Case {
    pub name: String,
    /// The case's name as a file name, for its snapshot.
    pub slug: String,
    pub deal: Document,
    pub as_of: Option<Date>,
    pub deny_warnings: bool,
    pub strict: bool,
    /// `proposed` and `reported` rules count (SPEC §12).
    pub include_proposed: bool,
    pub verdict: Option<Verdict>,
    /// Expected outcome per rule id, in the suite's order.
    pub rules: Vec<(String, &'static str)>,
}

impl Suite {
    /// Count `proposed` and `reported` rules in every case (`covenant test
    /// --include-proposed`), as a case's `include_proposed: true` does.
    pub fn including_proposed(mut self) -> Suite {
        for case in &mut self.cases {
            case.include_proposed = true;
        }
        self
    }
}

/// The case's name as a file name: letters and digits in lower case, other runs as `-`.
pub fn slug(name: &str, index: usize) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        format!("case-{}", index + 1)
    } else {
        out
    }
}
