//! Legal status and precedence in evaluation (SPEC §12, §14): which rules count for the deal
//! verdict, and what a rule that overrides others does to them.
//!
//! A rule overrides the rules its `overrides` names while it applies (its window holds and
//! every `when` is true), is itself counted, and is not overridden. Rules are evaluated in
//! [`Policy::order`], so whether a rule overrides is known before the rules it names are
//! evaluated; with Kleene logic, a rule may override (unknown) when any of those is unknown.

use std::sync::Arc;

use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Status;

use super::expr::Tv;
use super::note::{Note, Reason};
use super::outcome::{Evidence, MayBeOverridden, Message, Outcome, RuleResult};

/// Whether a rule of `status` counts for the deal verdict and the exit code (SPEC §12): the
/// one place that decides it. `proposed` and `reported` rules are not law: they are reported
/// but count only under `--include-proposed`.
pub fn status_counts(status: Status, include_proposed: bool) -> bool {
    match status {
        Status::InForce | Status::Repealed => true,
        Status::Proposed | Status::Reported => include_proposed,
    }
}

/// Whether each rule evaluated so far overrides the rules it names: true, false, or unknown
/// (indexed like [`Policy::rules`]; false for rules not yet evaluated or naming none, and
/// for those past its end: it grows when a rule that overrides others is set, so a policy
/// without `overrides` allocates nothing a deal).
#[derive(Default)]
pub(super) struct Overriding {
    overrides: Vec<Tv>,
}

/// Whether a rule is overridden, and by which rules.
pub(super) enum Overridden {
    /// No rule overrides it.
    No,
    /// The rule named so overrides it (the first in policy order that does).
    By(Arc<str>),
    /// No rule overrides it for sure, and those named so may.
    Maybe(Vec<Arc<str>>),
}

impl Overriding {
    /// Whether `rule` is overridden by the rules that name it, all evaluated before it.
    pub(super) fn of(&self, policy: &Policy, rule: &Rule) -> Overridden {
        let mut maybe = Vec::new();
        for &by in &rule.overridden_by {
            let Some(other) = policy.rules.get(by) else {
                continue;
            };
            match self.overrides.get(by) {
                Some(Tv::True) => return Overridden::By(other.id.as_str().into()),
                Some(Tv::Unknown) => maybe.push(other.id.as_str().into()),
                _ => {}
            }
        }
        if maybe.is_empty() {
            Overridden::No
        } else {
            Overridden::Maybe(maybe)
        }
    }

    /// Record whether the rule at `index` overrides the rules it names: it must count, not be
    /// overridden (`overridden`: false, or unknown) and apply (`applies`).
    pub(super) fn set(&mut self, index: usize, counts: bool, overridden: &Overridden, applies: Tv) {
        let not_overridden = match overridden {
            Overridden::No => Tv::True,
            Overridden::By(_) => Tv::False,
            Overridden::Maybe(_) => Tv::Unknown,
        };
        let value = if counts {
            kleene_and(not_overridden, applies)
        } else {
            Tv::False
        };
        if self.overrides.len() <= index {
            self.overrides.resize(index + 1, Tv::False);
        }
        if let Some(slot) = self.overrides.get_mut(index) {
            *slot = value;
        }
    }
}

fn kleene_and(a: Tv, b: Tv) -> Tv {
    match (a, b) {
        (Tv::False, _) | (_, Tv::False) => Tv::False,
        (Tv::True, Tv::True) => Tv::True,
        _ => Tv::Unknown,
    }
}

/// The result of a rule that an applying rule overrides: not applicable, not counted.
pub(super) fn overridden(by: Arc<str>) -> RuleResult {
    RuleResult {
        rule: 0,
        outcome: Outcome::NotApplicable,
        exempt: None,
        message: Message::Overridden(Arc::clone(&by)),
        evidence: vec![Evidence::note(Note::Overridden(by))],
        help: None,
        unknown_when: Box::default(),
        counted: false,
    }
}

/// A result of a rule that the rules named `by` may override: a failure becomes incomplete
/// (it might not apply), with the reason first in its evidence; any other outcome stands
/// (spec-v2-notes B.18: an overriding rule whose applicability is unknown is itself
/// incomplete, so the verdict cannot come out compliant by mistake).
pub(super) fn may_be_overridden(mut r: RuleResult, by: Vec<Arc<str>>) -> RuleResult {
    if r.outcome != Outcome::Fail {
        return r;
    }
    let failed = match std::mem::replace(&mut r.message, Message::Pending) {
        Message::DoesNotHold(clauses) => clauses,
        _ => Vec::new(),
    };
    let reason = Reason::MayBeOverridden(by.clone().into_boxed_slice());
    r.evidence.insert(0, Evidence::note(Note::Unknown(reason)));
    r.outcome = Outcome::Incomplete;
    r.message = Message::MayBeOverridden(Box::new(MayBeOverridden { by, failed }));
    r
}
