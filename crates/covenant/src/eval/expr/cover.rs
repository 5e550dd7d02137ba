//! Party-scoped approvals (SPEC §10): a rule's requirements evaluated with the universal
//! tests (implicit each, `every`, `no`, must-forms) counting some entities, and every element
//! read from one of them by a mapped phrase, as meeting them.
//!
//! Counting an element as meeting a test can only make a test more true, so it is done only
//! where a truer test makes the requirement truer: from a `require` clause down through
//! `and`, `or` and the bodies of `every`, never under `not`, inside a `where`, a `some`, a
//! counting quantifier, a comparison's operand or a definition. There, [`Evaluator::truth`]
//! marks the list expression of the test it meets (`cover_site`); the test, finding its list
//! marked, skips the covered elements. An element is covered when the record it was read from
//! (the element of the first list its phrase maps over: the party of `foreign partner stake`
//! and of `party owner country`) is one of the entities named. Values that are not read from
//! one item (a `total`, a `per` value, a look-through, a filtered mapped phrase) are never
//! covered: when unsure, an element is not covered, so the approval does not exempt.

use std::collections::HashSet;
use std::rc::Rc;

use crate::deal::tree::Record;
use crate::resolve::ir::{Base, Each, Expr, ExprKind as K, Step};
use crate::syntax::ast::QuantKind;

use super::super::value::{Elem, Val};
use super::{Evaluator, Quick, Tv};

/// The entities a party-scoped approval names, by the address of their records.
pub(crate) struct Cover {
    records: HashSet<usize>,
}

impl Cover {
    fn has(&self, r: &Record) -> bool {
        self.records.contains(&(std::ptr::from_ref(r) as usize))
    }
}

/// The address of an expression, which marks it as the list of a covering test.
fn site(e: &Expr) -> usize {
    std::ptr::from_ref(e) as usize
}

impl<'d> Evaluator<'d> {
    /// Whether `require` holds with the entities named `names` (and every element read from
    /// one of them) counted as meeting its universal tests.
    pub(crate) fn holds_covering(&mut self, require: &[Expr], names: &[&str]) -> Tv {
        let entities = self.entities();
        let records = names
            .iter()
            .filter_map(|n| entities.named(n).and_then(|at| entities.get(at)))
            .map(|e| std::ptr::from_ref(e.item.record) as usize)
            .collect();
        let saved = self.cover.replace(Rc::new(Cover { records }));
        let mut all = Tv::True;
        for clause in require {
            self.cover_here = true;
            all = all.and(self.truth::<Quick>(clause).tv);
            if all == Tv::False {
                break;
            }
        }
        self.cover_here = false;
        self.cover_site = None;
        self.cover = saved;
        all
    }

    /// `e` is met where a truer test makes the requirement truer: mark the list of its
    /// universal test, if it has one.
    pub(super) fn mark_cover_site(&mut self, e: &Expr) {
        let list = match &e.kind {
            K::Quant {
                kind: QuantKind::Every | QuantKind::No,
                list,
                ..
            } => Some(&**list),
            K::Compare { lhs, each, .. } | K::Within { lhs, each, .. } if *each == Each::Left => {
                Some(&**lhs)
            }
            K::Compare { rhs, each, .. } | K::Within { rhs, each, .. } if *each == Each::Right => {
                Some(&**rhs)
            }
            K::In { elem, each, .. } if *each != Each::None => Some(&**elem),
            K::Must {
                subject,
                each: true,
                ..
            } => Some(&**subject),
            K::Presence { each: true, .. } => Some(e),
            _ => None,
        };
        self.cover_site = list.map(site);
    }

    /// Whether a rule's condition is met outside every party-scoped approval and every
    /// quantifier: where the compiled quick pass may decide it (see `eval::compiled`).
    pub(crate) fn in_plain_scope(&self) -> bool {
        self.cover.is_none() && !self.cover_here && self.cover_site.is_none() && !self.in_body()
    }

    /// Whether `list` is the list of the covering test being evaluated.
    pub(super) fn is_cover_site(&self, list: &Expr) -> bool {
        self.cover_site == Some(site(list))
    }

    /// For the covering test over `list` (whose value has the elements `elems`): which
    /// elements are covered. None when `list` is not marked (nothing is covered), and the mark
    /// is used up.
    pub(super) fn covered(&mut self, list: &Expr, elems: &[Elem<'d>]) -> Option<Vec<bool>> {
        if !self.is_cover_site(list) {
            return None;
        }
        self.cover_site = None;
        let cover = self.cover.clone()?;
        let roots = self.roots(list)?;
        (roots.len() == elems.len()).then(|| {
            roots
                .into_iter()
                .map(|r| r.is_some_and(|r| cover.has(r)))
                .collect()
        })
    }

    /// The record each element of `list` was read from: the element of the first list its
    /// phrase maps over, or the element itself when it is a record. None when that cannot be
    /// told (nothing is then covered).
    fn roots(&mut self, list: &Expr) -> Option<Vec<Option<&'d Record>>> {
        let policy: &'d crate::resolve::Policy = self.policy;
        match &list.kind {
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => {
                let def = policy.defs.get(*i)?;
                // A definition is computed in the root scope.
                let floor = std::mem::replace(&mut self.floor, self.items.len());
                let roots = self.roots(&def.value);
                self.floor = floor;
                roots
            }
            K::Path { base, steps } => {
                let v = self.base_value(base)?;
                self.roots_along(v, steps)
            }
            K::Project { list, steps } => {
                let v = self.value(list);
                self.roots_along(v, steps)
            }
            // Over a mapped list, presence tests each record that holds (or lacks) the field.
            K::Presence { base, steps, .. } => {
                let (_, before) = steps.split_last()?;
                let v = self.base_value(base)?;
                self.roots_along(v, before)
            }
            _ => match self.value(list) {
                Val::List(elems, _) => Some(elems.iter().map(|e| record_of(&e.val)).collect()),
                _ => None,
            },
        }
    }

    /// The value a path starts from.
    fn base_value(&mut self, base: &Base) -> Option<Val<'d>> {
        Some(match base {
            Base::Root => self.root(),
            Base::Item(d) => self.item(*d)?.clone(),
            Base::Let(i) => self.let_value(*i),
        })
    }

    /// The roots of the elements of `steps` read from `v`: the steps up to the first list,
    /// then the rest read on each of its elements alone.
    fn roots_along(&mut self, mut v: Val<'d>, steps: &[Step]) -> Option<Vec<Option<&'d Record>>> {
        let mut rest = steps;
        while !matches!(v, Val::List(..)) {
            let (first, more) = rest.split_first()?;
            v = self.steps_from(v, std::slice::from_ref(first));
            rest = more;
        }
        let Val::List(elems, _) = v else {
            return None;
        };
        let mut out = Vec::with_capacity(elems.len());
        for e in elems.iter() {
            let n = if rest.is_empty() {
                1
            } else {
                match self.steps_from(Val::List(Rc::new(vec![e.clone()]), None), rest) {
                    Val::List(read, _) => read.len(),
                    _ => return None,
                }
            };
            out.extend(std::iter::repeat_n(record_of(&e.val), n));
        }
        Some(out)
    }
}

fn record_of<'d>(v: &Val<'d>) -> Option<&'d Record> {
    match v {
        Val::Record(r, _) => Some(*r),
        _ => None,
    }
}
