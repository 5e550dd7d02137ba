//! The diagnostics of item names (SPEC §8): an item that needs an `as` name, a name that
//! reads like a field, and a singular that hides an enclosing item's.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

/// A quantifier or filter with `where` or `:` over values that have no singular to name
/// them (a list literal, a `let` of values, a mapped phrase such as `party country`).
#[derive(Debug, Error, Diagnostic)]
#[error("the items of `{text}` have no name to use in its `{part}`")]
#[diagnostic(code("covenant::resolve::unnamed-item"), severity(Error))]
pub struct UnnamedItem {
    pub text: String,
    /// `where` or `:`.
    pub part: &'static str,
    #[source_code]
    pub src: Named,
    #[label(primary, "values without a singular")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// An `as` name that equals, or is the first words of, a field, singular, item or definition
/// reachable where it names the item (SPEC §2.3 rule 4).
#[derive(Debug, Error, Diagnostic)]
#[error("the item name `{name}` has the same words as `{other}`")]
#[diagnostic(
    code("covenant::resolve::ambiguous-definition"),
    severity(Error),
    help("choose another name, so that a phrase never has two readings")
)]
pub struct ItemNameLikeName {
    pub name: String,
    /// The field, singular, item or definition, in words.
    pub other: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "`{other}` is reachable here too")]
    pub span: SourceSpan,
}

/// A quantifier or filter without `as` whose condition or body names its item by a singular
/// that also names an enclosing item: the inner item is meant, silently (a warning).
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` here is the item of `{list}`, not the enclosing `{name}`")]
#[diagnostic(code("covenant::lint::shadowed-item"), severity(Warning))]
pub struct ShadowedItem {
    pub name: String,
    pub list: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "the item of `{list}`")]
    pub span: SourceSpan,
    #[label("these items hide the enclosing `{name}`")]
    pub list_span: SourceSpan,
    #[help]
    pub help: String,
}

/// A singular that names both an enclosing item and a list field of the current item
/// (`party` in `every party: some approval where …`, approvals having `parties`): SPEC §2.3
/// rule 4, so that a phrase never has two readings.
#[derive(Debug, Error, Diagnostic)]
#[error("`{words}` names both the enclosing item and a list field of the current item")]
#[diagnostic(code("covenant::resolve::ambiguous-definition"), severity(Error))]
pub struct ItemOrListField {
    pub words: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "this phrase could mean either")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}
