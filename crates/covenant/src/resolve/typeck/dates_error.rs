//! Type errors of dates and durations (SPEC §9).

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::{describe, Type};
use crate::source::Named;

/// A duration anywhere but right of `+` or `-` after a date: compared, stored in a `let`, met
/// by a number.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is a duration, which is not a value: it can only be added to or subtracted from a date")]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("move a date by it, as in `closing date <= signing date + 30 days`")
)]
pub struct DurationNotAValue {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "a duration here")]
    pub span: SourceSpan,
}

/// `date + number` or `date - number` (or the number first): a number has no unit of time.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot {verb} the number `{number}` and the date `{date}`: a number of what?")]
#[diagnostic(code("covenant::type::unit-mismatch"), severity(Error))]
pub struct DateAndNumber {
    /// `add` or `subtract`.
    pub verb: &'static str,
    pub date: Arc<str>,
    pub number: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "these have different units")]
    pub span: SourceSpan,
    /// The duration to write: `30 days`.
    #[help]
    pub help: String,
}

/// A value that is not a date where a date is needed: a window's `on`, `year of`.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, but {what} needs a date", describe(.ty))]
#[diagnostic(
    code("covenant::type::not-a-date"),
    severity(Error),
    help(
        "name a date of the deal, such as `closing date`, or compute one: `signing date + 30 days`"
    )
)]
pub struct NotADate {
    /// What needs it: "a window's `on`", "`year of`".
    pub what: &'static str,
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a date")]
    pub span: SourceSpan,
}
