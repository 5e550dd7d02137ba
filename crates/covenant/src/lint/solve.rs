//! Can a formula hold? Interval and set reasoning per key over the terms of its DNF.
//!
//! The answer is conservative: `No` only when no assignment of values to the keys makes the
//! formula true. Values are treated as dense (a number strictly between any two), which can
//! only make more assignments possible, so a `No` also holds for whole numbers and dates.

use std::cmp::Ordering;

use crate::resolve::ir::Loc;
use crate::syntax::ast::CmpOp;

use super::formula::{dnf, Atom, Cons, Lit, Point, Quant, Unit, F};

/// Quantifiers nested deeper than this are not looked into.
const MAX_DEPTH: usize = 16;

/// A condition that takes part in a contradiction.
#[derive(Clone, Debug)]
pub struct Culprit {
    pub loc: Loc,
    /// What the condition says (`` `stake` is more than 60% ``); None for `false`.
    pub what: Option<String>,
    /// The condition as written.
    pub text: Box<str>,
    /// The condition must fail for the contradiction (it sits under a `not` or a `no`).
    pub flipped: bool,
}

/// The answer: it can hold, it never holds, or it holds only when a list is empty.
#[derive(Clone, Debug)]
pub enum Sat {
    Yes,
    No(Vec<Culprit>),
    OnlyEmpty {
        culprits: Vec<Culprit>,
        /// The list that must be empty, as written.
        list: Box<str>,
    },
}

pub fn sat(f: &F) -> Sat {
    sat_in(f, &[], 0)
}

fn sat_in(f: &F, ctx: &[Atom], depth: usize) -> Sat {
    if depth > MAX_DEPTH {
        return Sat::Yes;
    }
    let Some(terms) = dnf(f) else {
        return Sat::Yes;
    };
    let mut culprits = Vec::new();
    let mut vacuous = None;
    for t in &terms {
        match term(t, ctx, depth) {
            Sat::Yes => return Sat::Yes,
            Sat::No(c) => culprits.extend(c),
            v @ Sat::OnlyEmpty { .. } => {
                vacuous.get_or_insert(v);
            }
        }
    }
    vacuous.unwrap_or_else(|| Sat::No(tidy(culprits)))
}

/// Culprits in source order, each place once.
fn tidy(mut c: Vec<Culprit>) -> Vec<Culprit> {
    c.sort_by_key(|x| (x.loc.file, x.loc.span.start, x.loc.span.end));
    c.dedup_by(|a, b| a.loc == b.loc);
    c
}

fn culprits(atoms: &[&Atom]) -> Vec<Culprit> {
    tidy(
        atoms
            .iter()
            .map(|a| Culprit {
                loc: a.loc,
                what: Some(a.describe()),
                text: a.text.clone(),
                flipped: a.flipped,
            })
            .collect(),
    )
}

fn term(lits: &[Lit], ctx: &[Atom], depth: usize) -> Sat {
    let mut atoms: Vec<Atom> = ctx.to_vec();
    let mut everys: Vec<&Quant> = Vec::new();
    let mut somes: Vec<&Quant> = Vec::new();
    for l in lits {
        match l {
            Lit::False(loc) => {
                return Sat::No(vec![Culprit {
                    loc: *loc,
                    what: None,
                    text: "false".into(),
                    flipped: false,
                }])
            }
            Lit::Atom(a) => atoms.push(a.clone()),
            Lit::Every(q) => everys.push(q),
            Lit::Some(q) => somes.push(q),
        }
    }
    // The atoms grouped by key (in order within a key): one sort, not a pass per key.
    let mut by_key: Vec<&Atom> = atoms.iter().collect();
    by_key.sort_by(|a, b| a.key.cmp(&b.key));
    for group in by_key.chunk_by(|a, b| a.key == b.key) {
        if let Some(c) = conflict(group) {
            return Sat::No(culprits(&c));
        }
    }
    let bodies = |list: &str| -> Vec<F> {
        everys
            .iter()
            .filter(|q| q.list == list)
            .map(|q| (*q.body).clone())
            .collect()
    };
    // A `some` needs one element that satisfies its body and every `every` of its list.
    for s in &somes {
        let mut all = vec![(*s.body).clone()];
        all.extend(bodies(&s.list));
        if let Sat::No(c) = sat_in(&F::And(all), &atoms, depth + 1) {
            return Sat::No(c);
        }
    }
    // The `every`s of one list: if no element can satisfy them all, the list must be empty.
    let mut lists: Vec<&Quant> = Vec::new();
    for q in &everys {
        if !lists.iter().any(|l| l.list == q.list) {
            lists.push(q);
        }
    }
    for q in lists {
        if let Sat::No(c) = sat_in(&F::And(bodies(&q.list)), &atoms, depth + 1) {
            return Sat::OnlyEmpty {
                culprits: c,
                list: q.shown.clone(),
            };
        }
    }
    Sat::Yes
}

/// A bound: the point, whether it is included, and the atom that set it.
type Bound<'a> = (&'a Point, bool, &'a Atom);

fn tighter(new: (&Point, bool), old: (&Point, bool), lower: bool) -> bool {
    match new.0.cmp(old.0) {
        Ordering::Equal => old.1 && !new.1,
        Ordering::Greater => lower,
        Ordering::Less => !lower,
    }
}

fn within(p: &Point, lo: Option<Bound>, hi: Option<Bound>) -> bool {
    let above = lo.is_none_or(|(l, closed, _)| p > l || (p == l && closed));
    let below = hi.is_none_or(|(h, closed, _)| p < h || (p == h && closed));
    above && below
}

/// The atoms (all of one key) that cannot hold together, if any.
fn conflict<'a>(atoms: &[&'a Atom]) -> Option<Vec<&'a Atom>> {
    let unit = atoms.first()?.unit;
    let mut lo: Option<Bound> = None;
    let mut hi: Option<Bound> = None;
    let mut allowed: Option<Vec<&Point>> = None;
    let mut allowed_by: Vec<&Atom> = Vec::new();
    let mut excluded: Vec<(&Point, &Atom)> = Vec::new();
    let mut restrict = |ps: Vec<&'a Point>, a: &'a Atom| {
        allowed = Some(match allowed.take() {
            None => ps,
            Some(old) => old.into_iter().filter(|p| ps.contains(p)).collect(),
        });
        allowed_by.push(a);
    };
    for &a in atoms {
        match &a.cons {
            Cons::Cmp(CmpOp::Eq, p) => restrict(vec![p], a),
            Cons::Cmp(CmpOp::Ne, p) => excluded.push((p, a)),
            Cons::Cmp(op, p) if unit.ordered() => {
                let closed = matches!(op, CmpOp::Le | CmpOp::Ge);
                let lower = matches!(op, CmpOp::Gt | CmpOp::Ge);
                let slot = if lower { &mut lo } else { &mut hi };
                if slot.is_none_or(|(q, c, _)| tighter((p, closed), (q, c), lower)) {
                    *slot = Some((p, closed, a));
                }
            }
            Cons::Cmp(..) => {}
            Cons::In(ps) => restrict(ps.iter().collect(), a),
            Cons::NotIn(ps) => excluded.extend(ps.iter().map(|p| (p, a))),
        }
    }
    const BOOLS: [Point; 2] = [Point::Bool(false), Point::Bool(true)];
    if allowed.is_none() && unit == Unit::Bool {
        allowed = Some(BOOLS.iter().collect());
    }
    let is_excluded = |p: &Point| excluded.iter().any(|(q, _)| *q == p);
    if let Some(set) = allowed {
        if set.iter().any(|p| within(p, lo, hi) && !is_excluded(p)) {
            return None;
        }
        let mut c = allowed_by;
        if !set.is_empty() {
            c.extend(lo.map(|b| b.2));
            c.extend(hi.map(|b| b.2));
            c.extend(
                excluded
                    .iter()
                    .filter(|(q, _)| set.contains(q))
                    .map(|(_, a)| *a),
            );
        }
        return Some(c);
    }
    let ((l, lc, la), (h, hc, ha)) = (lo?, hi?);
    match l.cmp(h) {
        Ordering::Greater => Some(vec![la, ha]),
        Ordering::Equal if !(lc && hc) => Some(vec![la, ha]),
        Ordering::Equal => excluded
            .iter()
            .find(|(q, _)| *q == l)
            .map(|(_, x)| vec![la, ha, *x]),
        Ordering::Less => None,
    }
}
