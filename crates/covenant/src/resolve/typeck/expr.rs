//! Lowering each form of expression, and list and scalar literals.

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::{self, ArithOp, ExprKind as A, Literal};
use crate::value::Scalar;

use super::super::ir::{Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::element_side::Test;
use super::error::{MixedList, NestedList, OfNeedsPercent, WithinNotNumeric};
use super::items::Binder;
use super::{numeric, scalar_kind, Ctx, Lowerer};

impl Lowerer<'_> {
    pub(super) fn expr_at(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
    ) -> Option<Expr> {
        let span = e.span;
        match &e.kind {
            A::Paren(inner) => {
                let mut x = self.expr(inner, frames, ctx)?;
                x.loc.span = span;
                x.text = self.text(span);
                Some(x)
            }
            A::Literal(lit) => {
                let (s, ty) = literal(lit);
                Some(self.mk(K::Const(s), ty, span))
            }
            A::List(items) => self.list_literal(items, frames, ctx, span),
            A::Phrase(p) => self.phrase(p, frames),
            A::Where { list, name, cond } => {
                let list = self.list_operand(list, frames, ctx, "where")?;
                let binder = Binder {
                    name: name.as_ref(),
                    part: Some("where"),
                    head: "",
                };
                let frame = self.item_frame(&list, binder, frames)?;
                let (cond, frame) = self.scoped_condition(frame, cond, frames);
                self.shadowed_item(&frame, binder, &list, frames);
                let ty = list.ty.clone();
                Some(self.mk(
                    K::Filter {
                        list: Box::new(list),
                        cond: Box::new(cond?),
                    },
                    ty,
                    span,
                ))
            }
            A::Projection { list, phrase } => self.projection(list, phrase, frames, ctx, span),
            A::Presence {
                subject,
                negated,
                word,
            } => self.presence(subject, word.holds_when_absent(*negated), frames, ctx, span),
            A::Quant {
                kind,
                subject,
                name,
                filter,
                body,
            } => self.quantifier(
                *kind,
                subject,
                name.as_ref(),
                filter,
                body,
                frames,
                ctx,
                span,
            ),
            A::Or(terms) | A::And(terms) => {
                // Each operand one level below the chain, however long it is; the first that
                // does not compile ends it (as for any other operator).
                let mut lowered = Vec::with_capacity(terms.len());
                for t in terms {
                    lowered.push(self.bool_operand(t, frames, ctx)?);
                }
                let kind = if matches!(e.kind, A::Or(..)) {
                    K::Or(lowered)
                } else {
                    K::And(lowered)
                };
                Some(self.mk(kind, Type::Bool, span))
            }
            A::Not(x) => {
                let x = self.bool_operand(x, frames, Ctx::Guard)?;
                Some(self.mk(K::Not(Box::new(x)), Type::Bool, span))
            }
            A::Compare { op, lhs, rhs } => self.compare(*op, lhs, rhs, frames, ctx, span),
            A::In {
                elem,
                list,
                negated,
                written_as,
            } => self.membership(elem, list, *negated, *written_as, frames, ctx, span),
            A::Within {
                lhs,
                tolerance,
                rhs,
            } => {
                let l = self.expr(lhs, frames, ctx)?;
                let t = self.expr(tolerance, frames, ctx)?;
                let r = self.expr(rhs, frames, ctx)?;
                self.not_a_list_field(&l, Some(&r), Test::Within, span)?;
                self.not_a_list_field(&r, Some(&l), Test::Within, span)?;
                let each = self.each_side(&l, &r, ctx, span)?;
                let (lt, rt) = (l.ty.element().clone(), r.ty.element().clone());
                self.same_unit(&lt, &rt, span, &l, &r)?;
                if !numeric(&lt) {
                    self.type_error(WithinNotNumeric {
                        ty: lt,
                        src: self.named(),
                        span: span.into(),
                    });
                    return None;
                }
                self.same_unit(&t.ty, &rt, t.loc.span, &t, &r)?;
                Some(self.mk(
                    K::Within {
                        lhs: Box::new(l),
                        tolerance: Box::new(t),
                        rhs: Box::new(r),
                        each,
                    },
                    Type::Bool,
                    span,
                ))
            }
            A::Arith { first, rest } => self.arith_chain(first, rest, frames, ctx, span),
            A::PercentOf { percent, of } => {
                let p = self.scalar_operand(percent, frames, ctx, "`of`")?;
                if p.ty != Type::Percent {
                    self.type_error(OfNeedsPercent {
                        text: p.text.clone(),
                        ty: p.ty.clone(),
                        src: self.named(),
                        span: p.loc.span.into(),
                    });
                    return None;
                }
                let x = self.scalar_operand(of, frames, ctx, "`of`")?;
                if x.ty == Type::Number {
                    return Some(self.share_of_number(p, x, span));
                }
                let ty = self.arith_type(ArithOp::Mul, &p.ty, &x.ty, span)?;
                Some(self.mk(
                    K::Arith {
                        first: Box::new(p),
                        rest: vec![(ArithOp::Mul, x)],
                    },
                    ty,
                    span,
                ))
            }
            A::Aggregate { kind, arg } => self.aggregate(*kind, arg, frames, ctx, span),
            A::Per { kind, arg, key } => self.per(*kind, arg, key, frames, ctx, span),
            A::LookThrough(l) => self.look_through(l, frames, ctx, span),
            A::Table(t) => self.table(t, frames),
            A::Convert(c) => self.convert(c, frames, ctx, span),
            A::Must {
                subject,
                negated,
                pred,
            } => self.must(subject, *negated, pred, frames, ctx, span),
            A::Duration { .. } => {
                self.duration_not_a_value(span);
                None
            }
            A::YearOf(arg) => self.year_of(arg, frames, ctx, span),
        }
    }

    /// `P% of N` with `N` a plain number is a share of it, a number: `50% of board.seats` is
    /// 3.5 for a 7-seat board, comparable with `board seats`. (`P% * N` stays a percent, as
    /// the spec's `100% / 3 * 3 = 100%` needs.) Lowered as `(P% / 100%) * N`.
    fn share_of_number(&self, p: Expr, x: Expr, span: Span) -> Expr {
        let hundred = Expr {
            kind: K::Const(Scalar::Percent(crate::number::Exact::HUNDRED)),
            ty: Type::Percent,
            loc: p.loc,
            text: "100%".into(),
            hoist: None,
        };
        let fraction = Expr {
            ty: Type::Number,
            loc: p.loc,
            text: p.text.clone(),
            hoist: None,
            kind: K::Arith {
                first: Box::new(p),
                rest: vec![(ArithOp::Div, hundred)],
            },
        };
        self.mk(
            K::Arith {
                first: Box::new(fraction),
                rest: vec![(ArithOp::Mul, x)],
            },
            Type::Number,
            span,
        )
    }

    fn list_literal(
        &mut self,
        items: &[ast::Expr],
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let mut out = Vec::new();
        let mut elem_ty: Option<Type> = None;
        for item in items {
            let x = self.expr(item, frames, ctx)?;
            let Some(t) = scalar_kind(&x.ty).cloned() else {
                self.type_error(NestedList {
                    text: x.text.clone(),
                    ty: x.ty.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                return None;
            };
            if let Some(prev) = &elem_ty {
                if *prev != t {
                    self.type_error(MixedList {
                        first: prev.clone(),
                        other: t,
                        src: self.named(),
                        span: x.loc.span.into(),
                    });
                    return None;
                }
            }
            elem_ty = Some(t);
            out.push(x);
        }
        let ty = Type::list(elem_ty.unwrap_or(Type::String));
        Some(self.mk(K::List(out), ty, span))
    }
}

/// The value and type of a literal.
pub fn literal(lit: &Literal) -> (Scalar, Type) {
    match lit {
        Literal::Number(n) => (Scalar::Number(*n), Type::Number),
        Literal::Percent(p) => (Scalar::Percent(*p), Type::Percent),
        Literal::Money(c, a) => (Scalar::Money(*c, *a), Type::Money),
        Literal::Date(d) => (Scalar::Date(*d), Type::Date),
        Literal::Str(s) => (Scalar::Str(s.as_str().into()), Type::String),
        Literal::Bool(b) => (Scalar::Bool(*b), Type::Bool),
    }
}
