//! The diagnostics of precedence (SPEC §14): an `overrides` that names no loaded rule, and
//! rules that override each other in a cycle.

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

use crate::source::Named;

/// `overrides ID` where no loaded rule has the id ID.
#[derive(Debug, Error, Diagnostic)]
#[error("rule `{rule}` overrides `{id}`, but no loaded rule has that id")]
#[diagnostic(code("covenant::resolve::unknown-rule"), severity(Error))]
pub struct UnknownRule {
    /// The overriding rule.
    pub rule: String,
    /// The id it names.
    pub id: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "no rule `{id}` in the files loaded")]
    pub span: SourceSpan,
    /// A did-you-mean, else how to load the rule.
    #[help]
    pub help: String,
}

/// Rules that override each other in a cycle: no order would let each rule decide first
/// whether it overrides the next one.
#[derive(Debug, Error, Diagnostic)]
#[error("rules override each other in a cycle: {}", chain(.ids))]
#[diagnostic(code("covenant::resolve::override-cycle"), severity(Error))]
pub struct OverrideCycle {
    /// The rules of the cycle, the first one again at the end.
    pub ids: Vec<String>,
    /// Which `overrides` to remove.
    #[help]
    pub help: &'static str,
    #[source_code]
    pub src: Named,
    /// The `overrides` that closes the cycle.
    #[label(primary, "{closing}")]
    pub span: SourceSpan,
    pub closing: String,
    /// The other `overrides` of the cycle in the same file.
    #[label(collection)]
    pub others: Vec<LabeledSpan>,
    /// The `overrides` of the cycle in other files.
    #[related]
    pub elsewhere: Vec<OverrideStep>,
}

/// One `overrides` of a cycle, in another file than the one that closes it.
#[derive(Debug, Error, Diagnostic)]
#[error("{step}")]
#[diagnostic(code("covenant::resolve::override-cycle"), severity(Error))]
pub struct OverrideStep {
    pub step: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "{step}")]
    pub span: SourceSpan,
}

/// `a` → `b` → `a`, each id in backticks (not the "… N more" of a long cycle).
fn chain(ids: &[String]) -> String {
    let quoted: Vec<String> = ids
        .iter()
        .map(|n| {
            if n.starts_with('…') {
                n.clone()
            } else {
                format!("`{n}`")
            }
        })
        .collect();
    quoted.join(" → ")
}
