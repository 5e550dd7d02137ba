//! Quantifiers: `every X [as N] [where C]: P`, `some …`, `no …`, counting quantifiers.

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::{self, QuantKind};

use super::super::ir::{Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::items::Binder;
use super::{Ctx, Lowerer};

/// The word a quantifier is written with, for help lines.
fn head(kind: QuantKind) -> &'static str {
    match kind {
        QuantKind::Every => "every",
        QuantKind::Some => "some",
        QuantKind::No => "no",
        QuantKind::AtLeast(_) => "at least N",
        QuantKind::AtMost(_) => "at most N",
        QuantKind::Exactly(_) => "exactly N",
    }
}

impl Lowerer<'_> {
    #[allow(
        clippy::too_many_arguments,
        reason = "the parts of the quantifier as written"
    )]
    pub(super) fn quantifier(
        &mut self,
        kind: QuantKind,
        subject: &ast::Expr,
        name: Option<&ast::ItemName>,
        filter: &Option<Box<ast::Expr>>,
        body: &Option<Box<ast::Expr>>,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let list = self.list_operand(subject, frames, ctx, "a quantifier")?;
        let (list, yes_no) = self.yes_no_items(list);
        let binder = Binder {
            name,
            part: match (filter, body) {
                (Some(_), _) => Some("where"),
                (None, Some(_)) => Some(":"),
                (None, None) => None,
            },
            head: head(kind),
        };
        let item_name = match name {
            Some(n) => n.words.join(" "),
            None => self
                .item_names(&list)
                .into_iter()
                .next()
                .unwrap_or_else(|| "item".into())
                .replace('_', " "),
        };
        let mut frame = self.item_frame(&list, binder, frames)?;
        let filter = match filter {
            Some(c) => {
                let (c, f) = self.scoped_condition(frame, c, frames);
                frame = f;
                Some(c?)
            }
            None => None,
        };
        let body = match body {
            Some(b) => {
                let (lowered, f) = self.in_frame(frame, frames, |this, frames| {
                    let lowered = this.expr(b, frames, ctx);
                    this.expect_condition(lowered?, ctx)
                });
                frame = f;
                Some(lowered)
            }
            None => None,
        };
        self.shadowed_item(&frame, binder, &list, frames);
        let body = match body {
            Some(b) => Some(Box::new(b?)),
            None => None,
        };
        let cond = match (yes_no, filter) {
            (Some(y), Some(c)) => Some(Expr {
                text: format!("{} and {}", y.text, c.text).into(),
                loc: c.loc,
                ty: Type::Bool,
                kind: K::And(vec![y, c]),
                hoist: None,
            }),
            (y, c) => y.or(c),
        }
        .map(Box::new);
        Some(self.mk(
            K::Quant {
                kind,
                list: Box::new(list),
                cond,
                body,
                item_name: item_name.into(),
            },
            Type::Bool,
            span,
        ))
    }
}
