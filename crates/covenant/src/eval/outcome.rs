//! Rule outcomes, evidence and deal verdicts: what evaluation hands to the reports.

use crate::source::Span;
use crate::syntax::ast::Severity;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
    Incomplete,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::Incomplete => "incomplete",
        }
    }
}

/// The elements of one list (a quantifier's, an implicit each's, a total's) whose evidence is
/// shown; the others are counted in one [`Evidence::more`] entry ("and 1990 more of
/// `party`"). Evaluation keeps no more than this many either, so evidence stays linear in
/// the deal, however deeply quantifiers nest.
pub const ELEMENTS_SHOWN: usize = 10;

/// A value that decided an outcome (SPEC §3.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Evidence {
    /// The deciding element, such as `party "Dragon Motors"`.
    pub element: Option<String>,
    /// The deal path of the value, such as `parties[1].stake`.
    pub path: Option<String>,
    /// The value as written for users (`51%`), or None when it is missing.
    pub value: Option<String>,
    /// The bound it was compared with (`50%`).
    pub bound: Option<String>,
    /// The comparison, such as `<`.
    pub op: Option<String>,
    /// How far over or under the bound (`1 percentage point over`).
    pub margin: Option<String>,
    /// A sentence for users: "stake 51% is not < 50%", "field `date` is missing".
    pub note: String,
    /// Where the value (or the record lacking it) is in the deal file.
    pub location: Option<DealLocation>,
    /// For the entry that stands for elements left out past [`ELEMENTS_SHOWN`]: how many.
    pub more: Option<usize>,
}

/// A position in a deal file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DealLocation {
    pub span: Span,
    pub line: usize,
    pub column: usize,
}

/// The result of one rule on one deal.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleResult {
    /// Index of the rule in the compiled policy.
    pub rule: usize,
    pub outcome: Outcome,
    /// For a `pass` by an `unless`: the exemption's text.
    pub exempt: Option<String>,
    /// One line for users.
    pub message: String,
    pub evidence: Vec<Evidence>,
    /// A help line such as "reduce Dragon Motors' stake by more than 1 percentage point".
    pub help: Option<String>,
    /// For an outcome that is `incomplete` because whether the rule applies is unknown: the
    /// indices (into the rule's `when` clauses) of the clauses that are unknown, where the
    /// reports point instead of at the rule.
    pub unknown_when: Vec<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Compliant,
    NonCompliant,
    Incomplete,
    Invalid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compliant => "compliant",
            Verdict::NonCompliant => "non-compliant",
            Verdict::Incomplete => "incomplete",
            Verdict::Invalid => "invalid",
        }
    }
}

/// The verdict of SPEC §3.2 from rule severities and outcomes.
pub fn verdict(results: &[(Severity, Outcome)], deny_warnings: bool) -> Verdict {
    let counts = |s: Severity| s == Severity::Error || (deny_warnings && s == Severity::Warning);
    if results
        .iter()
        .any(|&(s, o)| counts(s) && o == Outcome::Fail)
    {
        Verdict::NonCompliant
    } else if results
        .iter()
        .any(|&(s, o)| counts(s) && o == Outcome::Incomplete)
    {
        Verdict::Incomplete
    } else {
        Verdict::Compliant
    }
}
