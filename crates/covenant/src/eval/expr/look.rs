//! `look-through M of S in T [by control …]` (SPEC §7.2): the holders `S` are evaluated once
//! into [`Holders`] (a filter's maybe-members kept as maybe), the target is the deal, an
//! entity or each entity of a list, and the ownership floor gives the value: an exact
//! fraction, made a percent here.
//!
//! A value whose exact percent does not fit an `i128` rational (very long chains of odd
//! percents) is unknown, as an overflow (SPEC §2.5: never a silent rounding); its evidence
//! shows the paths rounded.

use std::rc::Rc;
use std::sync::Arc;

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::deal::tree::Record;
use crate::ownership::{self, Holders, Membership, Mode, Target};
use crate::resolve::ir::{Expr, LookThrough};
use crate::source::Span;
use crate::value::Scalar;

use super::super::holdings::{share_of, EdgeShown, LookThroughShown, PathShown};
use super::super::note::{Internal, Reason};
use super::super::value::{unknown, why, Elem, Origin, Val, Why};
use super::entities::entity_id;
use super::Evaluator;

/// What one look-through needs besides its target, found once.
pub(super) struct Setup {
    measure: ownership::Measure,
    holders: Rc<Holders<Rc<Why>>>,
    mode: Mode,
}

fn internal<'d>() -> Val<'d> {
    unknown(why(Reason::Internal(Internal::ItemOutOfScope)))
}

impl<'d> Evaluator<'d> {
    pub(super) fn look_through(&mut self, l: &LookThrough) -> Val<'d> {
        let setup = match self.look_setup(l) {
            Ok(s) => s,
            Err(v) => return v,
        };
        let Some(t) = &l.target else {
            return self.look_value(&setup, Target::Deal, Origin::default());
        };
        match self.value(t) {
            Val::Record(r, o) => self.look_at(&setup, r, o),
            Val::List(elems, span) => {
                let out = elems
                    .iter()
                    .map(|e| Elem {
                        val: match &e.val {
                            Val::Record(r, o) => self.look_at(&setup, r, *o),
                            Val::Unknown(w) => Val::Unknown(w.clone()),
                            _ => internal(),
                        },
                        maybe: e.maybe.clone(),
                    })
                    .collect();
                Val::List(Rc::new(out), span)
            }
            Val::Unknown(w) => Val::Unknown(w),
            _ => internal(),
        }
    }

    /// The measure, the holders and the mode; the unknown to give when one of them is.
    pub(super) fn look_setup(&mut self, l: &LookThrough) -> Result<Setup, Val<'d>> {
        if let Some(w) = &self.entities().unknown {
            return Err(Val::Unknown(w.clone()));
        }
        let holders = self.holders(l)?;
        let mode = match &l.control {
            None => Mode::Proportional,
            Some(c) => match self.value(&c.threshold) {
                Val::Scalar(Scalar::Percent(p), _) => {
                    let (n, d) = p.parts();
                    let threshold =
                        BigRational::new(BigInt::from(n), BigInt::from(d) * BigInt::from(100));
                    Mode::Control {
                        threshold,
                        inclusive: c.inclusive,
                    }
                }
                Val::Unknown(w) => return Err(Val::Unknown(w)),
                _ => return Err(internal()),
            },
        };
        let measure = ownership::Measure {
            name: l.measure.name.to_string(),
            party_field: l.measure.party_field.unwrap_or(usize::MAX),
            owner_field: l.measure.owner_field,
        };
        Ok(Setup {
            measure,
            holders,
            mode,
        })
    }

    /// `S` as [`Holders`]: kept for the deal when `S` reads no item.
    fn holders(&mut self, l: &LookThrough) -> Result<Rc<Holders<Rc<Why>>>, Val<'d>> {
        let key = std::ptr::from_ref::<Expr>(&l.holders) as usize;
        if l.holders_fixed {
            if let Some(h) = self.ownership().holders.borrow().get(&key) {
                return Ok(h.clone());
            }
        }
        let v = self.value(&l.holders);
        let holders = Rc::new(self.holders_of(&v)?);
        if l.holders_fixed {
            self.ownership()
                .holders
                .borrow_mut()
                .insert(key, holders.clone());
        }
        Ok(holders)
    }

    fn holders_of(&self, v: &Val<'d>) -> Result<Holders<Rc<Why>>, Val<'d>> {
        let entities = self.entities();
        let mut members: Vec<Option<Membership<Rc<Why>>>> = vec![None; entities.list.len()];
        let mut add = |r: &Record, maybe: &Option<Rc<Why>>| {
            let at = entities.of_record(r).ok_or_else(internal)?;
            let slot = members.get_mut(at).ok_or_else(internal)?;
            // Listed twice, once for sure: a member.
            *slot = match (maybe, slot.take()) {
                (_, Some(Membership::Sure)) | (None, _) => Some(Membership::Sure),
                (Some(w), _) => Some(Membership::Maybe(w.clone())),
            };
            Ok(())
        };
        match v {
            Val::Record(r, _) => add(r, &None)?,
            Val::List(elems, _) => {
                for e in elems.iter() {
                    match &e.val {
                        Val::Record(r, _) => add(r, &e.maybe)?,
                        Val::Unknown(w) => return Err(Val::Unknown(w.clone())),
                        _ => return Err(internal()),
                    }
                }
            }
            Val::Unknown(w) => return Err(Val::Unknown(w.clone())),
            _ => return Err(internal()),
        }
        Ok(Holders { members })
    }

    /// The look-through into the entity of record `r`, as a value located at that entity.
    fn look_at(&self, setup: &Setup, r: &Record, o: Origin<'d>) -> Val<'d> {
        let Some(at) = self.entities().of_record(r) else {
            return internal();
        };
        let origin = Origin {
            field: None,
            parent: None,
            ..o
        };
        self.look_value(setup, Target::Entity(entity_id(at)), origin)
    }

    fn look_value(&self, setup: &Setup, target: Target, origin: Origin<'d>) -> Val<'d> {
        // The value needs no paths; evidence (`look_shown`) walks again with them.
        let lt =
            self.graph()
                .look_through_value(&setup.measure, &setup.holders, &setup.mode, target);
        match &lt.value {
            Ok(f) => match ownership::percent_of_fraction(f) {
                Some(p) => Val::Scalar(Scalar::Percent(p), origin),
                None => unknown(Why {
                    span: origin.span.get(),
                    ..why(Reason::Overflow)
                }),
            },
            Err(u) => unknown(self.why_of(u)),
        }
    }

    fn compute_look(&self, setup: &Setup, target: Target) -> ownership::LookThrough<Rc<Why>> {
        self.graph()
            .look_through(&setup.measure, &setup.holders, &setup.mode, target)
    }

    /// The target of record `r` (None: the deal).
    pub(super) fn target_of(&self, r: Option<&Record>) -> Option<Target> {
        match r {
            None => Some(Target::Deal),
            Some(r) => {
                let at = self.entities().of_record(r)?;
                Some(Target::Entity(entity_id(at)))
            }
        }
    }

    /// The evidence of one look-through (`subject` as written): its value and paths.
    pub(super) fn look_shown(
        &self,
        subject: &Arc<str>,
        setup: &Setup,
        target: Target,
    ) -> LookThroughShown<Option<Span>> {
        let lt = self.compute_look(setup, target);
        let entities = self.entities();
        let name = |t: Target| match t {
            Target::Deal => Arc::from("JV"),
            Target::Entity(id) => entities.label(id),
        };
        let paths = lt
            .paths
            .iter()
            .map(|p| PathShown {
                contribution: share_of(&p.contribution),
                edges: p
                    .edges
                    .iter()
                    .map(|e| EdgeShown {
                        from: entities.label(e.from),
                        to: name(e.to),
                        value: share_of(&e.value),
                        counted: e.counted.as_ref().map(share_of),
                        at: Some(e.span),
                    })
                    .collect(),
            })
            .collect();
        let control = match &setup.mode {
            Mode::Proportional => None,
            Mode::Control {
                threshold,
                inclusive,
            } => Some((share_of(threshold).percent, *inclusive)),
        };
        LookThroughShown {
            subject: subject.clone(),
            measure: Arc::from(setup.measure.name.as_str()),
            control,
            target: name(target),
            value: lt.value.as_ref().ok().map(share_of),
            paths,
            more_paths: lt.more_paths,
            more_value: share_of(&lt.more_value),
        }
    }
}
