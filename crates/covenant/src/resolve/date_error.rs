//! Diagnostics of calendars and windows (`covenant::date::…`, SPEC §9), reported by
//! resolution with the other [`ResolveError`](super::ResolveError)s.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

/// A calendar file that cannot be read, or that lists no day.
#[derive(Debug, Error, Diagnostic)]
#[error("calendar `{file}` cannot be used: {why}")]
#[diagnostic(
    code("covenant::date::bad-calendar"),
    severity(Error),
    help("the path is relative to the policy file; the file has one `YYYY-MM-DD[,name]` per line, such as `2024-12-25,Christmas Day`")
)]
pub struct UnreadableCalendar {
    pub file: String,
    pub why: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "this calendar")]
    pub span: SourceSpan,
}

/// A line of a calendar file that is not `YYYY-MM-DD[,name]`.
#[derive(Debug, Error, Diagnostic)]
#[error("line {line} of calendar `{file}` is not `YYYY-MM-DD[,name]`: {why}")]
#[diagnostic(
    code("covenant::date::bad-calendar"),
    severity(Error),
    help("write one holiday per line, such as `2024-12-25,Christmas Day`; blank lines and lines starting with `#` are skipped")
)]
pub struct BadCalendarLine {
    pub file: String,
    pub line: usize,
    pub why: String,
    /// The calendar file.
    #[source_code]
    pub src: Named,
    #[label(primary, "this line")]
    pub span: SourceSpan,
}

/// `working days` in a file that sees no calendar.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` counts working days, but this file sees no calendar")]
#[diagnostic(
    code("covenant::date::no-calendar"),
    severity(Error),
    help("name the holidays in the policy header: `calendar \"England and Wales bank holidays\" from \"holidays.csv\"` (one `YYYY-MM-DD[,name]` per line)")
)]
pub struct NoCalendar {
    pub text: Arc<str>,
    #[source_code]
    pub src: Named,
    #[label(primary, "working days of which calendar?")]
    pub span: SourceSpan,
}

/// `working days` in a file that sees two calendars: its own and a used file's, or two used
/// files'.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` counts working days, but this file sees two calendars: {first} and {second}")]
#[diagnostic(
    code("covenant::date::ambiguous-calendar"),
    severity(Error),
    help("keep one `calendar` clause among this file and the files it uses, so that working days have one meaning")
)]
pub struct AmbiguousCalendar {
    pub text: Arc<str>,
    /// The calendars, as `"name" (file)`.
    pub first: String,
    pub second: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "working days of which calendar?")]
    pub span: SourceSpan,
}

/// A window's `on D` that reads `evaluation date`, which is the date D itself.
#[derive(Debug, Error, Diagnostic)]
#[error("the date a window tests cannot read `evaluation date`: the evaluation date is that date (or `--as-of`)")]
#[diagnostic(
    code("covenant::date::window-on-evaluation-date"),
    severity(Error),
    help("name a date of the deal, such as `on closing date` or `on signing date + 30 days`")
)]
pub struct WindowOnEvaluationDate {
    #[source_code]
    pub src: Named,
    #[label(primary, "reads `evaluation date`")]
    pub span: SourceSpan,
}
