//! Resolution diagnostics (`covenant::resolve::…`): the policy parses, but its names do not fit
//! together (phrases, definitions, rule ids, `use`, `schema`, the header's jurisdiction, and
//! the depth of what they nest).
//!
//! Type errors have their own enum, [`TypeError`](super::typeck::TypeError); the errors of
//! reading policy files are [`PolicyError`](super::PolicyError). Every diagnostic of a
//! compilation is one of those, or a file's [`ParseErrors`](crate::syntax::error::ParseErrors),
//! collected as [`CompileDiagnostic`](super::CompileDiagnostic).

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

use crate::source::Named;

error_enum! {
    /// One resolution error of a policy.
    pub enum ResolveError {
        UnknownPhrase,
        UnknownItem,
        AfterScalar,
        AmbiguousDefinition,
        DefinitionLikeField,
        DefineLikeField,
        CyclicDefinition,
        DuplicateDefinition,
        DuplicateRuleId,
        UseCycle,
        ConflictingSchema,
        BadSchema,
        SchemaConflict,
        NoJurisdictionField,
        TooDeep,
        DefinitionTooDeep,
        UnnamedItem,
        ItemNameLikeName,
        ItemOrListField,
        ShadowedItem,
        RepealedWithoutUntil,
        UnreadableCalendar,
        BadCalendarLine,
        NoCalendar,
        AmbiguousCalendar,
        WindowOnEvaluationDate,
        TableOverlap,
        TableUnordered,
        BadCell,
        TableTooLarge,
        UnknownRule,
        OverrideCycle,
    }
}

pub use super::date_error::{
    AmbiguousCalendar, BadCalendarLine, NoCalendar, UnreadableCalendar, WindowOnEvaluationDate,
};
pub use super::item_error::{ItemNameLikeName, ItemOrListField, ShadowedItem, UnnamedItem};
pub use super::override_error::{OverrideCycle, OverrideStep, UnknownRule};
pub use super::table_error::{BadCell, TableOverlap, TableTooLarge, TableUnordered};

/// A phrase that names no field or definition where it is used.
#[derive(Debug, Error, Diagnostic)]
#[error("unknown phrase `{text}`")]
#[diagnostic(code("covenant::resolve::unknown-phrase"), severity(Error))]
pub struct UnknownPhrase {
    /// The words from the first one that does not resolve to the end of the phrase.
    pub text: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a field or definition")]
    pub span: SourceSpan,
    /// Where the field is, how to write a field whose name a keyword split, or a did-you-mean.
    #[help]
    pub help: Option<String>,
}

/// `define SINGULAR …` where SINGULAR names no items of the schema (SPEC §8).
#[derive(Debug, Error, Diagnostic)]
#[error("`{singular}` names no items to define a field of")]
#[diagnostic(code("covenant::resolve::unknown-phrase"), severity(Error))]
pub struct UnknownItem {
    pub singular: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not the singular of a list of records")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

/// Words after a phrase that is one value, which has no fields.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "`{text}` does not name anything: the phrase before it is {}, which has no fields",
    crate::schema::describe(.before)
)]
#[diagnostic(code("covenant::resolve::unknown-phrase"), severity(Error))]
pub struct AfterScalar {
    pub text: String,
    /// The type of the phrase before the words.
    pub before: crate::schema::Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "unknown here")]
    pub span: SourceSpan,
}

/// A phrase that reads both as a definition and as a field or item reachable where it is used.
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` names both a definition and a field or item here")]
#[diagnostic(
    code("covenant::resolve::ambiguous-definition"),
    severity(Error),
    help("rename the definition so a phrase never has two readings")
)]
pub struct AmbiguousDefinition {
    /// The definition's name.
    pub name: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "this phrase could mean either")]
    pub span: SourceSpan,
    /// The definition, when it is in the same file.
    #[label("defined here")]
    pub definition: Option<SourceSpan>,
}

/// A definition used where a field (or item) with the same words, or with the definition's
/// words as its first words, is reachable (SPEC §2.3 rule 4).
#[derive(Debug, Error, Diagnostic)]
#[error("definition `{name}` has the same words as the field `{field}`")]
#[diagnostic(
    code("covenant::resolve::ambiguous-definition"),
    severity(Error),
    help("rename the definition so a phrase never has two readings")
)]
pub struct DefinitionLikeField {
    /// The definition's name.
    pub name: String,
    /// The field's words.
    pub field: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "this phrase could mean either")]
    pub span: SourceSpan,
    /// The definition, when it is in the same file.
    #[label("defined here")]
    pub definition: Option<SourceSpan>,
}

/// An item definition whose words are, or start, a field its records have (SPEC §8, §2.3
/// rule 4).
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` has the same words as `{field}`, a field of every {record}")]
#[diagnostic(
    code("covenant::resolve::ambiguous-definition"),
    severity(Error),
    help("rename the definition so a phrase never has two readings")
)]
pub struct DefineLikeField {
    pub name: String,
    pub field: String,
    pub record: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "a field of every {record} already")]
    pub span: SourceSpan,
}

/// Definitions that refer to each other in a cycle.
#[derive(Debug, Error, Diagnostic)]
#[error("definitions refer to each other in a cycle: {}", chain(.names))]
#[diagnostic(
    code("covenant::resolve::cyclic-definition"),
    severity(Error),
    help("a definition may use earlier ones, but never itself")
)]
pub struct CyclicDefinition {
    /// The definitions of the cycle, the first one again at the end.
    pub names: Vec<String>,
    #[source_code]
    pub src: Named,
    #[label(primary, "this definition depends on itself")]
    pub span: SourceSpan,
    /// The other definitions of the cycle in the same file.
    #[label(collection)]
    pub others: Vec<LabeledSpan>,
}

/// `a` → `b` → `a`, each name in backticks.
fn chain(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" → ")
}

/// One name defined twice in the files a file sees.
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` is defined twice")]
#[diagnostic(
    code("covenant::resolve::duplicate-definition"),
    severity(Error),
    help("rename one of the definitions or remove it")
)]
pub struct DuplicateDefinition {
    pub name: String,
    #[source_code]
    pub src: Option<Named>,
    #[label(primary, "defined again here")]
    pub span: Option<SourceSpan>,
    /// The first definition, when it is in the same file.
    #[label("first defined here")]
    pub first: Option<SourceSpan>,
    /// The first definition, when it is in another file.
    #[related]
    pub first_elsewhere: Option<FirstDefinition>,
}

/// Where a name defined twice was first defined, in another file.
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` first defined here")]
#[diagnostic(code("covenant::resolve::duplicate-definition"), severity(Error))]
pub struct FirstDefinition {
    pub name: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "first defined here")]
    pub span: SourceSpan,
}

/// One rule id used by two rules.
#[derive(Debug, Error, Diagnostic)]
#[error("rule id `{id}` is used twice")]
#[diagnostic(code("covenant::resolve::duplicate-rule-id"), severity(Error))]
pub struct DuplicateRuleId {
    pub id: String,
    #[source_code]
    pub src: Option<Named>,
    #[label(primary, "second use")]
    pub span: Option<SourceSpan>,
    /// The first use, when it is in the same file.
    #[label("first used here")]
    pub first: Option<SourceSpan>,
    /// Give an explicit id (for an id derived from the rule's text), or keep ids unique.
    #[help]
    pub help: Option<&'static str>,
    /// The first use, when it is in another file.
    #[related]
    pub first_elsewhere: Option<FirstRuleIdUse>,
}

/// Where a rule id used twice was first used, in another file.
#[derive(Debug, Error, Diagnostic)]
#[error("first used here")]
#[diagnostic(code("covenant::resolve::duplicate-rule-id"), severity(Error))]
pub struct FirstRuleIdUse {
    #[source_code]
    pub src: Named,
    #[label(primary, "first use")]
    pub span: SourceSpan,
}

/// `use` that leads back to a file being loaded.
#[derive(Debug, Error, Diagnostic)]
#[error("`use` forms a cycle: {}", .files.join(" → "))]
#[diagnostic(
    code("covenant::resolve::use-cycle"),
    severity(Error),
    help("move the shared definitions into a file that uses nothing")
)]
pub struct UseCycle {
    /// The files of the cycle as given, the first one again at the end.
    pub files: Vec<String>,
    #[source_code]
    pub src: Option<Named>,
    #[label(primary, "this `use` closes the cycle")]
    pub span: Option<SourceSpan>,
}

/// Two policy files that name different schemas.
#[derive(Debug, Error, Diagnostic)]
#[error("policies name two schemas: `{first}` and `{second}`")]
#[diagnostic(code("covenant::resolve::conflicting-schema"), severity(Error))]
pub struct ConflictingSchema {
    pub first: String,
    pub second: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "second schema")]
    pub span: SourceSpan,
}

/// A schema file that cannot be read or is not a schema Covenant can use.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot use schema `{name}`: {why}")]
#[diagnostic(code("covenant::resolve::bad-schema"), severity(Error))]
pub struct BadSchema {
    pub name: String,
    pub why: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "named here")]
    pub span: SourceSpan,
}

/// A schema that `extends standard` declares a field the standard record has already (SPEC
/// §8): labelled at the field's key in the schema file when it can be found there, else at the
/// policy's `schema` clause.
#[derive(Debug, Error, Diagnostic)]
#[error("schema `{name}` declares `{field}` again: {whose} has it in the standard schema")]
#[diagnostic(
    code("covenant::resolve::schema-conflict"),
    severity(Error),
    help("an extension adds fields; rename this one (or remove it to use the standard field)")
)]
pub struct SchemaConflict {
    pub name: String,
    pub field: String,
    /// The record that has it: "the deal", "every party".
    pub whose: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "already a standard field")]
    pub span: SourceSpan,
}

/// A header `jurisdiction "…"` with a schema that has no `jurisdiction` field.
#[derive(Debug, Error, Diagnostic)]
#[error("the header names a jurisdiction, but the schema has no `jurisdiction` field")]
#[diagnostic(code("covenant::resolve::no-jurisdiction-field"), severity(Error))]
pub struct NoJurisdictionField {
    #[source_code]
    pub src: Named,
    #[label(primary, "needs a `jurisdiction` field")]
    pub span: SourceSpan,
}

/// `status repealed` on a rule whose window has no `until` (SPEC §12): a repealed rule says
/// when it stopped applying, so that its status and its window cannot disagree.
#[derive(Debug, Error, Diagnostic)]
#[error("a repealed rule needs the date its window ends")]
#[diagnostic(
    code("covenant::rule::repealed-without-until"),
    severity(Error),
    help("give the window the date of repeal: `effective 2019-01-01 until 2025-01-01`")
)]
pub struct RepealedWithoutUntil {
    #[source_code]
    pub src: Named,
    #[label(primary, "repealed")]
    pub span: SourceSpan,
    /// The window the rule uses, which has no `until` (none when it has no window at all).
    #[label("this window has no `until`")]
    pub window: Option<SourceSpan>,
}

/// An expression nested deeper than the depth limit (`PolicyLimits::max_depth`), counting
/// each `of` of a chain and the definitions it uses.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "expression nested more than {limit} levels deep, counting each `of` of a chain and the \
     definitions it uses"
)]
#[diagnostic(
    code("covenant::resolve::too-deep"), severity(Error),
    help("write a long list of alternatives as `x in [a, b, …]`, or split the expression into definitions used side by side")
)]
pub struct TooDeep {
    pub limit: usize,
    #[source_code]
    pub src: Named,
    #[label(primary, "too deep here")]
    pub span: SourceSpan,
}

/// A use of a definition that is itself so deep that the expression passes the depth limit.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "using `{name}` here nests the expression more than {limit} levels deep: `{name}` is itself \
     {own} levels deep"
)]
#[diagnostic(
    code("covenant::resolve::too-deep"),
    severity(Error),
    help("use the definition in a shallower place, or make it less deep")
)]
pub struct DefinitionTooDeep {
    /// The definition's name.
    pub name: String,
    pub limit: usize,
    /// The definition's own depth.
    pub own: usize,
    #[source_code]
    pub src: Named,
    #[label(primary, "too deep here")]
    pub span: SourceSpan,
}
