//! Item definitions (SPEC §8): the value of a `define` field on a record is its expression
//! evaluated with that record as the only item in sight (as it was resolved), once per record
//! and deal. Read as a condition with evidence, the definition's own facts are kept (the
//! values it came from), after the field's value.

use std::rc::Rc;

use crate::deal::tree::Record;
use crate::resolve::ir::{Base, Expr, ExprKind as K, Step};
use crate::schema::{Computed, Schema, Type};
use crate::value::Scalar;

use super::super::note::{Internal, Reason};
use super::super::shown::Op;
use super::super::value::{unknown, why, Origin, Val};
use super::collect::{Collect, Facts, WithEvidence};
use super::fact::{Against, Fact, TestFact, Tv};
use super::judgement::Judgement;
use super::{truth_of, Evaluator};

impl<'d> Evaluator<'d> {
    /// The item definition a step reads, if any.
    pub(super) fn define_of_step(&self, step: &Step) -> Option<usize> {
        let field = self
            .policy
            .schema
            .record(step.record)
            .fields
            .get(step.field)?;
        match field.computed {
            Some(Computed::Define(i)) => Some(i),
            // An owner's link to a definition on its entity (`owner state share`).
            Some(Computed::Linked(i)) => {
                let entity = self.policy.schema.record(Schema::ENTITY);
                match entity.fields.get(i)?.computed {
                    Some(Computed::Define(d)) => Some(d),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Whether `step` reads an owner's link to its entity's field.
    fn is_link(&self, step: &Step) -> bool {
        let field = self
            .policy
            .schema
            .record(step.record)
            .fields
            .get(step.field);
        matches!(
            field.and_then(|f| f.computed.as_ref()),
            Some(Computed::Linked(_))
        )
    }

    /// Whether a path reads an item definition (never, in a policy without one).
    pub(super) fn reads_define(&self, steps: &[Step]) -> bool {
        self.has_defines && steps.iter().any(|s| self.define_of_step(s).is_some())
    }

    /// A path that reads an item definition, step by step from its base.
    pub(super) fn path_with_defines(&mut self, base: &Base, steps: &[Step]) -> Val<'d> {
        let v = match base {
            Base::Root => self.root(),
            Base::Item(d) => match self.item(*d) {
                Some(v) => v.clone(),
                None => return unknown(why(Reason::Internal(Internal::ItemOutOfScope))),
            },
            Base::Let(i) => self.let_value(*i),
        };
        self.steps_from(v, steps)
    }

    /// `steps` from the value `v`, reading item definitions where a step names one.
    pub(super) fn steps_from(&mut self, mut v: Val<'d>, steps: &[Step]) -> Val<'d> {
        for s in steps {
            v = match self.define_of_step(s) {
                Some(i) => self.define_step(&v, s, i),
                None => self.step(&v, s),
            };
        }
        v
    }

    /// One step into item definition `index`: on a record, or on each record of a list.
    fn define_step(&mut self, v: &Val<'d>, step: &Step, index: usize) -> Val<'d> {
        match v {
            Val::Record(r, origin) if step.record == Schema::OWNER && self.is_link(step) => {
                match self.linked_entity(r, origin) {
                    entity @ Val::Record(..) => self.define_value(index, &entity),
                    other => other,
                }
            }
            Val::Record(..) => self.define_value(index, v),
            Val::List(elems, span) if step.map => {
                let elems = Rc::clone(elems);
                super::path::map_elements(&elems, *span, step.flatten, |v| {
                    self.define_step(v, step, index)
                })
            }
            Val::Unknown(w) => Val::Unknown(w.clone()),
            _ => unknown(why(Reason::Internal(Internal::StepOnScalar))),
        }
    }

    /// Item definition `index` on `item` (a record of the definition's records): computed
    /// once per record of the deal. A computed value is shown as the record's field.
    pub fn define_value(&mut self, index: usize, item: &Val<'d>) -> Val<'d> {
        let Val::Record(record, origin) = item else {
            return unknown(why(Reason::Internal(Internal::StepOnScalar)));
        };
        let key = (index, std::ptr::from_ref::<Record>(record) as usize);
        if let Some(v) = self.defined.get(&key) {
            return v.clone();
        }
        let policy: &'d crate::resolve::Policy = self.policy;
        let Some(def) = policy.defs.get(index) else {
            return unknown(why(Reason::Internal(Internal::UnknownDefinition)));
        };
        let v = self.in_item_scope(item, |ev| ev.value(&def.value));
        let v = match v {
            Val::Unknown(_) if def.value.ty == Type::Bool => self.why_unknown(&def.value, item, v),
            Val::Scalar(s, o) if o.item.is_none() && o.field.is_none() => Val::Scalar(
                s,
                Origin {
                    span: origin.span,
                    item: origin.item,
                    field: field_name(policy, index),
                    parent: None,
                },
            ),
            v => v,
        };
        self.defined.insert(key, v.clone());
        v
    }

    /// Run `f` with `item` as the only item in sight (a definition's scope).
    fn in_item_scope<T>(&mut self, item: &Val<'d>, f: impl FnOnce(&mut Self) -> T) -> T {
        let floor = std::mem::replace(&mut self.floor, self.items.len());
        self.items.push(item.clone());
        let out = f(self);
        self.items.pop();
        self.floor = floor;
        out
    }

    /// Why a yes/no definition was unknown: its first unknown fact, looked for again with
    /// evidence (the quick evaluation keeps none).
    fn why_unknown(&mut self, value: &Expr, item: &Val<'d>, v: Val<'d>) -> Val<'d> {
        let j = self.in_item_scope(item, |ev| ev.truth::<WithEvidence>(value));
        let first = j.facts.into_vec().into_iter().find_map(|f| match f {
            Fact::Unknown(w) => Some(w),
            _ => None,
        });
        first.map_or(v, Val::Unknown)
    }

    /// The truth of a path ending in a yes/no item definition read on one record: with
    /// facts, the definition's own (what it came from) after the field's value; without,
    /// the kept value. None for any other expression.
    pub(super) fn define_truth<C: Collect>(&mut self, e: &Expr) -> Option<Judgement<'d, C>> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let (last, before) = steps.split_last()?;
        let index = self.define_of_step(last)?;
        let def = self.policy.defs.get(index)?;
        if def.value.ty != Type::Bool || last.map {
            return None;
        }
        let mut item = self.path_with_defines(base, before);
        if let (true, Val::Record(r, origin)) = (self.is_link(last), &item) {
            // An owner's link: the definition is read on the entity the owner names.
            item = self.linked_entity(r, origin);
        }
        if !matches!(item, Val::Record(..)) {
            return None;
        }
        let v = self.define_value(index, &item);
        let tv = match &v {
            Val::Scalar(s, _) => truth_of(s),
            _ => Tv::Unknown,
        };
        let mut j: Judgement<'d, C> = Judgement::of(tv);
        if C::FACTS {
            let policy: &'d crate::resolve::Policy = self.policy;
            let value = &policy.defs.get(index)?.value;
            let inner = self.in_item_scope(&item, |ev| ev.truth::<C>(value));
            if let Val::Scalar(Scalar::Bool(held), _) = v {
                j.facts.push(|| {
                    Fact::Test(Box::new(TestFact {
                        subject: e.text.clone(),
                        value: v.clone(),
                        op: Op::Is,
                        bound: Against::True,
                        held,
                    }))
                });
            }
            j.facts.append(inner.facts);
        }
        Some(j)
    }

    /// The items a path ending in an item definition of one value per item reads it on (one
    /// record, or the records of a list, in the order of the path's elements), with the
    /// definition. None for any other expression.
    pub(super) fn define_items(&mut self, e: &Expr) -> Option<(usize, Vec<Val<'d>>)> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let (last, before) = steps.split_last()?;
        let index = self.define_of_step(last)?;
        if self.policy.defs.get(index)?.value.ty.is_list() {
            return None;
        }
        match self.path_with_defines(base, before) {
            v @ Val::Record(..) => Some((index, vec![v])),
            Val::List(elems, _) => Some((index, elems.iter().map(|e| e.val.clone()).collect())),
            _ => None,
        }
    }

    /// The deal values item definition `index` came from on `item` (the parts of its value).
    pub(super) fn define_parts<C: Collect>(
        &mut self,
        index: usize,
        item: &Val<'d>,
        out: &mut C::Facts<'d>,
    ) {
        let policy: &'d crate::resolve::Policy = self.policy;
        if let Some(def) = policy.defs.get(index) {
            self.in_item_scope(item, |ev| ev.parts::<C>(&def.value, out));
        }
    }
}

/// The name of item definition `index`'s field (`state_share`), for a value's origin.
fn field_name(policy: &crate::resolve::Policy, index: usize) -> Option<&str> {
    let record = policy.defs.get(index)?.item?;
    policy
        .schema
        .record(record)
        .fields
        .iter()
        .find(|f| f.computed == Some(Computed::Define(index)))
        .map(|f| f.name.as_str())
}
