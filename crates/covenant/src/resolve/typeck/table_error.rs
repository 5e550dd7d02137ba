//! Type errors of lookup tables (SPEC §8): a key that is not one value, a cell whose type does
//! not fit its key, row values of different types, money cells of different currencies in one
//! column.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::{describe, Type};
use crate::source::Named;

/// A table key that is a record: a key is one value.
#[derive(Debug, Error, Diagnostic)]
#[error("a table key is one value, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::bad-key"), severity(Error))]
pub struct TableKey {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not one value")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// A cell whose values are not of its key's type.
#[derive(Debug, Error, Diagnostic)]
#[error("the cell `{cell}` is {}, but its key `{key}` is {}", describe(.cell_ty), describe(.key_ty))]
#[diagnostic(code("covenant::type::unit-mismatch"), severity(Error))]
pub struct CellType {
    pub cell: Arc<str>,
    pub cell_ty: Type,
    pub key: Arc<str>,
    pub key_ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not the key's type")]
    pub span: SourceSpan,
    #[label("the key")]
    pub key_span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

/// Rows whose values are of different types: the table's value would have no one type.
#[derive(Debug, Error, Diagnostic)]
#[error("the rows of this table give values of different types: `{first}` is {}, `{other}` is {}", describe(.first_ty), describe(.other_ty))]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("every row (and `otherwise`) gives a value of one type, such as a percent in every row")
)]
pub struct RowTypes {
    pub first: Arc<str>,
    pub first_ty: Type,
    pub other: Arc<str>,
    pub other_ty: Type,
    #[source_code]
    pub src: Named,
    #[label("the first row's value")]
    pub first_span: SourceSpan,
    #[label(primary, "a different type")]
    pub span: SourceSpan,
}

/// Money cells of different currencies in one column: a key in one currency could not be
/// compared with the other's cells.
#[derive(Debug, Error, Diagnostic)]
#[error("the cells of one key are in {first} and in {other}")]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("write every amount of a key's cells in one currency")
)]
pub struct CellCurrency {
    pub first: String,
    pub other: String,
    #[source_code]
    pub src: Named,
    #[label("in {first}")]
    pub first_span: SourceSpan,
    #[label(primary, "in {other}")]
    pub span: SourceSpan,
}
