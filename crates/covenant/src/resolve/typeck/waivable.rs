//! `waivable by L` (SPEC §10): `L` is the list of authorities whose approvals may exempt the
//! rule, written in the policy (a list literal of strings, or a `let` of one). A list read
//! from the deal would let an approval name its own authority: `covenant::type::bad-authorities`.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::{describe, Type};
use crate::source::Named;
use crate::syntax::ast;

use super::super::ir::{Base, Expr, ExprKind as K};
use super::{Ctx, Definitions, Lowerer};

/// The authorities of `waivable by` are not a list of strings written in the policy.
#[derive(Debug, Error, Diagnostic)]
#[error("`waivable by` needs a list of authorities written in the policy, and `{text}` {what}")]
#[diagnostic(code("covenant::type::bad-authorities"), severity(Error))]
pub struct BadAuthorities {
    pub text: Arc<str>,
    /// What the expression is instead: "is a string", "reads the deal".
    pub what: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a list of strings written in the policy")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// Whether `x` is written in the policy: a literal, a list literal of such, or a definition
/// of one.
pub fn is_constant(x: &Expr, defs: &dyn Definitions) -> bool {
    match &x.kind {
        K::Const(_) => true,
        K::List(items) => items.iter().all(|i| is_constant(i, defs)),
        K::Path {
            base: Base::Let(i),
            steps,
        } => steps.is_empty() && defs.def_is_constant(*i),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// The authorities of `waivable by L`: a list of strings written in the policy.
    pub fn authorities(&mut self, e: &ast::Expr) -> Option<Expr> {
        let mut frames = Vec::new();
        let x = self.expr(e, &mut frames, Ctx::Guard)?;
        let (what, help) = match &x.ty {
            Type::List(t) if **t == Type::String && is_constant(&x, self.defs) => return Some(x),
            Type::List(t) if **t == Type::String => (
                "reads the deal".to_string(),
                "an approval must not name its own authority: write the authorities, such as \
                 `waivable by [\"US Department of Commerce\"]`, or a `let` of them"
                    .to_string(),
            ),
            Type::String => (
                "is a string".to_string(),
                format!("write it as a list: `waivable by [{}]`", x.text),
            ),
            t => (
                format!("is {}", describe(t)),
                "write the authorities as strings: `waivable by [\"US Department of Commerce\"]`"
                    .to_string(),
            ),
        };
        self.type_error(BadAuthorities {
            text: x.text.clone(),
            what,
            src: self.named(),
            span: x.loc.span.into(),
            help,
        });
        None
    }
}
