//! Evidence of the ownership forms for the values a test reads (SPEC §7.2, §7.3): the paths of
//! a look-through, the chain of control behind a `controller` phrase, the key, members and
//! value of a group of `AGG X per K`. Computed only when evidence is kept.

use std::rc::Rc;
use std::sync::Arc;

use crate::deal::tree::NodeValue;
use crate::ownership::{self, Target};
use crate::resolve::ir::{Base, Expr, ExprKind as K, Step};
use crate::schema::{Computed, Schema};
use crate::value::{Scalar, Text};

use super::super::holdings::{ControllerShown, GroupShown, LinkShown};
use super::super::outcome::ELEMENTS_SHOWN;
use super::super::value::{Elem, Val, Why};
use super::collect::{Collect, Facts};
use super::convert::Converting;
use super::entities::entity_id;
use super::fact::Fact;
use super::look::Setup;
use super::Evaluator;

/// What evidence adds to each element of a list side.
pub(super) enum Derivation<'d> {
    None,
    /// A look-through over a list of targets: each target's paths.
    Looks {
        subject: Arc<str>,
        setup: Setup,
        targets: Rc<Vec<Elem<'d>>>,
    },
    /// `AGG X per K`: each element's group.
    Groups(Vec<Rc<GroupShown>>),
    /// A path through `controller`: the entity whose controller each element reads (one for
    /// every element when the path maps only after it).
    Controllers(Controlled),
    /// `X converted to CUR` (SPEC §11): each element's amount before it converts.
    Conversions(Converting, Rc<Vec<Elem<'d>>>),
}

/// The entities (by their place in the entity list) whose controllers a path reads.
pub(super) enum Controlled {
    One(usize),
    Each(Vec<Option<usize>>),
}

impl<'d> Evaluator<'d> {
    /// The expression a list side is computed by: a definition's own, for a use of one.
    pub(super) fn computed_by<'x>(&self, e: &'x Expr) -> &'x Expr
    where
        'd: 'x,
    {
        match &e.kind {
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => self.policy.defs.get(*i).map_or(e, |d| &d.value),
            _ => e,
        }
    }

    /// What evidence adds to the elements of the list side written `list`.
    pub(super) fn derivation(&mut self, list: &Expr) -> Derivation<'d> {
        let e = self.computed_by(list);
        match &e.kind {
            K::LookThrough(l) => {
                let (Some(t), Ok(setup)) = (&l.target, self.look_setup(l)) else {
                    return Derivation::None;
                };
                match self.value(t) {
                    Val::List(targets, _) => Derivation::Looks {
                        subject: e.text.clone(),
                        setup,
                        targets,
                    },
                    _ => Derivation::None,
                }
            }
            K::Per(p) => match self.groups_shown(p, &e.text) {
                Some(groups) => Derivation::Groups(groups),
                None => Derivation::None,
            },
            K::Path { base, steps } => match self.controlled(base, steps) {
                Some(c) => Derivation::Controllers(c),
                None => Derivation::None,
            },
            K::Convert(c) => match self.conversions_of(c) {
                Some((k, amounts)) => Derivation::Conversions(k, amounts),
                None => Derivation::None,
            },
            _ => Derivation::None,
        }
    }

    /// The evidence `d` adds to element `i`.
    pub(super) fn derived_fact(&self, d: &Derivation<'d>, i: usize) -> Option<Fact<'d>> {
        match d {
            Derivation::None => None,
            Derivation::Looks {
                subject,
                setup,
                targets,
            } => {
                let Val::Record(r, o) = &targets.get(i)?.val else {
                    return None;
                };
                let target = self.target_of(Some(r))?;
                let shown = self.look_shown(subject, setup, target);
                shown.value.as_ref()?;
                Some(Fact::LookThrough(Rc::new(shown), o.item))
            }
            Derivation::Groups(groups) => groups.get(i).cloned().map(Fact::Group),
            Derivation::Controllers(Controlled::One(at)) => self.controller_fact(*at),
            Derivation::Controllers(Controlled::Each(ats)) => self.controller_fact((*ats.get(i)?)?),
            Derivation::Conversions(k, amounts) => self.converted_fact(*k, amounts, i),
        }
    }

    /// The evidence of a value operand of one test: the row of a table, a look-through's
    /// paths, the chain of control a path reads, the groups an aggregate over `per` reads.
    pub(super) fn derived_parts<C: Collect>(&mut self, e: &Expr, out: &mut C::Facts<'d>) {
        // The row of a lookup table that gave the value (SPEC §8).
        self.table_parts::<C>(e, out);
        let e = self.computed_by(e);
        self.conversion_parts::<C>(e, out);
        match &e.kind {
            K::LookThrough(l) if !e.ty.is_list() => {
                let Ok(setup) = self.look_setup(l) else {
                    return;
                };
                let (target, item) = match &l.target {
                    None => (Some(Target::Deal), None),
                    Some(t) => match self.value(t) {
                        Val::Record(r, o) => (self.target_of(Some(r)), o.item),
                        _ => (None, None),
                    },
                };
                let Some(target) = target else { return };
                let shown = self.look_shown(&e.text, &setup, target);
                if shown.value.is_some() {
                    out.push(|| Fact::LookThrough(Rc::new(shown), item));
                }
            }
            K::Aggregate { arg, .. } => {
                let arg = self.computed_by(arg);
                if let K::Per(p) = &arg.kind {
                    let groups = self.groups_shown(p, &arg.text).unwrap_or_default();
                    for g in groups.into_iter().take(GROUPS_SHOWN) {
                        out.push(|| Fact::Group(g));
                    }
                }
            }
            K::Path { base, steps } if !e.ty.is_list() => {
                if let Some(Controlled::One(at)) = self.controlled(base, steps) {
                    if let Some(f) = self.controller_fact(at) {
                        out.push(|| f);
                    }
                }
            }
            _ => {}
        }
    }

    /// The ownership evidence of a value expression, for `explain`: of each of the first
    /// elements of a list, or of the value.
    pub(crate) fn ownership_facts(&mut self, e: &Expr) -> Vec<Fact<'d>> {
        let mut out: Vec<Fact<'d>> = Vec::new();
        if e.ty.is_list() {
            let d = self.derivation(e);
            out.extend((0..ELEMENTS_SHOWN).filter_map(|i| self.derived_fact(&d, i)));
        } else {
            self.derived_parts::<super::WithEvidence>(e, &mut out);
        }
        out
    }

    /// The entities whose controllers the path reads, when it reads one.
    fn controlled(&mut self, base: &Base, steps: &[Step]) -> Option<Controlled> {
        let k = steps.iter().position(|s| self.reads_controller(s))?;
        let (prefix, rest) = steps.split_at(k);
        let linked = rest.first().is_some_and(|s| s.record == Schema::OWNER);
        let v = self.path_value(base, prefix);
        let entity = |ev: &Self, v: &Val<'d>| -> Option<usize> {
            let Val::Record(r, _) = v else { return None };
            if linked {
                match &r.field(0)?.value {
                    NodeValue::Scalar(Scalar::Str(n)) => ev.entities().named(n),
                    _ => None,
                }
            } else {
                ev.entities().of_record(r)
            }
        };
        match &v {
            Val::List(elems, _) if rest.iter().all(|s| !s.flatten) => Some(Controlled::Each(
                elems.iter().map(|e| entity(self, &e.val)).collect(),
            )),
            Val::Record(..) => entity(self, &v).map(Controlled::One),
            _ => None,
        }
    }

    /// Whether `step` reads a `controller`: an entity's, or an owner's of the entity it names.
    fn reads_controller(&self, step: &Step) -> bool {
        let schema = &self.policy.schema;
        let computed = |record: crate::schema::RecordId, field: usize| {
            schema
                .record(record)
                .fields
                .get(field)
                .and_then(|f| f.computed.clone())
        };
        match computed(step.record, step.field) {
            Some(Computed::Controller) => true,
            Some(Computed::Linked(i)) => computed(Schema::ENTITY, i) == Some(Computed::Controller),
            _ => false,
        }
    }

    /// The value of a path of `steps` from `base`, as a phrase computes it.
    fn path_value(&mut self, base: &Base, steps: &[Step]) -> Val<'d> {
        let mut it = steps.iter();
        let Some(first) = it.next() else {
            return match base {
                Base::Root => self.root(),
                Base::Item(d) => self.item(*d).cloned().unwrap_or(Val::Zero),
                Base::Let(i) => self.let_value(*i),
            };
        };
        let mut v = self.first_step(base, first, it.next());
        for s in it {
            v = self.step(&v, s);
        }
        v
    }

    /// The chain of control of entity `at` (SPEC §7.3).
    fn controller_fact(&self, at: usize) -> Option<Fact<'d>> {
        let entities = self.entities();
        let c = self.graph().controller::<Rc<Why>>(entity_id(at));
        let (chain, controller) = match &c {
            ownership::Controller::Known { entity, chain } => (chain, Some(*entity)),
            ownership::Controller::Unknown { chain, .. } => (chain, None),
        };
        let text = |id: ownership::EntityId, field: usize| {
            let e = entities.of_id(id)?;
            match &e.item.record.field(field)?.value {
                NodeValue::Scalar(Scalar::Str(t)) => Some(Text::from(t.as_str())),
                _ => None,
            }
        };
        let shown = ControllerShown {
            entity: entities.get(at)?.label(),
            chain: chain
                .iter()
                .map(|l| LinkShown {
                    holder: entities.label(l.holder),
                    voting: l.voting,
                    controls: l.controls,
                    at: Some(l.span),
                })
                .collect(),
            controller: controller.map(|id| (entities.label(id), text(id, 1), text(id, 2))),
        };
        Some(Fact::Controller(Rc::new(shown)))
    }
}

/// How many groups of an aggregate over `per` evidence shows.
pub(super) const GROUPS_SHOWN: usize = ELEMENTS_SHOWN;
