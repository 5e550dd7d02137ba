//! Operands and operators: implicit each, unit checks, comparisons, membership, arithmetic
//! and aggregates.

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::{self, AggKind, ArithOp, CmpOp, InForm};

use super::super::ir::{Base, Each, Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::element_side::Test;
use super::error::{
    AggregateNotNumeric, ContainsString, ListInGuard, ListOperand, NeedsList, NotAList,
    NotComparable, NotOrdered, ScalarListComparison, TwoLists, UnitMismatch, UnitsDoNotCombine,
};
use super::{numeric, orderable, scalar_kind, Ctx, Lowerer};

impl Lowerer<'_> {
    pub(super) fn list_operand(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        what: &str,
    ) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        if !x.ty.is_list() {
            self.type_error(NeedsList {
                what: what.to_string(),
                text: x.text.clone(),
                ty: x.ty.clone(),
                src: self.named(),
                span: x.loc.span.into(),
            });
            return None;
        }
        Some(x)
    }

    pub(super) fn scalar_operand(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        what: &'static str,
    ) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        if scalar_kind(&x.ty).is_none() {
            self.type_error(ListOperand {
                what,
                text: x.text.clone(),
                ty: x.ty.clone(),
                src: self.named(),
                span: x.loc.span.into(),
            });
            return None;
        }
        Some(x)
    }

    pub(super) fn bool_operand(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
    ) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        self.expect_condition(x, ctx)
    }

    /// True for a list that is a value (a literal, or a definition bound to one), which never
    /// distributes.
    pub(super) fn is_list_value(&self, x: &Expr) -> bool {
        match &x.kind {
            K::List(_) => true,
            K::Path {
                base: Base::Let(i),
                steps,
            } => steps.is_empty() && self.defs.def_is_list_value(*i),
            _ => false,
        }
    }

    /// Which side of a comparison distributes (implicit each).
    pub(super) fn each_side(&mut self, l: &Expr, r: &Expr, ctx: Ctx, span: Span) -> Option<Each> {
        let each = match (l.ty.is_list(), r.ty.is_list()) {
            (false, false) => return Some(Each::None),
            (true, true) => {
                self.type_error(TwoLists {
                    left: l.text.clone(),
                    right: r.text.clone(),
                    src: self.named(),
                    span: span.into(),
                    help: "compare one value with a list: use `total`, `max` or `every`",
                });
                return None;
            }
            (true, false) => (Each::Left, l),
            (false, true) => (Each::Right, r),
        };
        let (side, list) = each;
        if self.is_list_value(list) {
            self.type_error(ScalarListComparison {
                text: list.text.clone(),
                src: self.named(),
                span: span.into(),
            });
            return None;
        }
        if ctx == Ctx::Guard {
            self.type_error(ListInGuard {
                text: list.text.clone(),
                src: self.named(),
                span: list.loc.span.into(),
            });
            return None;
        }
        Some(side)
    }

    pub(super) fn same_unit(
        &mut self,
        a: &Type,
        b: &Type,
        span: Span,
        l: &Expr,
        r: &Expr,
    ) -> Option<()> {
        let (Some(a), Some(b)) = (scalar_kind(a), scalar_kind(b)) else {
            self.type_error(NotComparable {
                left: l.text.clone(),
                right: r.text.clone(),
                src: self.named(),
                span: span.into(),
            });
            return None;
        };
        if a != b {
            // A percent times (or over) a plain number stays a percent (`100% / 3 * 3 = 100%`),
            // so writing the number as a percent would change its meaning.
            let pct = if *a == Type::Percent { l } else { r };
            let scaled = matches!(pct.kind, K::Arith { .. });
            let help = match (a, b) {
                (Type::Percent, Type::Number) | (Type::Number, Type::Percent) if scaled => Some(format!(
                    "`{}` is a percent: a percent times or over a plain number stays a percent \
                     (`2 * 10%` is `20%`), so compare it with a percent",
                    pct.text
                )),
                (Type::Percent, Type::Number) if is_number_literal(&r.text) => Some(format!("write `{}%`", r.text)),
                (Type::Number, Type::Percent) if is_number_literal(&l.text) => Some(format!("write `{}%`", l.text)),
                (Type::Money, Type::Number) if is_number_literal(&r.text) => money_literal_help(&r.text),
                (Type::Number, Type::Money) if is_number_literal(&l.text) => money_literal_help(&l.text),
                (Type::Percent, Type::Number) | (Type::Number, Type::Percent) => {
                    Some("a percent and a plain number have different units: write the number as a percent, or compare with `P% of X`".into())
                }
                _ => None,
            };
            self.type_error(UnitMismatch {
                left: l.text.clone(),
                left_ty: a.clone(),
                right: r.text.clone(),
                right_ty: b.clone(),
                src: self.named(),
                span: span.into(),
                help,
            });
            return None;
        }
        Some(())
    }

    pub(super) fn compare(
        &mut self,
        op: CmpOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let l = self.expr(lhs, frames, ctx)?;
        let r = self.expr(rhs, frames, ctx)?;
        self.not_a_list_field(&l, Some(&r), Test::Compare(op), span)?;
        self.not_a_list_field(&r, Some(&l), Test::Compare(op), span)?;
        let each = self.each_side(&l, &r, ctx, span)?;
        let (lt, rt) = (l.ty.element().clone(), r.ty.element().clone());
        self.same_unit(&lt, &rt, span, &l, &r)?;
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) && !orderable(&lt) {
            self.type_error(NotOrdered {
                ty: lt,
                src: self.named(),
                span: span.into(),
            });
            return None;
        }
        Some(self.mk(
            K::Compare {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
                each,
            },
            Type::Bool,
            span,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn membership(
        &mut self,
        elem: &ast::Expr,
        list: &ast::Expr,
        negated: bool,
        form: InForm,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let e = self.expr(elem, frames, ctx)?;
        let l = self.expr(list, frames, ctx)?;
        if !l.ty.is_list() {
            let (text, src, span) = (l.text.clone(), self.named(), l.loc.span.into());
            if l.ty == Type::String && form == InForm::Contains {
                self.type_error(ContainsString { text, src, span });
            } else {
                let ty = l.ty.clone();
                let help = Some("use `=` to compare two values");
                self.type_error(NotAList {
                    text,
                    ty,
                    src,
                    span,
                    help,
                });
            }
            return None;
        }
        self.not_a_list_field(&e, None, Test::In(&l), span)?;
        let each = if e.ty.is_list() {
            if self.is_list_value(&e) {
                self.type_error(TwoLists {
                    left: e.text.clone(),
                    right: l.text.clone(),
                    src: self.named(),
                    span: span.into(),
                    help: "test one value: use `every` or `some`",
                });
                return None;
            }
            if ctx == Ctx::Guard {
                self.type_error(ListInGuard {
                    text: e.text.clone(),
                    src: self.named(),
                    span: e.loc.span.into(),
                });
                return None;
            }
            Each::Left
        } else {
            Each::None
        };
        let (et, lt) = (e.ty.element().clone(), l.ty.element().clone());
        self.same_unit(&et, &lt, span, &e, &l)?;
        Some(self.mk(
            K::In {
                elem: Box::new(e),
                list: Box::new(l),
                negated,
                each,
            },
            Type::Bool,
            span,
        ))
    }

    pub(super) fn arith_type(
        &mut self,
        op: ArithOp,
        a: &Type,
        b: &Type,
        span: Span,
    ) -> Option<Type> {
        use Type::*;
        let ty = match op {
            ArithOp::Add | ArithOp::Sub => {
                if a == b && numeric(a) {
                    Some(a.clone())
                } else {
                    None
                }
            }
            ArithOp::Mul => match (a, b) {
                (Number, Number) => Some(Number),
                (Percent, Percent) => Some(Percent),
                (Percent, Number) | (Number, Percent) => Some(Percent),
                (Percent | Number, Money) | (Money, Percent | Number) => Some(Money),
                _ => None,
            },
            ArithOp::Div => match (a, b) {
                (Number, Number) | (Money, Money) | (Percent, Percent) => Some(Number),
                (Money, Number | Percent) => Some(Money),
                (Percent, Number) => Some(Percent),
                _ => None,
            },
        };
        if ty.is_none() {
            self.type_error(UnitsDoNotCombine {
                left: a.clone(),
                op: op.symbol(),
                right: b.clone(),
                src: self.named(),
                span: span.into(),
            });
        }
        ty
    }

    pub(super) fn aggregate(
        &mut self,
        kind: AggKind,
        arg: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let name = match kind {
            AggKind::Total => "total",
            AggKind::Count => "count of",
            AggKind::Max => "max",
            AggKind::Min => "min",
            AggKind::Average => "average",
        };
        let x = self.list_operand(arg, frames, ctx, &format!("`{name}`"))?;
        let elem = x.ty.element().clone();
        if elem == Type::Bool {
            self.bool_aggregate(name, &x, span);
            return None;
        }
        let ty = match kind {
            AggKind::Count => Some(Type::Number),
            AggKind::Total | AggKind::Average if numeric(&elem) => Some(elem),
            AggKind::Max | AggKind::Min if orderable(&elem) => Some(elem),
            _ => None,
        };
        let Some(ty) = ty else {
            self.type_error(AggregateNotNumeric {
                name,
                text: x.text.clone(),
                ty: x.ty.clone(),
                src: self.named(),
                span: x.loc.span.into(),
            });
            return None;
        };
        Some(self.mk(
            K::Aggregate {
                kind,
                arg: Box::new(x),
            },
            ty,
            span,
        ))
    }
}

/// "write `USD 1B`" for a plain number where money is wanted.
fn money_literal_help(text: &str) -> Option<String> {
    let amount = crate::number::Exact::parse(text)?;
    Some(format!(
        "write `{}` (with the deal's currency): money is written as a three-letter currency code, a space and the amount",
        crate::value::Scalar::Money(crate::value::Currency(*b"USD"), amount)
    ))
}

fn is_number_literal(text: &str) -> bool {
    crate::number::Exact::parse(text).is_some()
}
