//! The compiled quick pass: each rule's `when`, `unless` and `require` conditions translated
//! once per policy into forms that read the deal's typed slots in place (see `form.rs`).
//!
//! A compiled condition gives a truth value only where it is certain to be the one the
//! evaluator's truth-only pass gives ([`Evaluator::truth`] without facts), unknown cases
//! included; anywhere else it gives None and the evaluator decides, exactly as without it. The
//! evaluator's truth has one effect a report shows: the near misses it records (SPEC §2.6). A
//! compiled run tests the same conditions in the same order, ends where the evaluator ends,
//! and gives None at every string that nearly matches another, so where it answers the
//! evaluator would have recorded nothing. Its other effects are caches, which change no
//! outcome. A condition with no exact compiled form (dates outside table keys, look-through,
//! conversions, item definitions other than lookup tables of literal values, presence tests, …)
//! is never compiled: a new rule form is either given a form here or left to the evaluator.
//! A form that reads the ownership graph (`total … per bloc`) reads it from the deal's
//! evaluator, which is then made for it. A clause that reads only the deal's root and stands
//! in more than one place (the header's `jurisdiction`, every rule's first `when`) is shared:
//! decided once per deal ([`form::Cond::Shared`]).

mod audit;
mod build;
pub(crate) mod form;
mod run;
#[cfg(test)]
mod tests;

use std::cell::RefCell;
use std::collections::HashMap;

use crate::deal::tree::{Deal, Record};
use crate::resolve::ir::{Expr, Rule};
use crate::resolve::Policy;
use crate::value::Scalar;

use super::expr::{Collect, Evaluator, Judgement, Tv};
pub use audit::{agreements, Agreement, Clause};
use build::Builder;
use form::{Cond, Let};
use run::{Kept, Run, Value};

/// A policy's compiled quick pass: its `let` definitions and, rule by rule, the compiled form
/// of each condition (None where it has none).
#[derive(Debug)]
pub struct Program {
    lets: Vec<Let>,
    /// How many operands are kept once per deal.
    kept: usize,
    /// How many clauses are shared ([`Cond::Shared`]).
    shared: usize,
    rules: Vec<RuleForms>,
}

/// The compiled conditions of one rule, clause by clause, in the rule's order.
#[derive(Debug, Default)]
pub(crate) struct RuleForms {
    pub when: Vec<Option<Cond>>,
    pub unless: Vec<Option<Cond>>,
    pub require: Vec<Option<Cond>>,
}

impl Program {
    /// Translate every rule of `policy`.
    pub fn compile(policy: &Policy) -> Program {
        let mut b = Builder {
            schema: &policy.schema,
            defs: &policy.defs,
            lets: Vec::with_capacity(policy.defs.len()),
            kept: std::cell::Cell::new(0),
        };
        for d in &policy.defs {
            let l = b.definition(d);
            b.lets.push(l);
        }
        let forms = |clauses: &[Expr]| {
            clauses
                .iter()
                .map(|c| {
                    let form = b.cond(c)?;
                    Some(if b.needs_evaluator(&form) {
                        Cond::WithEvaluator(Box::new(form))
                    } else {
                        form
                    })
                })
                .collect()
        };
        let mut rules: Vec<RuleForms> = policy
            .rules
            .iter()
            .map(|r| RuleForms {
                when: forms(&r.when),
                unless: forms(&r.unless),
                require: forms(&r.require),
            })
            .collect();
        let shared = share_clauses(&mut rules);
        Program {
            kept: b.kept.get(),
            shared,
            lets: b.lets,
            rules,
        }
    }

    /// The program of `policy`, compiled on first use and kept with it.
    pub fn of(policy: &Policy) -> Option<&Program> {
        policy.attached.get_or_init(|| Program::compile(policy))
    }

    /// The compiled conditions of `rule`, when it is one of `policy`'s rules (not a copy).
    pub(crate) fn rule<'p>(&'p self, policy: &Policy, rule: &Rule) -> Option<&'p RuleForms> {
        let index = index_in(&policy.rules, rule)?;
        self.rules.get(index)
    }
}

/// Mark the clauses that read only the deal's root and are the same in more than one place
/// (the same form: the header's `jurisdiction` is every rule's first `when`) as shared: each
/// is decided once per deal. How many there are.
fn share_clauses(rules: &mut [RuleForms]) -> usize {
    let clauses = rules
        .iter_mut()
        .flat_map(|r| r.when.iter_mut().chain(&mut r.unless).chain(&mut r.require));
    // Each root-only clause with its form's text, the key that tells equal forms.
    let keyed: Vec<(&mut Option<Cond>, String)> = clauses
        .filter_map(|c| {
            let key = format!("{:?}", c.as_ref().filter(|f| f.reads_root_only())?);
            Some((c, key))
        })
        .collect();
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (_, key) in &keyed {
        *seen.entry(key.as_str()).or_default() += 1;
    }
    // A slot for each form that stands twice or more, in the order met.
    let mut slots: HashMap<&str, usize> = HashMap::new();
    let slot_of: Vec<Option<usize>> = keyed
        .iter()
        .map(|(_, key)| {
            (seen.get(key.as_str()) >= Some(&2)).then(|| {
                let next = slots.len();
                *slots.entry(key.as_str()).or_insert(next)
            })
        })
        .collect();
    let shared = slots.len();
    for ((c, _), slot) in keyed.into_iter().zip(slot_of) {
        let Some(slot) = slot else { continue };
        if let Some(form) = c.take() {
            *c = Some(Cond::Shared {
                slot,
                cond: Box::new(form),
            });
        }
    }
    shared
}

/// The position of `item` in `items`, when it is one of them (by address).
fn index_in<T>(items: &[T], item: &T) -> Option<usize> {
    let size = std::mem::size_of::<T>();
    let offset = (item as *const T as usize).checked_sub(items.as_ptr() as usize)?;
    if size == 0 || offset % size != 0 {
        return None;
    }
    let index = offset / size;
    items
        .get(index)
        .filter(|x| std::ptr::eq(*x, item))
        .map(|_| index)
}

/// What the compiled quick pass keeps for one deal: the `let` filters computed so far, and how
/// many conditions it decided and left to the evaluator.
pub struct Memo<'d> {
    program: Option<&'d Program>,
    kept: Vec<Kept<'d>>,
    values: Vec<Value>,
    items: Vec<&'d Record>,
    made: Vec<Scalar>,
    shared: Vec<Option<Option<Tv>>>,
    pub decided: usize,
    pub left: usize,
}

/// The vectors of a thread's last memo, emptied, so that the next deal's memo starts with room
/// made (four allocations and frees a deal fewer, and no stack grown again). An emptied vector
/// holds nothing of the deal it served.
#[derive(Default)]
struct Spare {
    values: Vec<Value>,
    items: Vec<&'static Record>,
    made: Vec<Scalar>,
    shared: Vec<Option<Option<Tv>>>,
}

thread_local! {
    static SPARE: RefCell<Spare> = RefCell::default();
}

/// The stack of items `v` emptied, with its room, as a vector of another lifetime: collected
/// in place (the standard library reuses the allocation of a vector collected from its own
/// `into_iter` into elements of the same size), nothing is left to outlive the old one.
#[allow(
    clippy::unnecessary_filter_map,
    reason = "a filter would keep the lifetime; the map to none changes it"
)]
fn emptied_items<'b>(mut v: Vec<&Record>) -> Vec<&'b Record> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

impl<'d> Memo<'d> {
    pub fn new(policy: &'d Policy) -> Memo<'d> {
        Memo::with(Program::of(policy))
    }

    /// A memo that compiles nothing: every condition is left to the evaluator.
    pub fn off() -> Memo<'d> {
        Memo::with(None)
    }

    fn with(program: Option<&'d Program>) -> Memo<'d> {
        let spare = SPARE
            .try_with(|s| s.try_borrow_mut().map(|mut s| std::mem::take(&mut *s)))
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        let mut values = spare.values;
        values.resize(program.map_or(0, |p| p.kept), Value::Pending);
        let mut shared = spare.shared;
        shared.resize(program.map_or(0, |p| p.shared), None);
        Memo {
            program,
            // Written in place: `vec![Kept::Pending; n]` clones (a match on the variant) each.
            kept: std::iter::repeat_with(|| Kept::Pending)
                .take(program.map_or(0, |p| p.lets.len()))
                .collect(),
            values,
            items: emptied_items(spare.items),
            made: spare.made,
            shared,
            decided: 0,
            left: 0,
        }
    }

    /// The compiled conditions of `rule` (of the memo's policy).
    pub(crate) fn forms(&self, policy: &Policy, rule: &Rule) -> Option<&'d RuleForms> {
        self.program?.rule(policy, rule)
    }

    /// The truth of a compiled condition on `deal`, or None when it is not certain. `ev`, the
    /// deal's evaluator when it is made, is read by the forms that need it
    /// ([`Cond::needs_evaluator`]); they give None without it.
    pub(crate) fn truth(
        &mut self,
        deal: &'d Deal,
        ev: Option<&Evaluator<'d>>,
        form: &'d Cond,
    ) -> Option<Tv> {
        let program = self.program?;
        // A shared clause found already in this deal: its truth, without a run.
        if let Cond::Shared { slot, .. } = form {
            if let Some(&Some(known)) = self.shared.get(*slot) {
                match known {
                    Some(_) => self.decided += 1,
                    None => self.left += 1,
                }
                return known;
            }
        }
        let mut run = Run {
            deal,
            ev,
            program,
            kept: &mut self.kept,
            values: &mut self.values,
            items: &mut self.items,
            made: &mut self.made,
            shared: &mut self.shared,
            hidden: 0,
        };
        let tv = run.truth(form);
        self.items.clear();
        if !self.made.is_empty() {
            // Left by a form that stopped (None) before its test dropped them.
            self.made.clear();
        }
        match tv {
            Some(_) => self.decided += 1,
            None => self.left += 1,
        }
        tv
    }
}

impl Drop for Memo<'_> {
    /// The vectors, emptied, to the thread's [`Spare`].
    fn drop(&mut self) {
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let mut made = std::mem::take(&mut self.made);
        made.clear();
        let mut shared = std::mem::take(&mut self.shared);
        shared.clear();
        let spare = Spare {
            values,
            items: emptied_items(std::mem::take(&mut self.items)),
            made,
            shared,
        };
        // At the thread's end, or with the spare in use, the vectors are freed instead.
        let _ = SPARE.try_with(|s| s.try_borrow_mut().map(|mut s| *s = spare));
    }
}

/// The truth of one of a rule's conditions `e` in the mode `C`: without facts, from its
/// compiled form when that is certain; else (and always with facts) from the evaluator.
pub(crate) fn clause_truth<'d, C: Collect>(
    ev: &mut Evaluator<'d>,
    memo: Option<&mut Memo<'d>>,
    form: Option<&'d Cond>,
    e: &Expr,
) -> Judgement<'d, C> {
    if !C::FACTS && ev.in_plain_scope() {
        if let (Some(memo), Some(form)) = (memo, form) {
            if let Some(tv) = memo.truth(ev.deal, Some(ev), form) {
                return Judgement::of(tv);
            }
        }
    }
    ev.truth::<C>(e)
}
