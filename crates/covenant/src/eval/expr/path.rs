//! Paths: a phrase's steps from its base (the deal root, an item, a definition) through
//! fields, mapped over lists.

use std::rc::Rc;

use crate::resolve::ir::{Base, Expr, ExprKind as K, Step};
use crate::schema::Type;

use super::super::note::{Internal, Reason};
use super::super::shown::Element;
use super::super::value::{from_node, origin_path, unknown, why, Elem, Origin, Val, Why, DEEP};
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// A path's first step from its base, reading a kept base (an item, a definition, a
    /// field of the root) in place rather than from a copy.
    pub(super) fn first_step(
        &mut self,
        base: &Base,
        first: &Step,
        second: Option<&Step>,
    ) -> Val<'d> {
        let v = match base {
            Base::Root if !first.map => {
                let Some(second) = second else {
                    return self.root_field(first);
                };
                self.cache_root_field(first);
                if let Some(Some(v)) = self.slots.roots().get(first.field) {
                    return self.step(v, second);
                }
                self.root_field(first)
            }
            Base::Root => self.step(&self.root(), first),
            Base::Item(d) => {
                let v = match self.item(*d) {
                    Some(item) => self.step(item, first),
                    None => unknown(why(Reason::Internal(Internal::ItemOutOfScope))),
                };
                return match second {
                    Some(s) => self.step(&v, s),
                    None => v,
                };
            }
            Base::Let(i) => {
                self.cache_let(*i);
                match self.slots.lets().get(*i) {
                    Some(Some(v)) => self.step(v, first),
                    _ => {
                        let v = self.let_value(*i);
                        self.step(&v, first)
                    }
                }
            }
        };
        match second {
            Some(s) => self.step(&v, s),
            None => v,
        }
    }

    /// A projection read in place: when `e` is a path whose last step maps a field over a
    /// list (`american partner stake`), the elements of that list and the step, so that each
    /// element's value is found when it is used rather than all built as a new list first.
    /// The projected list [`Evaluator::value`] gives has, for element `i` of these, the value
    /// `self.step(&elems[i].val, step)` and the membership `elems[i].maybe` (see
    /// [`map_elements`], not flattening). None (compute the value) for any other expression: a
    /// hoisted value in a body (kept once per deal), a path reading an item definition, a
    /// flattening step, a base that is not a list.
    pub(super) fn projection<'e>(&mut self, e: &'e Expr) -> Option<(Rc<Vec<Elem<'d>>>, &'e Step)> {
        if e.hoist.is_some() && self.in_body() {
            return None;
        }
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let (last, before) = steps.split_last()?;
        if !last.map || last.flatten || self.reads_define(steps) {
            return None;
        }
        match self.path(base, before) {
            Val::List(elems, _) => Some((elems, last)),
            _ => None,
        }
    }

    pub(super) fn step(&self, v: &Val<'d>, step: &Step) -> Val<'d> {
        let schema = &self.policy.schema;
        match v {
            Val::Record(r, origin) => {
                let field = schema.record(step.record).fields.get(step.field);
                if let Some(c) = field.and_then(|f| f.computed.as_ref()) {
                    if let Some(v) = self.computed_field(c, r, origin, step) {
                        return v;
                    }
                }
                const STRING: Type = Type::String;
                let ty: &'d Type = field.map_or(&STRING, |f| &f.ty);
                let name: &'d str = match field {
                    Some(f) => f.name.as_str(),
                    None => "?",
                };
                // A record read from a field (`board`) prefixes its fields' paths.
                let parent = match (origin.parent, origin.field) {
                    (_, None) => None,
                    (None, Some(f)) => Some(f),
                    (Some(_), Some(_)) => Some(DEEP),
                };
                match r.field(step.field) {
                    Some(node) => from_node(schema, node, ty, origin.item, parent, name),
                    None => {
                        let o = Origin {
                            span: origin.span,
                            item: origin.item,
                            field: Some(name),
                            parent,
                        };
                        unknown(Why {
                            reason: Reason::Missing {
                                field: std::sync::Arc::from(name),
                            },
                            span: origin.span.get(),
                            element: origin.item.map(|i| Element::of(schema, &i)),
                            path: origin_path(&o).map(String::into_boxed_str),
                        })
                    }
                }
            }
            Val::List(elems, span) if step.map => {
                map_elements(elems, *span, step.flatten, |v| self.step(v, step))
            }
            Val::Unknown(w) => Val::Unknown(w.clone()),
            _ => unknown(why(Reason::Internal(Internal::StepOnScalar))),
        }
    }
}

/// A step mapped over the elements of a list (flattened one level when `flatten`): each
/// element keeps its maybe-membership, and an inner element takes its own when it has one.
pub(super) fn map_elements<'d>(
    elems: &[Elem<'d>],
    span: Option<crate::source::Span>,
    flatten: bool,
    mut step: impl FnMut(&Val<'d>) -> Val<'d>,
) -> Val<'d> {
    let mut out = Vec::with_capacity(elems.len());
    for e in elems {
        match (step(&e.val), flatten) {
            (Val::List(inner, _), true) => out.extend(inner.iter().map(|i| Elem {
                val: i.val.clone(),
                maybe: e.maybe.clone().or_else(|| i.maybe.clone()),
            })),
            (x, _) => out.push(Elem {
                val: x,
                maybe: e.maybe.clone(),
            }),
        }
    }
    Val::List(Rc::new(out), span)
}
