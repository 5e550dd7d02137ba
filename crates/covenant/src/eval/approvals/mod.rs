//! Approvals and waivers (SPEC §10): the deal's `approvals`, read once per deal, and whether
//! one exempts a rule.
//!
//! An approval exempts rule R when R's id is in its `rules`, its `authority` is in R's
//! `waivable by` list, `granted` ≤ E < `expires` (E: R's evaluation date), and, when it names
//! `parties`, R's requirements hold with the universal tests counting those parties as
//! meeting them ([`super::expr::Evaluator::holds_covering`]). The exemption is step 3 of
//! SPEC §3.1, after the rule's own `unless` clauses: an `unless` that holds is reported first,
//! then the first approval, in deal order, that exempts. Each approval naming R that does not
//! exempt it gives a deal warning ([`warn`]).

pub(crate) mod read;
mod warn;

use std::rc::Rc;

use jiff::civil::Date;

use crate::resolve::ir::Rule;
use crate::source::Span;
use crate::value::Scalar;

use super::expr::{Evaluator, Tv};
use super::near_miss::{loosely_equal, NearMiss};
use super::outcome::{Message, Outcome, RuleResult, Waiver};
use super::value::Val;

pub(crate) use read::{read, Approval};
pub(crate) use warn::{unknown_rules, warnings};

/// Why an approval naming a rule does not exempt it (before its parties are considered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The rule has no `waivable by`.
    NotWaivable,
    /// These of `authority`, `granted`, `expires` are missing; or the evaluation date is
    /// unknown (empty list).
    Incomplete(Vec<&'static str>),
    /// The authority is not in the list; `near` is the one it nearly spells (SPEC §2.6).
    WrongAuthority {
        allowed: Vec<String>,
        near: Option<String>,
    },
    NotYetValid {
        on: Date,
    },
    Expired {
        on: Date,
    },
}

/// An approval that names a rule, judged before its parties are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// It exempts the rule (it names no parties).
    Exempts,
    /// It exempts the rule if its parties cover the rule's requirements.
    IfCovered,
    Refused(Refusal),
}

/// Where `approval` stands for `rule`, on the evaluation date `on` (None: unknown).
pub(crate) fn standing(
    ev: &mut Evaluator<'_>,
    rule: &Rule,
    approval: &Approval<'_>,
    on: Option<Date>,
) -> Standing {
    let Some(authorities) = &rule.waivable else {
        return Standing::Refused(Refusal::NotWaivable);
    };
    let (Some(authority), Some(granted), Some(expires)) =
        (approval.authority, approval.granted, approval.expires)
    else {
        return Standing::Refused(Refusal::Incomplete(approval.missing()));
    };
    let Some(on) = on else {
        return Standing::Refused(Refusal::Incomplete(Vec::new()));
    };
    let allowed = match ev.value(authorities) {
        Val::List(items, _) => items
            .iter()
            .filter_map(|e| match &e.val {
                Val::Scalar(Scalar::Str(s), _) => Some(s.to_string()),
                _ => None,
            })
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    };
    if !allowed.iter().any(|a| a == authority.0) {
        let near = allowed
            .iter()
            .find(|a| loosely_equal(authority.0, a))
            .cloned();
        if let Some(literal) = &near {
            ev.near_misses.borrow_mut().add(&NearMiss {
                span: authority.1,
                deal: authority.0.to_string(),
                literal: literal.clone(),
            });
        }
        return Standing::Refused(Refusal::WrongAuthority { allowed, near });
    }
    if on < granted.0 {
        return Standing::Refused(Refusal::NotYetValid { on });
    }
    if !expires.0.is_after(on) {
        return Standing::Refused(Refusal::Expired { on });
    }
    if approval.parties.is_empty() {
        Standing::Exempts
    } else {
        Standing::IfCovered
    }
}

/// Whether `approval`, standing so for `rule`, exempts it: a party-scoped one when the
/// rule's requirements hold with its parties counted as meeting the universal tests.
pub(crate) fn exempts(
    ev: &mut Evaluator<'_>,
    rule: &Rule,
    approval: &Approval<'_>,
    standing: &Standing,
) -> bool {
    match standing {
        Standing::Exempts => true,
        Standing::IfCovered => {
            let names: Vec<&str> = approval.parties.iter().map(|(n, _)| *n).collect();
            ev.holds_covering(&rule.require, &names) == Tv::True
        }
        Standing::Refused(_) => false,
    }
}

/// SPEC §3.1 step 3 for approvals, on the result of the other steps: a rule that applies and
/// that no `unless` exempted passes, exempt, by the first approval (in deal order) that
/// exempts it. Anything else is returned as it is.
pub(crate) fn apply(ev: &mut Evaluator<'_>, rule: &Rule, result: RuleResult) -> RuleResult {
    if result.outcome == Outcome::NotApplicable || result.exempt.is_some() {
        return result;
    }
    if rule.waivable.is_none() {
        return result;
    }
    let approvals = ev.approvals();
    let on = ev.evaluation_date;
    for a in approvals.iter().filter(|a| a.names(&rule.id)) {
        let s = standing(ev, rule, a, on);
        if exempts(ev, rule, a, &s) {
            if let Some(w) = waiver(ev, a, on) {
                return RuleResult {
                    outcome: Outcome::Pass,
                    message: Message::Waived(Box::new(w)),
                    evidence: Vec::new(),
                    help: None,
                    unknown_when: Box::default(),
                    ..result
                };
            }
        }
    }
    result
}

/// The approval that exempts, as reports show it.
fn waiver(ev: &mut Evaluator<'_>, a: &Approval<'_>, on: Option<Date>) -> Option<Waiver> {
    let (authority, granted, expires, on) = (a.authority?, a.granted?, a.expires?, on?);
    Some(Waiver {
        id: a.id.map(String::from),
        kind: a.kind.map(String::from),
        authority: authority.0.to_string(),
        granted: granted.0,
        expires: expires.0,
        reference: a.reference.map(String::from),
        parties: a.parties.iter().map(|(n, _)| n.to_string()).collect(),
        on,
        location: ev.locate(a.span),
    })
}

impl<'d> Evaluator<'d> {
    /// The deal's approvals, read on first use.
    pub(crate) fn approvals(&self) -> Rc<Vec<Approval<'d>>> {
        Rc::clone(
            self.approvals
                .get_or_init(|| Rc::new(read(&self.policy.schema, self.deal))),
        )
    }

    /// The line and column of a span of the deal.
    fn locate(&mut self, span: Span) -> Option<super::outcome::DealLocation> {
        self.locator.locate(Some(span))
    }
}
