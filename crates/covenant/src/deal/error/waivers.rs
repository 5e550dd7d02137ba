//! The deal warnings of approvals (SPEC §10): an approval that names a rule and does not
//! exempt it, and why. Warnings never change a verdict or an exit code; each is labelled at
//! the approval's value that decides it. One struct each, as in [`super::variants`].

use miette::Diagnostic;
use thiserror::Error;

use super::esc;
use crate::source::{Named, Span};

/// The evaluation date is on or after the approval's `expires`.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} expired on {expires}, before {on}, the evaluation date of rule `{}`: it does not exempt it", esc(.approval), esc(.rule))]
#[diagnostic(
    code("covenant::waiver::expired"),
    severity(Warning),
    help("an approval is valid from `granted` until the day before `expires`: renew it with a later `expires`, or remove it")
)]
pub struct WaiverExpired {
    pub approval: String,
    pub rule: String,
    pub expires: String,
    pub on: String,
    #[label(primary, "expired")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// The evaluation date is before the approval's `granted`.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} is granted on {granted}, after {on}, the evaluation date of rule `{}`: it does not exempt it", esc(.approval), esc(.rule))]
#[diagnostic(
    code("covenant::waiver::not-yet-valid"),
    severity(Warning),
    help("an approval exempts from the day it is granted: check `granted`, or the date the rule is evaluated on (`--as-of`)")
)]
pub struct WaiverNotYetValid {
    pub approval: String,
    pub rule: String,
    pub granted: String,
    pub on: String,
    #[label(primary, "not valid yet")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// The approval's `authority` is not one the rule is waivable by.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} is by `{}`, who cannot waive rule `{}`", esc(.approval), esc(.authority), esc(.rule))]
#[diagnostic(code("covenant::waiver::wrong-authority"), severity(Warning))]
pub struct WaiverWrongAuthority {
    pub approval: String,
    pub rule: String,
    pub authority: String,
    #[label(primary, "not an authority of `waivable by`")]
    pub span: Span,
    /// The authorities the rule is waivable by, or the one meant.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// The approval names a rule that has no `waivable by`.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("rule `{}` is not waivable, so {} does not exempt it", esc(.rule), esc(.approval))]
#[diagnostic(
    code("covenant::waiver::not-waivable"),
    severity(Warning),
    help("only a rule with a `waivable by` clause, naming who may waive it, can be exempted by an approval")
)]
pub struct WaiverNotWaivable {
    pub approval: String,
    pub rule: String,
    #[label(primary, "no `waivable by`")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// The approval lacks `authority`, `granted` or `expires`, or the rule's evaluation date is
/// unknown.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} cannot exempt rule `{}`: {what}", esc(.approval), esc(.rule))]
#[diagnostic(code("covenant::waiver::incomplete"), severity(Warning))]
pub struct WaiverIncomplete {
    pub approval: String,
    pub rule: String,
    /// "it has no `authority` and no `expires`", "the rule's evaluation date is unknown".
    pub what: String,
    #[label(primary, "{label}")]
    pub span: Span,
    pub label: String,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// The approval names a rule that no loaded policy has.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} names rule `{}`, which the policy does not have", esc(.approval), esc(.rule))]
#[diagnostic(code("covenant::waiver::unknown-rule"), severity(Warning))]
pub struct WaiverUnknownRule {
    pub approval: String,
    pub rule: String,
    #[label(primary, "no such rule")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A valid party-scoped approval whose parties do not cover the rule's failure.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} is limited to {} and does not cover what rule `{}` finds", esc(.approval), esc(.parties), esc(.rule))]
#[diagnostic(
    code("covenant::waiver::not-covered"),
    severity(Warning),
    help("a party-scoped approval counts its parties as meeting the rule's tests on each party (`every`, `no`, implicit each, must-forms); a test of other parties, or of a `total` or a `per` value over several, still decides")
)]
pub struct WaiverNotCovered {
    pub approval: String,
    pub rule: String,
    pub parties: String,
    #[label(primary, "these parties only")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}
