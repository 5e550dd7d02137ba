//! The AST of a source (SPEC §12): `cite "TEXT" [section "S"] [url "U"] [version "V"]`, in a
//! rule or in the header.

use super::ast::Spanned;
use crate::source::Span;

/// `cite "TEXT" [section "S"] [url "U"] [version "V"]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cite {
    /// `TEXT`: the source (`31 CFR 800.401`).
    pub text: Spanned<String>,
    pub section: Option<Spanned<String>>,
    pub url: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    /// The span of the whole clause, from its text to its last string.
    pub span: Span,
}
