//! The AST of money across currencies (SPEC §11): the header's `fx` clause and
//! `E converted to CUR [on D]`.

use super::ast::{Expr, Spanned};
use crate::source::Span;
use crate::value::Currency;

/// `fx "TEXT" from "FILE" [url "U"]`: the exchange rates of the file's conversions.
#[derive(Clone, Debug, PartialEq)]
pub struct FxClause {
    /// `TEXT`: what the rates are (`European Central Bank euro reference rates`).
    pub text: Spanned<String>,
    /// `FILE`, relative to the policy file.
    pub file: Spanned<String>,
    pub url: Option<Spanned<String>>,
    /// The span of the whole clause, from `fx`.
    pub span: Span,
}

/// `E converted to CUR [on D]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Convert {
    /// `E`: money, or a list of money.
    pub amount: Expr,
    /// `CUR`.
    pub currency: Spanned<Currency>,
    /// `D`, a primary; None: the rule's evaluation date.
    pub on: Option<Expr>,
}
