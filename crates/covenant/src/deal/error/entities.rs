//! The deal diagnostics of entities and their ownership (SPEC §7.1): a kind outside the six,
//! a name used twice or naming nothing, owners over 100%, an ownership cycle. One struct each,
//! as in [`super::variants`].

use miette::{Diagnostic, LabeledSpan};
use thiserror::Error;

use super::esc;
use crate::source::{Named, Span};

/// An entity's `kind` outside the six kinds of SPEC §7.1.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` is not a kind of entity", esc(.text))]
#[diagnostic(code("covenant::deal::bad-kind"), severity(Error))]
pub struct BadKind {
    pub text: String,
    #[label(primary, "not one of the six kinds")]
    pub span: Span,
    /// A did-you-mean, and the six kinds.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// One name for two parties, entities or groups.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` names {}", esc(.name), .both)]
#[diagnostic(code("covenant::deal::duplicate-entity"), severity(Error))]
pub struct DuplicateEntity {
    pub name: String,
    /// "two parties", "both a party and an entity".
    pub both: String,
    #[label(primary, "named again here")]
    pub span: Span,
    #[label("first named here")]
    pub first: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A name in `owners`, `members` or `casting_vote` that names no entity.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} `{}` names no party or entity", .place, esc(.name))]
#[diagnostic(code("covenant::deal::unknown-entity"), severity(Error))]
pub struct UnknownEntity {
    /// "the owner", "the group member", "the casting vote".
    pub place: &'static str,
    pub name: String,
    #[label(primary, "no party or entity has this name")]
    pub span: Span,
    /// A did-you-mean, or how to add the entity.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// The owners of one entity hold more than 100% of it in one measure.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error(
    "the owners of {} hold {}% of its `{}`, more than 100%",
    esc(.entity),
    .total,
    .measure
)]
#[diagnostic(code("covenant::deal::owners-over-100"), severity(Error))]
pub struct OwnersOver100 {
    /// "`Northern Auto HK`", or "this party" for an entity without a name.
    pub entity: String,
    /// `stake`, `voting`, `prior_stake` or `prior_voting`.
    pub measure: String,
    /// The total, as a number.
    pub total: String,
    /// The value that takes the total past 100%.
    #[label(primary, "{primary_label}")]
    pub span: Span,
    pub primary_label: String,
    /// Every other owner's value.
    #[label(collection)]
    pub others: Vec<LabeledSpan>,
    /// The sum, written out.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// Entities that own each other in a circle.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("ownership cycle: {}", esc(.chain))]
#[diagnostic(code("covenant::deal::ownership-cycle"), severity(Error))]
pub struct OwnershipCycle {
    /// `Alpha Holdings → 20% → Beta Capital → 30% → Alpha Holdings`.
    pub chain: String,
    /// The first edge of the chain (the owner item's `name`).
    #[label(primary, "{primary_label}")]
    pub span: Span,
    pub primary_label: String,
    /// The other edges, in the order of the chain.
    #[label(collection)]
    pub others: Vec<LabeledSpan>,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}
