//! The deal warnings of approvals (SPEC §10): every approval that names a rule and does not
//! exempt it says why (`covenant::waiver::…`), also when another approval exempts the rule.
//! The reasons other than `not-covered` hold whatever the rule's outcome; `not-covered` only
//! where the rule applies (there is nothing to cover otherwise). A warning never changes a
//! verdict or an exit code.

use std::sync::Arc;

use jiff::civil::Date;

use crate::deal::error::{
    WaiverExpired, WaiverIncomplete, WaiverNotCovered, WaiverNotWaivable, WaiverNotYetValid,
    WaiverUnknownRule, WaiverWrongAuthority,
};
use crate::deal::DealError;
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::source::{Named, Span};

use super::super::expr::Evaluator;
use super::super::note::Note;
use super::super::outcome::{Evidence, Outcome, RuleResult};
use super::{exempts, standing, Approval, Refusal, Standing};

/// What the approvals naming one rule came to.
#[derive(Default)]
pub(crate) struct Judged {
    pub warnings: Vec<DealError>,
    /// Evidence for a result that is not a pass: the party-scoped approvals that did not
    /// cover it.
    pub notes: Vec<Evidence>,
}

impl Judged {
    /// Add the notes to `r`'s evidence, when it is not a pass.
    pub fn note_on(self, r: &mut RuleResult) -> Vec<DealError> {
        if r.outcome != Outcome::Pass {
            r.evidence.extend(self.notes);
        }
        self.warnings
    }
}

/// The warnings of the approvals naming `rule`, whose result (truth only, or with evidence)
/// is `result`; `ev` holds the rule's evaluation date.
pub(crate) fn warnings(ev: &mut Evaluator<'_>, rule: &Rule, result: &RuleResult) -> Judged {
    let mut out = Judged::default();
    let approvals = ev.approvals();
    let on = ev.evaluation_date;
    let src = ev.deal.source.named();
    for a in approvals.iter().filter(|a| a.names(&rule.id)) {
        let s = standing(ev, rule, a, on);
        let refusal = match s {
            Standing::Exempts => continue,
            Standing::IfCovered if result.outcome == Outcome::NotApplicable => continue,
            Standing::IfCovered if exempts(ev, rule, a, &s) => continue,
            Standing::IfCovered => {
                let parties: Vec<Arc<str>> = a.parties.iter().map(|(n, _)| Arc::from(*n)).collect();
                let span = a.parties_span.unwrap_or(a.span);
                out.notes.push(Evidence {
                    location: ev.locator.locate(Some(span)),
                    ..Evidence::note(Note::NotCovered {
                        approval: Arc::from(a.name()),
                        parties: parties.clone(),
                    })
                });
                out.warnings.push(
                    WaiverNotCovered {
                        approval: a.name(),
                        rule: rule.id.clone(),
                        parties: parties.join(", "),
                        span,
                        src: src.clone(),
                    }
                    .into(),
                );
                continue;
            }
            Standing::Refused(r) => r,
        };
        out.warnings
            .push(refused(ev, rule, a, &refusal, on, src.clone()));
    }
    out
}

/// The warning of an approval refused for `rule`.
fn refused(
    ev: &Evaluator<'_>,
    rule: &Rule,
    a: &Approval<'_>,
    refusal: &Refusal,
    on: Option<Date>,
    src: Named,
) -> DealError {
    let (approval, id) = (a.name(), rule.id.clone());
    let on_text = on.map(|d| d.to_string()).unwrap_or_default();
    match refusal {
        Refusal::NotWaivable => WaiverNotWaivable {
            approval,
            span: rule_span(a, &rule.id),
            rule: id,
            src,
        }
        .into(),
        Refusal::Incomplete(missing) => incomplete(ev, a, id, missing, src),
        Refusal::WrongAuthority { allowed, near } => {
            let (authority, span) = a.authority.unwrap_or(("", a.span));
            let help = match near {
                Some(n) => format!("write \"{n}\" exactly as the policy does"),
                None => format!(
                    "rule `{id}` is waivable by {}",
                    allowed
                        .iter()
                        .map(|x| format!("\"{x}\""))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            WaiverWrongAuthority {
                approval,
                rule: id,
                authority: authority.to_string(),
                span,
                help,
                src,
            }
            .into()
        }
        Refusal::NotYetValid { .. } => {
            let (granted, span) = a
                .granted
                .map_or((String::new(), a.span), |(d, s)| (d.to_string(), s));
            WaiverNotYetValid {
                approval,
                rule: id,
                granted,
                on: on_text,
                span,
                src,
            }
            .into()
        }
        Refusal::Expired { .. } => {
            let (expires, span) = a
                .expires
                .map_or((String::new(), a.span), |(e, s)| (e.to_string(), s));
            WaiverExpired {
                approval,
                rule: id,
                expires,
                on: on_text,
                span,
                src,
            }
            .into()
        }
    }
}

/// `covenant::waiver::incomplete`: what the approval lacks, or the unknown evaluation date.
fn incomplete(
    ev: &Evaluator<'_>,
    a: &Approval<'_>,
    rule: String,
    missing: &[&'static str],
    src: Named,
) -> DealError {
    let span = first_line(&ev.deal.source.text, a.span);
    let (what, label, help) = if missing.is_empty() {
        (
            "its evaluation date is unknown".to_string(),
            "valid on which date?".to_string(),
            "give the deal the date the rule's window tests (its `date`), or check with \
             `--as-of DATE`"
                .to_string(),
        )
    } else {
        let names: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        (
            format!("it has no {}", names.join(", no ")),
            format!("no {}", names.join(", ")),
            "an approval exempts only with its `authority`, `granted` and `expires` written; \
             write `expires: never` for one that does not expire"
                .to_string(),
        )
    };
    WaiverIncomplete {
        approval: a.name(),
        rule,
        what,
        span,
        label,
        help,
        src,
    }
    .into()
}

/// Where an approval names rule `id` (the first time), else the approval.
fn rule_span(a: &Approval<'_>, id: &str) -> Span {
    a.rules
        .iter()
        .find(|(r, _)| *r == id)
        .map_or(a.span, |(_, s)| *s)
}

/// The first line of `span` in `text`, for a label that should not cover many lines.
fn first_line(text: &str, span: Span) -> Span {
    let end = text
        .get(span.start..span.end)
        .and_then(|t| t.find(['\n', '\r']))
        .map_or(span.end, |n| span.start + n);
    Span::new(span.start, end)
}

/// `covenant::waiver::unknown-rule`: each rule id an approval names that no loaded rule has,
/// with the rule most likely meant.
pub(crate) fn unknown_rules(
    policy: &Policy,
    approvals: &[Approval<'_>],
    source: &crate::source::SourceFile,
) -> Vec<DealError> {
    let mut out = Vec::new();
    // Most deals have no approval: the ids are copied only for a did-you-mean.
    let mut ids: Option<Vec<String>> = None;
    for a in approvals {
        for (id, span) in &a.rules {
            if policy.rules.iter().any(|r| r.id == *id) {
                continue;
            }
            let ids =
                ids.get_or_insert_with(|| policy.rules.iter().map(|r| r.id.clone()).collect());
            let help = crate::resolve::typeck::did_you_mean(id, ids).unwrap_or_else(|| {
                "an approval exempts only the rules it names by their ids; correct the id, or \
                 load the policy that has the rule"
                    .to_string()
            });
            out.push(
                WaiverUnknownRule {
                    approval: a.name(),
                    rule: id.to_string(),
                    span: *span,
                    help,
                    src: source.named(),
                }
                .into(),
            );
        }
    }
    out
}
