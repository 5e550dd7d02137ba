//! Diagnostics of money across currencies (`covenant::fx::…`, SPEC §11): a rate file that
//! cannot be read or is malformed (`bad-file`, with its line), a conversion in a file that
//! sees no rate table (`no-table`) or two (`ambiguous-table`).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

error_enum! {
    /// One problem with the rate tables of a policy.
    pub enum FxError {
        UnreadableRates,
        BadRateHeader,
        BadRateRow,
        RepeatedRate,
        NoTable,
        AmbiguousTable,
    }
}

/// The file of an `fx` clause cannot be read (missing, not UTF-8 text, past the size limit).
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read the rate file `{path}`: {why}")]
#[diagnostic(
    code("covenant::fx::bad-file"),
    severity(Error),
    help("the file is read relative to the policy file, as `use` paths are")
)]
pub struct UnreadableRates {
    pub path: String,
    pub why: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "named here")]
    pub span: SourceSpan,
}

/// A rate file whose first line is not `date,base,quote,rate`.
#[derive(Debug, Error, Diagnostic)]
#[error("the rate file `{path}` does not start with `date,base,quote,rate` (line 1)")]
#[diagnostic(
    code("covenant::fx::bad-file"),
    severity(Error),
    help("the first line names the columns: `date,base,quote,rate`; each row then gives the units of the quote per unit of the base on a date, such as `2024-07-11,EUR,USD,1.0855`")
)]
pub struct BadRateHeader {
    pub path: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "expected `date,base,quote,rate`")]
    pub span: SourceSpan,
}

/// A row of a rate file that cannot be read: a bad date, currency code or rate.
#[derive(Debug, Error, Diagnostic)]
#[error("the rate file `{path}`, line {line}: {why}")]
#[diagnostic(code("covenant::fx::bad-file"), severity(Error))]
pub struct BadRateRow {
    pub path: String,
    pub line: usize,
    pub why: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "here")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// A second row of one date and pair (in either direction): two rates could disagree.
#[derive(Debug, Error, Diagnostic)]
#[error("the rate file `{path}`, line {line}: a second rate of one date and pair (the first is on line {first_line})")]
#[diagnostic(
    code("covenant::fx::bad-file"),
    severity(Error),
    help("keep one row per date and pair; a file gives a pair in one direction (the other is its inverse)")
)]
pub struct RepeatedRate {
    pub path: String,
    pub line: usize,
    pub first_line: usize,
    #[source_code]
    pub src: Named,
    #[label(primary, "repeated")]
    pub span: SourceSpan,
    #[label("first here")]
    pub first: SourceSpan,
}

/// A conversion in a file that sees no `fx` clause.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` needs exchange rates, and this file sees no `fx` table")]
#[diagnostic(
    code("covenant::fx::no-table"),
    severity(Error),
    help("name a rate file in the policy's header, `fx \"…\" from \"rates.csv\"`, or `use` a file that does")
)]
pub struct NoTable {
    pub text: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "converted here")]
    pub span: SourceSpan,
}

/// A conversion in a file that sees two `fx` clauses (its own and its used files').
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` could use two exchange-rate tables: {tables}")]
#[diagnostic(
    code("covenant::fx::ambiguous-table"),
    severity(Error),
    help("a file sees its own `fx` clause and those of the files it uses: keep one of them")
)]
pub struct AmbiguousTable {
    pub text: String,
    /// The clauses, as `` `fx "…"` (file:line) ``, joined.
    pub tables: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "converted here")]
    pub span: SourceSpan,
}
