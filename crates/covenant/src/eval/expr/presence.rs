//! `X is missing` / `X is present` (SPEC §8): whether a deal field, or a record or list on
//! the way to it, is absent after defaults. Never unknown for one value; over a mapped list,
//! an element side (implicit each) that tests the last field on each record before flattening.

use std::sync::Arc;

use crate::deal::tree::NodeValue;
use crate::resolve::ir::{Base, Expr, Step};

use super::super::note::{Internal, Reason};
use super::super::value::{why, Val};
use super::collect::{Collect, Facts, Quick};
use super::fact::{Fact, PresenceFact, Tv};
use super::judgement::Judgement;
use super::Evaluator;

/// Whether a value read on the way to a field is absent: missing or `null`.
fn absent_value(v: &Val<'_>) -> Option<Arc<str>> {
    match v {
        Val::Unknown(w) => match &w.reason {
            Reason::Missing { field } | Reason::Null { field } => Some(field.clone()),
            _ => None,
        },
        _ => None,
    }
}

impl<'d> Evaluator<'d> {
    pub(super) fn presence<C: Collect>(
        &mut self,
        e: &Expr,
        base: &Base,
        steps: &[Step],
        missing: bool,
        each: bool,
    ) -> Judgement<'d, C> {
        let Some((last, before)) = steps.split_last() else {
            let w = why(Reason::Internal(Internal::StepOnScalar));
            return self.unknown_judgement(std::rc::Rc::new(w));
        };
        let holder = self.path(base, before);
        if each && matches!(holder, Val::List(..)) {
            return self.each_of(
                e,
                holder,
                |ev, v| ev.presence_of::<Quick>(v, last, missing),
                |ev, v| ev.presence_of::<C>(v, last, missing),
            );
        }
        self.presence_of(&holder, last, missing)
    }

    /// The test on one value `holder`: the record that holds (or lacks) the field of `last`,
    /// or the absent value on the way to it.
    fn presence_of<C: Collect>(
        &self,
        holder: &Val<'d>,
        last: &Step,
        missing: bool,
    ) -> Judgement<'d, C> {
        let (absent, field) = match holder {
            Val::Record(r, _) => {
                let node = r.field(last.field);
                let absent = node.is_none_or(|n| matches!(n.value, NodeValue::Null));
                (absent, Arc::<str>::from(&*last.name))
            }
            other => match absent_value(other) {
                Some(field) => (true, field),
                None => {
                    return match other {
                        Val::Unknown(w) => self.unknown_judgement(w.clone()),
                        _ => self.unknown_judgement(std::rc::Rc::new(why(Reason::Internal(
                            Internal::StepOnScalar,
                        )))),
                    }
                }
            },
        };
        let held = absent == missing;
        let mut j: Judgement<'d, C> = Judgement::of(if held { Tv::True } else { Tv::False });
        j.facts.push(|| {
            Fact::Presence(Box::new(PresenceFact {
                field,
                absent,
                held,
                at: holder.clone(),
            }))
        });
        j
    }
}
