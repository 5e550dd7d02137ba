//! Type diagnostics (`covenant::type::…`): an expression resolves, but its units, its list-ness
//! or its truth value do not fit where it is used.
//!
//! One struct per message, each with its code; several messages may share a code (the code
//! names the kind of problem, the message the place it was found). Expression texts are the
//! source text of the expression as it reads on one line ([`Expr::text`]), types are described
//! in messages as `describe` does ("a list of percents").
//!
//! [`Expr::text`]: crate::resolve::ir::Expr::text

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::describe;
use crate::schema::Type;
use crate::source::Named;

error_enum! {
    /// One type error of a policy.
    pub enum TypeError {
        ListInGuard,
        NotACondition,
        HaveNeedsCondition,
        NeedsList,
        NotAList,
        ContainsString,
        ListOperand,
        TwoLists,
        ScalarListComparison,
        NotComparable,
        UnitMismatch,
        UnitsDoNotCombine,
        OfNeedsPercent,
        MixedList,
        NotOrdered,
        AggregateNotNumeric,
        WithinNotNumeric,
        BoolAggregate,
        ListComparison,
        NotARecord,
        StayNeedsItems,
        NoLocationField,
        NestedList,
        BadCountry,
        PresenceOfComputed,
        BadKind,
        BadMeasure,
        NotAnEntity,
        BadKey,
        DurationNotAValue,
        DateAndNumber,
        NotADate,
        NotMoney,
        ConversionDate,
        BadAuthorities,
        TableKey,
        CellType,
        RowTypes,
        CellCurrency,
    }
}

pub use super::convert::{ConversionDate, NotMoney};
pub use super::dates_error::{DateAndNumber, DurationNotAValue, NotADate};
pub use super::table_error::{CellCurrency, CellType, RowTypes, TableKey};

pub use super::holdings_error::{BadKey, BadMeasure, NotAnEntity};
pub use super::presence::PresenceOfComputed;
pub use super::waivable::BadAuthorities;

/// A list where a guard (`when`, `unless`, a definition, a `where`) needs one truth value: it
/// would hold vacuously on an empty list.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is a list, and a guard must not hold vacuously")]
#[diagnostic(
    code("covenant::type::list-in-guard"),
    severity(Error),
    help("write `some`, `every` or `no`")
)]
pub struct ListInGuard {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "a list of values")]
    pub span: SourceSpan,
}

/// A value where a condition is needed.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, not a condition", describe(.ty))]
#[diagnostic(
    code("covenant::type::not-a-condition"),
    severity(Error),
    help("compare it with something, such as `stake > 50%`")
)]
pub struct NotACondition {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "expected true or false here")]
    pub span: SourceSpan,
}

/// `must have F` with a field `F` that is not yes/no.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, but `have` needs a true/false field", describe(.ty))]
#[diagnostic(code("covenant::type::not-a-condition"), severity(Error))]
pub struct HaveNeedsCondition {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not true or false")]
    pub span: SourceSpan,
}

/// An aggregate or quantifier (`what`, such as "`total`") given a single value.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} needs a list, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::not-a-list"), severity(Error))]
pub struct NeedsList {
    pub what: String,
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a list")]
    pub span: SourceSpan,
}

/// The list side of `in` (or of a must-form's `be in`) is a single value.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, not a list", describe(.ty))]
#[diagnostic(code("covenant::type::not-a-list"), severity(Error))]
pub struct NotAList {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "expected a list")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<&'static str>,
}

/// `contains` after a string.
#[derive(Debug, Error, Diagnostic)]
#[error("`contains` needs a list, and `{text}` is a string")]
#[diagnostic(
    code("covenant::type::not-a-list"),
    severity(Error),
    help("compare strings with `=`")
)]
pub struct ContainsString {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "expected a list")]
    pub span: SourceSpan,
}

/// Arithmetic or `of` (`what`) given a list or a record.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} needs a single value, and `{text}` is {}", describe(.ty))]
#[diagnostic(
    code("covenant::type::list-operand"),
    severity(Error),
    help("use `total`, `max`, `min` or `count of` to make one value of a list")
)]
pub struct ListOperand {
    pub what: &'static str,
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a single value")]
    pub span: SourceSpan,
}

/// Two lists compared, or a list value tested for membership.
#[derive(Debug, Error, Diagnostic)]
#[error("`{left}` and `{right}` are both lists")]
#[diagnostic(code("covenant::type::two-lists"), severity(Error))]
pub struct TwoLists {
    pub left: Arc<str>,
    pub right: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "compares two lists")]
    pub span: SourceSpan,
    #[help]
    pub help: &'static str,
}

/// A list value (a literal or a definition bound to one) compared with one value.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is a list value, and a comparison needs a single value")]
#[diagnostic(
    code("covenant::type::scalar-list-comparison"),
    severity(Error),
    help("test membership with `in`")
)]
pub struct ScalarListComparison {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "a list")]
    pub span: SourceSpan,
}

/// Records or nested lists compared.
#[derive(Debug, Error, Diagnostic)]
#[error("`{left}` and `{right}` cannot be compared")]
#[diagnostic(
    code("covenant::type::not-comparable"),
    severity(Error),
    help("name a field of the record, such as `party stake`")
)]
pub struct NotComparable {
    pub left: Arc<str>,
    pub right: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "records and nested lists are not values")]
    pub span: SourceSpan,
}

/// Two sides of a comparison of different units.
#[derive(Debug, Error, Diagnostic)]
#[error("`{left}` is a {left_ty} but `{right}` is a {right_ty}")]
#[diagnostic(code("covenant::type::unit-mismatch"), severity(Error))]
pub struct UnitMismatch {
    pub left: Arc<str>,
    pub left_ty: Type,
    pub right: Arc<str>,
    pub right_ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "these have different units")]
    pub span: SourceSpan,
    /// How to write the literal, or why a scaled percent stays a percent.
    #[help]
    pub help: Option<String>,
}

/// Arithmetic on units that do not combine (`USD 1M + 5%`).
#[derive(Debug, Error, Diagnostic)]
#[error("cannot compute {left} {op} {right}")]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("add and subtract values of one unit; multiply money only by a number or a percent")
)]
pub struct UnitsDoNotCombine {
    pub left: Type,
    /// The operator's symbol.
    pub op: &'static str,
    pub right: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "units do not combine")]
    pub span: SourceSpan,
}

/// `X of Y` with `X` not a percent.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, but `of` needs a percent before it", describe(.ty))]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("write a percent such as `10% of investment`")
)]
pub struct OfNeedsPercent {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "expected a percent")]
    pub span: SourceSpan,
}

/// A list literal whose elements have different types.
#[derive(Debug, Error, Diagnostic)]
#[error("this list mixes {first} and {other}")]
#[diagnostic(code("covenant::type::unit-mismatch"), severity(Error))]
pub struct MixedList {
    pub first: Type,
    pub other: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "a different type from the first element")]
    pub span: SourceSpan,
}

/// `<`, `<=`, `>` or `>=` on values without an order (strings, yes/no).
#[derive(Debug, Error, Diagnostic)]
#[error("{ty} values can only be compared with `=` and `!=`")]
#[diagnostic(code("covenant::type::not-ordered"), severity(Error))]
pub struct NotOrdered {
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not ordered")]
    pub span: SourceSpan,
}

/// `total`, `average`, `max` or `min` (`name`) of values that are not numbers (or dates).
#[derive(Debug, Error, Diagnostic)]
#[error("`{name}` needs a list of numbers, and `{text}` is {}", describe(.ty))]
#[diagnostic(
    code("covenant::type::not-numeric"),
    severity(Error),
    help("name a numeric field, such as `total party stake`")
)]
pub struct AggregateNotNumeric {
    pub name: &'static str,
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not numbers")]
    pub span: SourceSpan,
}

/// `is within` on values that are not numbers.
#[derive(Debug, Error, Diagnostic)]
#[error("`is within` needs numbers, percents or money, not {}", describe(.ty))]
#[diagnostic(code("covenant::type::not-numeric"), severity(Error))]
pub struct WithinNotNumeric {
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a number")]
    pub span: SourceSpan,
}

/// An aggregate (`name`) of yes/no values.
#[derive(Debug, Error, Diagnostic)]
#[error("`{name} {text}` aggregates yes/no values, which are not numbers to add up or count")]
#[diagnostic(code("covenant::type::bool-aggregate"), severity(Error))]
pub struct BoolAggregate {
    pub name: &'static str,
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "yes/no values")]
    pub span: SourceSpan,
    /// The counting form to write instead.
    #[help]
    pub help: String,
}

/// A list field met by one value (SPEC §2.6): never a vacuous pass.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "`{text}` is a list field, not one value: only a phrase that maps over a list \
     (such as `party country`) compares each element"
)]
#[diagnostic(code("covenant::type::list-comparison"), severity(Error))]
pub struct ListComparison {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "a list field")]
    pub span: SourceSpan,
    /// The quantified or membership form to write instead.
    #[help]
    pub help: String,
}

/// `must have` on values that are not records.
#[derive(Debug, Error, Diagnostic)]
#[error("`must have` needs records, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::not-a-record"), severity(Error))]
pub struct NotARecord {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not records")]
    pub span: SourceSpan,
}

/// `must stay` on values that are not records.
#[derive(Debug, Error, Diagnostic)]
#[error("`must stay` needs items with a `location`, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::no-location"), severity(Error))]
pub struct StayNeedsItems {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "no location")]
    pub span: SourceSpan,
}

/// `must stay` on records without a `location` field.
#[derive(Debug, Error, Diagnostic)]
#[error("`must stay` needs a `location` field, and {record} has none")]
#[diagnostic(code("covenant::type::no-location"), severity(Error))]
pub struct NoLocationField {
    /// The record type's name.
    pub record: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "no `location` field")]
    pub span: SourceSpan,
}

/// A list literal holding a list or a record.
#[derive(Debug, Error, Diagnostic)]
#[error("a list literal holds values, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::nested-list"), severity(Error))]
pub struct NestedList {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a single value")]
    pub span: SourceSpan,
}

/// A string literal met by a country field that is not an ISO 3166-1 alpha-2 code (SPEC §13).
#[derive(Debug, Error, Diagnostic)]
#[error("`{shown}` is compared with a country, but it is not an ISO 3166-1 alpha-2 code")]
#[diagnostic(code("covenant::type::bad-country"), severity(Error))]
pub struct BadCountry {
    /// The literal's first 40 characters.
    pub shown: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a country code")]
    pub span: SourceSpan,
    /// The did-you-mean or the form of a country code.
    #[help]
    pub help: String,
}

/// A policy string literal compared with an entity's `kind` that is not one of the six kinds
/// (SPEC §7.1).
#[derive(Debug, Error, Diagnostic)]
#[error("`{shown}` is compared with an entity's kind, but it is not a kind of entity")]
#[diagnostic(code("covenant::type::bad-kind"), severity(Error))]
pub struct BadKind {
    /// The literal's first 40 characters.
    pub shown: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a kind")]
    pub span: SourceSpan,
    /// The did-you-mean, or the six kinds.
    #[help]
    pub help: String,
}
