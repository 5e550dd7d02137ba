//! The diagnostics of lookup tables (SPEC §8), `covenant::table::…`: rows that can match the
//! same keys, open `from` rows out of order, cells of a form a table does not take, and a
//! table past the row limit. Type errors of cells and values are `covenant::type::…`
//! ([`super::typeck::error`]).

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

/// Two rows that can match the same keys: which one gives the value would depend on the order.
#[derive(Debug, Error, Diagnostic)]
#[error("rows `{first}` and `{second}` of this table can match the same keys")]
#[diagnostic(code("covenant::table::overlap"), severity(Error))]
pub struct TableOverlap {
    /// The cells of each row as written.
    pub first: String,
    pub second: String,
    #[source_code]
    pub src: Named,
    #[label("this row")]
    pub first_span: SourceSpan,
    #[label(primary, "can match the same keys as the row above")]
    pub second_span: SourceSpan,
    #[help]
    pub help: String,
}

/// An open `from` row, and a later row with the same other cells that starts no later: the
/// open row would end before it starts.
#[derive(Debug, Error, Diagnostic)]
#[error(
    "the `from` rows of this table are not in ascending order: `{second}` comes after `{first}`"
)]
#[diagnostic(
    code("covenant::table::unordered"),
    severity(Error),
    help("a `from` without `until` ends where the next row with the same other cells starts: write those rows in ascending order of their `from`")
)]
pub struct TableUnordered {
    pub first: String,
    pub second: String,
    #[source_code]
    pub src: Named,
    #[label("this row has no `until`: it runs until the next row like it")]
    pub first_span: SourceSpan,
    #[label(primary, "starts no later than the row above")]
    pub second_span: SourceSpan,
}

/// A cell a table does not take, or a row without one cell per key.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::table::bad-cell"), severity(Error))]
pub struct BadCell {
    pub message: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// A table with more rows, or more values in its cells, than the checks of unique hit compare.
#[derive(Debug, Error, Diagnostic)]
#[error("this table has {rows} rows and {values} values in its cells; a table may have at most {max_rows} rows and {max_values} values")]
#[diagnostic(
    code("covenant::table::too-large"),
    severity(Error),
    help("split the table into several definitions, for example one per value of a key")
)]
pub struct TableTooLarge {
    pub rows: usize,
    pub values: usize,
    pub max_rows: usize,
    pub max_values: usize,
    #[source_code]
    pub src: Named,
    #[label(primary, "too many rows")]
    pub span: SourceSpan,
}
