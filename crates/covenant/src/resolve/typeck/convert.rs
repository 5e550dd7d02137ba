//! Typing `E converted to CUR [on D]` (SPEC §11): `E` is money (or a list of it), `D` a date,
//! and the file sees exactly one `fx` table. The result is money in `CUR`, of `E`'s shape.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::{describe, Type};
use crate::source::{Named, Span};
use crate::syntax::ast;

use super::super::fx_error::{AmbiguousTable, NoTable};
use super::super::ir::{Convert, Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::super::CompileDiagnostic;
use super::{Ctx, Lowerer};

/// A conversion of a value that is not money.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is {}, and only money converts to another currency", kind_of(.ty))]
#[diagnostic(code("covenant::type::unit-mismatch"), severity(Error))]
pub struct NotMoney {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not money")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// The `on` of a conversion that is not one date.
#[derive(Debug, Error, Diagnostic)]
#[error("a conversion takes the rate of one date, and `{text}` is {}", kind_of(.ty))]
#[diagnostic(
    code("covenant::type::unit-mismatch"),
    severity(Error),
    help("write a date after `on`, such as `on 2024-07-11` or `on (date)`")
)]
pub struct ConversionDate {
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a date")]
    pub span: SourceSpan,
}

/// A type as these messages name it: `money`, `a list of money amounts`, else as
/// [`describe`] does.
fn kind_of(ty: &Type) -> String {
    match ty {
        Type::Money => "money".to_string(),
        Type::List(t) if **t == Type::Money => "a list of money amounts".to_string(),
        t => describe(t),
    }
}

impl Lowerer<'_> {
    pub(super) fn convert(
        &mut self,
        c: &ast::Convert,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let amount = self.expr(&c.amount, frames, ctx)?;
        if amount.ty.element() != &Type::Money {
            let help = match amount.ty.element() {
                Type::Number => format!(
                    "a number has no currency: write the amount as money, such as `{} 5B`",
                    c.currency.node
                ),
                _ => {
                    "convert an amount of money, such as `investment converted to CAD`".to_string()
                }
            };
            self.type_error(NotMoney {
                text: amount.text.clone(),
                ty: amount.ty.clone(),
                src: self.named(),
                span: amount.loc.span.into(),
                help,
            });
            return None;
        }
        let on = match &c.on {
            Some(d) => {
                let d = self.expr(d, frames, ctx)?;
                if d.ty != Type::Date {
                    self.type_error(ConversionDate {
                        text: d.text.clone(),
                        ty: d.ty.clone(),
                        src: self.named(),
                        span: d.loc.span.into(),
                    });
                    return None;
                }
                Some(d)
            }
            None => None,
        };
        let table = self.rate_table(span)?;
        let ty = amount.ty.clone();
        let node = Convert {
            amount,
            to: c.currency.node,
            on,
            table,
        };
        Some(self.mk(K::Convert(Box::new(node)), ty, span))
    }

    /// The one `fx` table this file sees: `covenant::fx::no-table` for none,
    /// `covenant::fx::ambiguous-table` for two or more.
    fn rate_table(&mut self, span: Span) -> Option<usize> {
        let seen: &[usize] = self.fx.seen.get(self.file).map_or(&[], Vec::as_slice);
        let text = self.text(span).to_string();
        let error = match seen {
            [one] => return Some(*one),
            [] => NoTable {
                text,
                src: self.named(),
                span: span.into(),
            }
            .into(),
            several => {
                let shown: Vec<&str> = several
                    .iter()
                    .filter_map(|&t| self.fx.shown.get(t).map(String::as_str))
                    .collect();
                AmbiguousTable {
                    text,
                    tables: shown.join(" and "),
                    src: self.named(),
                    span: span.into(),
                }
                .into()
            }
        };
        self.errors.push(CompileDiagnostic::Fx(error));
        None
    }
}
