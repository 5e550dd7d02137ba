//! Rule outcomes, evidence and deal verdicts: what evaluation hands to the reports. Facts,
//! not sentences: the reports write every sentence from them (`report::prose`).

use std::mem::size_of;
use std::sync::Arc;

use jiff::civil::Date;

use crate::resolve::ir::Window;
use crate::resolve::Policy;
use crate::syntax::ast::{CmpOp, Severity};

pub use super::conversion::{ConversionShown, NoRate};
pub use super::holdings::{
    ControllerShown, EdgeShown, GroupShown, LinkShown, LookThroughShown, Member, PathShown, Share,
};
pub use super::note::{
    Computed, Internal, Joint, NeedsList, NoRow, Note, Outside, Over100, Reason, Unlisted, Vacuous,
};
pub use super::shown::{
    Bound, DealLocation, Distance, Element, Margin, Op, PolicyPlace, Shown, TableRowShown,
};
pub use super::waiver::{Expiry, Waiver};

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

/// A value that decided an outcome (SPEC §3.3): facts only; `report::prose` writes the note.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Evidence {
    /// The deciding element, such as party "Dragon Motors".
    pub element: Option<Element>,
    /// The deal path of the value, such as `parties[1].stake`.
    pub path: Option<String>,
    /// The value (`51%`), or None when it is missing.
    pub value: Option<Shown>,
    /// What it was tested against (`50%`).
    pub bound: Option<Bound>,
    /// The test, such as `<`.
    pub op: Option<Op>,
    /// How far over or under the bound.
    pub margin: Option<Margin>,
    /// What the evidence says: a test and whether it held, why a value is unknown…
    pub note: Note,
    /// Where the value (or the record lacking it) is in the deal file.
    pub location: Option<DealLocation>,
    /// For the entry that stands for elements left out past [`ELEMENTS_SHOWN`]: how many.
    pub more: Option<usize>,
}

impl Evidence {
    /// Evidence that is only a note.
    pub fn note(note: Note) -> Evidence {
        Evidence {
            element: None,
            path: None,
            value: None,
            bound: None,
            op: None,
            margin: None,
            note,
            location: None,
            more: None,
        }
    }
}

/// Why a rule has its outcome, for the one line a report gives it.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Holds,
    /// The requirement held with nothing to test.
    HoldsVacuously(Vacuous),
    /// A pass by the exemption [`RuleResult::exempt`].
    Exempt,
    /// A pass by this approval (SPEC §10); [`RuleResult::waiver`] reads it.
    Waived(Box<Waiver>),
    /// The rule has an effective window and the deal not the date it tests: `date`, or the
    /// field its `on` reads (SPEC §9).
    NoDate {
        window: Window,
        field: Arc<str>,
    },
    /// The rule has an effective window and the date it tests, written `date`, is unknown for
    /// another reason than a missing field (the evidence says why).
    DateUnknown {
        window: Window,
        date: Arc<str>,
    },
    /// The evaluation date (the `--as-of` date or the deal's) is outside the window.
    NotInEffect {
        on: Date,
        as_of: bool,
        window: Window,
        /// What the window tests, when not `--as-of` and not the deal's `date`.
        tested: Option<Box<Tested>>,
    },
    /// The `when` clause written so is false.
    WhenFalse(Option<Arc<str>>),
    WhenUnknown,
    /// The `require` clauses written so are false.
    DoesNotHold(Vec<Arc<str>>),
    /// The requirement is unknown; `because` is the evidence that says why, if one does.
    CannotDecide {
        because: Option<usize>,
    },
    /// Not applicable: the rule named so applies and overrides this one (SPEC §14).
    Overridden(Arc<str>),
    /// The rule fails, unless a rule whose applicability is unknown overrides it (SPEC §14):
    /// incomplete.
    MayBeOverridden(Box<MayBeOverridden>),
    /// The truth-only pass decided no more than the outcome: the evidence pass gives the
    /// message. Never in a report.
    Pending,
}

/// The date a window tests, other than the deal's `date` (SPEC §9).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tested {
    /// A field of the deal root (`closing_date`).
    Field(Arc<str>),
    /// A date computed from the deal, as written (`closing date - 30 days`).
    Computed(Arc<str>),
}

/// A failure that may be overridden: the rules that may override it, and the `require`
/// clauses written so that are false.
#[derive(Clone, Debug, PartialEq)]
pub struct MayBeOverridden {
    pub by: Vec<Arc<str>>,
    pub failed: Vec<Arc<str>>,
}

/// How to fix a failure.
#[derive(Clone, Debug, PartialEq)]
pub enum Help {
    /// From the first failing ordered comparison: move the value past its bound.
    Fix(Box<Fix>),
    /// The rule's own `help`.
    Rule(Arc<str>),
}

/// A failing ordered comparison, for the help line that says how to fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    /// Where the value must go.
    pub limit: Limit,
    pub subject: Arc<str>,
    pub element: Option<Element>,
    pub path: Option<String>,
    pub distance: Distance,
    /// The value is at the bound (a strict comparison failed by equality).
    pub at_bound: bool,
    pub bound: Bound,
}

/// Where an ordered comparison wants its value: `< bound`, `<= bound`, `> bound`, `>= bound`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    Below,
    AtMost,
    Above,
    AtLeast,
}

impl Limit {
    pub fn of(op: CmpOp) -> Option<Limit> {
        match op {
            CmpOp::Lt => Some(Limit::Below),
            CmpOp::Le => Some(Limit::AtMost),
            CmpOp::Gt => Some(Limit::Above),
            CmpOp::Ge => Some(Limit::AtLeast),
            CmpOp::Eq | CmpOp::Ne => None,
        }
    }
}

/// The result of one rule on one deal.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleResult {
    /// Index of the rule in the compiled policy.
    pub rule: usize,
    pub outcome: Outcome,
    /// For a `pass` by an `unless`: the exemption's text.
    pub exempt: Option<Arc<str>>,
    pub message: Message,
    pub evidence: Vec<Evidence>,
    pub help: Option<Help>,
    /// For an outcome that is `incomplete` because whether the rule applies is unknown: the
    /// indices (into the rule's `when` clauses) of the clauses that are unknown, where the
    /// reports point instead of at the rule.
    pub unknown_when: Box<[usize]>,
    /// The result counts for the deal verdict and the exit code: the rule's status counts
    /// (SPEC §12, [`super::precedence::status_counts`]) and no rule overrides it (§14).
    /// Whatever the outcome: a counted rule may be not applicable.
    pub counted: bool,
}

impl RuleResult {
    /// The result of rule 0 with nothing but its outcome and message: counted, no evidence,
    /// help, exemption or unknown `when` clause.
    pub fn plain(outcome: Outcome, message: Message) -> RuleResult {
        RuleResult {
            rule: 0,
            outcome,
            exempt: None,
            message,
            evidence: Vec::new(),
            help: None,
            unknown_when: Box::default(),
            counted: true,
        }
    }

    /// A pass by an exemption: an `unless` that held, or an approval (SPEC §3.1 step 3).
    pub fn is_exempt(&self) -> bool {
        self.exempt.is_some() || self.waiver().is_some()
    }

    /// For a `pass` by an approval (SPEC §10): the approval.
    pub fn waiver(&self) -> Option<&Waiver> {
        match &self.message {
            Message::Waived(w) => Some(w),
            _ => None,
        }
    }

    /// The rule that overrides this one, when one does (SPEC §14).
    pub fn overridden_by(&self) -> Option<&str> {
        match &self.message {
            Message::Overridden(by) => Some(by),
            _ => None,
        }
    }

    /// About the bytes the result holds, for bounding the reports in flight.
    pub fn weight(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        let message = match &self.message {
            Message::WhenFalse(Some(c)) => c.len(),
            Message::DoesNotHold(cs) => cs.iter().map(|c| c.len()).sum(),
            Message::MayBeOverridden(m) => m.failed.iter().chain(&m.by).map(|c| c.len()).sum(),
            _ => 0,
        };
        let help = match &self.help {
            Some(Help::Rule(h)) => h.len(),
            Some(Help::Fix(_)) => size_of::<Fix>(),
            None => 0,
        };
        let waiver = self.waiver().map_or(0, |w| {
            size_of::<Waiver>()
                + w.authority.len()
                + text(&w.id)
                + text(&w.kind)
                + text(&w.reference)
                + w.parties.iter().map(String::len).sum::<usize>()
        });
        size_of::<RuleResult>()
            + waiver
            + message
            + help
            + self.exempt.as_ref().map_or(0, |e| e.len())
            + self
                .evidence
                .iter()
                .map(|e| size_of::<Evidence>() + text(&e.path))
                .sum::<usize>()
    }
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

/// The verdict of SPEC §3.2 of a deal's results: only the results that count
/// ([`RuleResult::counted`], SPEC §12, §14) decide it.
pub fn deal_verdict(policy: &Policy, results: &[RuleResult], deny_warnings: bool) -> Verdict {
    let pairs = results
        .iter()
        .filter(|r| r.counted)
        .filter_map(|r| Some((policy.rules.get(r.rule)?.severity, r.outcome)));
    verdict_of(pairs, deny_warnings)
}

/// The verdict of SPEC §3.2 from the severities and outcomes of the rules that count.
pub fn verdict(results: &[(Severity, Outcome)], deny_warnings: bool) -> Verdict {
    verdict_of(results.iter().copied(), deny_warnings)
}

/// [`verdict`] of the pairs as they come: a failure that counts decides; else an incomplete
/// outcome that counts.
fn verdict_of(pairs: impl Iterator<Item = (Severity, Outcome)>, deny_warnings: bool) -> Verdict {
    let counts = |s: Severity| s == Severity::Error || (deny_warnings && s == Severity::Warning);
    let mut incomplete = false;
    for (s, o) in pairs {
        if counts(s) {
            match o {
                Outcome::Fail => return Verdict::NonCompliant,
                Outcome::Incomplete => incomplete = true,
                Outcome::Pass | Outcome::NotApplicable => {}
            }
        }
    }
    if incomplete {
        Verdict::Incomplete
    } else {
        Verdict::Compliant
    }
}
