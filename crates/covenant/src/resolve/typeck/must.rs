//! Must-forms: `X must [not] be …`, `have …`, `stay in …`.

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::{self, CmpOp, MustPred};

use super::super::ir::{self, Base, Each, Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::element_side::Test;
use super::error::{
    HaveNeedsCondition, ListInGuard, NoLocationField, NotAList, NotARecord, NotOrdered,
    StayNeedsItems,
};
use super::{orderable, scalar_kind, Ctx, Lowerer};

impl Lowerer<'_> {
    pub(super) fn must(
        &mut self,
        subject: &ast::Expr,
        negated: bool,
        pred: &MustPred,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        if let MustPred::Presence(word) = pred {
            // `X must not be missing` puts the negation inside: each element is present.
            let missing = word.holds_when_absent(negated);
            return self.presence(subject, missing, frames, ctx, span);
        }
        let s = self.expr(subject, frames, ctx)?;
        let each = s.ty.is_list();
        if each && ctx == Ctx::Guard {
            self.type_error(ListInGuard {
                text: s.text.clone(),
                src: self.named(),
                span: s.loc.span.into(),
            });
            return None;
        }
        let elem_ty = s.ty.element().clone();
        frames.push(Frame::new(
            elem_ty.clone(),
            if each {
                self.item_names(&s)
            } else {
                Vec::new()
            },
        ));
        let p = self.must_pred(&s, &elem_ty, pred, negated, frames, span);
        frames.pop();
        let p = p?;
        Some(self.mk(
            K::Must {
                subject: Box::new(s),
                negated,
                pred: Box::new(p),
                each,
            },
            Type::Bool,
            span,
        ))
    }

    fn must_pred(
        &mut self,
        s: &Expr,
        elem_ty: &Type,
        pred: &MustPred,
        negated: bool,
        frames: &mut Vec<Frame>,
        span: Span,
    ) -> Option<Expr> {
        let item = self.mk(K::Item, elem_ty.clone(), s.loc.span);
        let item = Expr {
            text: s.text.clone(),
            ..item
        };
        let cmp = |this: &mut Self, op: CmpOp, v: Expr| -> Option<Expr> {
            this.same_unit(&item.ty, &v.ty, span, &item, &v)?;
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) && !orderable(&item.ty) {
                this.type_error(NotOrdered {
                    ty: item.ty.clone(),
                    src: this.named(),
                    span: span.into(),
                });
                return None;
            }
            Some(this.mk(
                K::Compare {
                    op,
                    lhs: Box::new(item.clone()),
                    rhs: Box::new(v),
                    each: Each::None,
                },
                Type::Bool,
                span,
            ))
        };
        let member = |this: &mut Self, elem: Expr, v: Expr| -> Option<Expr> {
            if !v.ty.is_list() {
                this.type_error(NotAList {
                    text: v.text.clone(),
                    ty: v.ty.clone(),
                    src: this.named(),
                    span: v.loc.span.into(),
                    help: None,
                });
                return None;
            }
            this.same_unit(elem.ty.element(), v.ty.element(), span, &elem, &v)?;
            let each = if elem.ty.is_list() {
                Each::Left
            } else {
                Each::None
            };
            Some(this.mk(
                K::In {
                    elem: Box::new(elem),
                    list: Box::new(v),
                    negated: false,
                    each,
                },
                Type::Bool,
                span,
            ))
        };
        // `X must P` is `X P` (SPEC §2.4): a list field is no more an element side here than
        // in a comparison (§2.6).
        let eq = if negated { CmpOp::Ne } else { CmpOp::Eq };
        match pred {
            // `be V` with V a list of values (a literal, a definition, or a list-valued phrase
            // such as `party name`) is membership (§2.6).
            MustPred::Be(v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                if v.ty.is_list() && scalar_kind(v.ty.element()).is_some() {
                    self.not_a_list_field(s, None, Test::In(&v), span)?;
                    member(self, item.clone(), v)
                } else {
                    self.not_a_list_field(s, Some(&v), Test::Compare(eq), span)?;
                    cmp(self, CmpOp::Eq, v)
                }
            }
            MustPred::BeIn(v) | MustPred::BeOneOf(v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                self.not_a_list_field(s, None, Test::In(&v), span)?;
                member(self, item.clone(), v)
            }
            MustPred::BeCmp(op, v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                self.not_a_list_field(s, Some(&v), Test::Compare(*op), span)?;
                cmp(self, *op, v)
            }
            // Lowered by `must` before the subject.
            MustPred::Presence(_) => None,
            MustPred::Have(f) => {
                let Type::Record(_) = elem_ty else {
                    self.type_error(NotARecord {
                        text: s.text.clone(),
                        ty: s.ty.clone(),
                        src: self.named(),
                        span: s.loc.span.into(),
                    });
                    return None;
                };
                let x = self.phrase(f, frames)?;
                if x.ty != Type::Bool {
                    self.type_error(HaveNeedsCondition {
                        text: x.text.clone(),
                        ty: x.ty.clone(),
                        src: self.named(),
                        span: f.span.into(),
                    });
                    return None;
                }
                Some(x)
            }
            MustPred::Stay { list, .. } => {
                let Type::Record(rec) = elem_ty else {
                    self.type_error(StayNeedsItems {
                        text: s.text.clone(),
                        ty: s.ty.clone(),
                        src: self.named(),
                        span: s.loc.span.into(),
                    });
                    return None;
                };
                let l = self.expr(list, frames, Ctx::Require)?;
                let record = self.schema.record(*rec);
                let Some(loc_field) = record.field_index("location") else {
                    self.type_error(NoLocationField {
                        record: record.name.to_string(),
                        src: self.named(),
                        span: s.loc.span.into(),
                    });
                    return None;
                };
                let step = |index: usize, name: &str| ir::Step {
                    field: index,
                    record: *rec,
                    name: name.into(),
                    map: false,
                    flatten: false,
                };
                let loc_ty = record
                    .fields
                    .get(loc_field)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::String);
                let loc = self.mk(
                    K::Path {
                        base: Base::Item(0),
                        steps: vec![step(loc_field, "location")],
                    },
                    loc_ty,
                    s.loc.span,
                );
                let loc = Expr {
                    text: format!("{} location", s.text).into(),
                    ..loc
                };
                let in_loc = member(self, loc, l.clone())?;
                let in_loc = Expr {
                    text: format!("{} location in {}", s.text, l.text).into(),
                    ..in_loc
                };
                let Some(tr_field) = record.field_index("transfers") else {
                    return Some(in_loc);
                };
                let tr_ty = record
                    .fields
                    .get(tr_field)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::list(Type::String));
                let tr = self.mk(
                    K::Path {
                        base: Base::Item(0),
                        steps: vec![step(tr_field, "transfers")],
                    },
                    tr_ty,
                    s.loc.span,
                );
                let tr = Expr {
                    text: format!("{} transfers", s.text).into(),
                    ..tr
                };
                let list_text = l.text.clone();
                let in_tr = member(self, tr, l)?;
                let in_tr = Expr {
                    text: format!("every {} transfer in {list_text}", s.text).into(),
                    ..in_tr
                };
                Some(self.mk(K::And(vec![in_loc, in_tr]), Type::Bool, span))
            }
        }
    }
}
