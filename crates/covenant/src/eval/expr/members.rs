//! Membership in long lists: `x in L` for a scalar `x` by one hash lookup among `L`'s values,
//! with the answer (and the reasons for an unknown one) that comparing `x` with each element in
//! turn gives. The index of a list is built once per list value: per deal for a list that is
//! kept (a hoisted value, a definition, a field of the deal root), per evaluation for the list
//! of an implicit each (`technology owner in party name`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use jiff::civil::Date;

use crate::number::Exact;
use crate::resolve::ir::{Base, Expr, ExprKind as K};
use crate::value::{Currency, Scalar, Text};

use super::super::near_miss::loose_pair;
use super::super::outcome::ELEMENTS_SHOWN;
use super::super::value::{equal_scalar, Elem, Val, Why};
use super::fact::Tv;
use super::Evaluator;

/// Lists shorter than this are scanned: building an index costs more than it saves.
pub(super) const SCAN: usize = 16;

/// A scalar's value, for hashing: equal keys are exactly the scalars `scalar_eq` finds equal
/// (numbers by exact value, so `1` and `1.0` are one key).
#[derive(Clone, PartialEq, Eq, Hash)]
enum Key {
    Str(Text),
    Bool(bool),
    Date(Date),
    Never,
    Number(Exact),
    Percent(Exact),
    Money(Currency, Exact),
}

/// What a scalar can be compared with: `scalar_eq` fails (an unknown answer) between kinds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Str,
    Bool,
    Date,
    Number,
    Percent,
    Money(Currency),
}

fn key(s: &Scalar) -> Key {
    match s {
        Scalar::Str(t) => Key::Str(t.clone()),
        Scalar::Bool(b) => Key::Bool(*b),
        Scalar::Date(d) => Key::Date(*d),
        Scalar::Never => Key::Never,
        Scalar::Number(n) => Key::Number(*n),
        Scalar::Percent(p) => Key::Percent(*p),
        Scalar::Money(c, m) => Key::Money(*c, *m),
    }
}

fn kind(k: &Key) -> Kind {
    match k {
        Key::Str(_) => Kind::Str,
        Key::Bool(_) => Kind::Bool,
        Key::Date(_) | Key::Never => Kind::Date,
        Key::Number(_) => Kind::Number,
        Key::Percent(_) => Kind::Percent,
        Key::Money(c, _) => Kind::Money(*c),
    }
}

/// The answer of `x in L` (before `not`), and for an unknown one the positions in `L` of the
/// elements that made it unknown: the first [`ELEMENTS_SHOWN`] (when asked for), and how many
/// there were.
pub(super) struct Found {
    pub tv: Tv,
    pub why: Vec<usize>,
    pub count: usize,
    /// When `x` was not surely found: the positions of the strings that differ from `x` only
    /// in case or surrounding white space (SPEC §2.6), which the caller may find near misses.
    pub loose: Vec<usize>,
}

impl Found {
    const TRUE: Found = Found {
        tv: Tv::True,
        why: Vec::new(),
        count: 0,
        loose: Vec::new(),
    };
}

/// A string as near misses see it: trimmed, and in lower case as [`loosely_equal`] folds it.
fn folded(s: &str) -> String {
    s.trim().chars().flat_map(char::to_lowercase).collect()
}

/// A list's elements indexed by value.
pub(super) struct Members {
    /// The values of the elements that surely belong to the list.
    sure: HashSet<Key>,
    /// The positions of the elements that may belong (a filter was unknown for them).
    maybe: HashMap<Key, Vec<usize>>,
    /// The positions of the scalar elements of each kind.
    kinds: Vec<(Kind, Vec<usize>)>,
    /// The positions of unknown values and records: never equal to a scalar, always unknown.
    failing: Vec<usize>,
    /// The positions of the totals of empty lists (equal to a zero of any unit), compared one
    /// by one.
    zeros: Vec<usize>,
    /// The positions of the strings, by their [`folded`] text: candidates for near misses.
    loose: HashMap<String, Vec<usize>>,
}

impl Members {
    pub(super) fn new(elems: &[Elem<'_>]) -> Members {
        #[cfg(test)]
        super::probes::member(elems.len());
        let mut m = Members {
            sure: HashSet::with_capacity(elems.len()),
            maybe: HashMap::new(),
            kinds: Vec::new(),
            failing: Vec::new(),
            zeros: Vec::new(),
            loose: HashMap::new(),
        };
        for (at, e) in elems.iter().enumerate() {
            let s = match &e.val {
                Val::Scalar(s, _) => s,
                Val::Zero => {
                    m.zeros.push(at);
                    continue;
                }
                _ => {
                    m.failing.push(at);
                    continue;
                }
            };
            if let Scalar::Str(t) = s {
                m.loose.entry(folded(t)).or_default().push(at);
            }
            let k = key(s);
            let kd = kind(&k);
            match m.kinds.iter_mut().find(|(x, _)| *x == kd) {
                Some((_, at_kind)) => at_kind.push(at),
                None => m.kinds.push((kd, vec![at])),
            }
            if e.maybe.is_some() {
                m.maybe.entry(k).or_default().push(at);
            } else {
                m.sure.insert(k);
            }
        }
        m
    }

    /// `x in L` for the list `elems` this index was built from.
    pub(super) fn find(&self, x: &Scalar, elems: &[Elem<'_>], want_why: bool) -> Found {
        #[cfg(test)]
        super::probes::member(1 + self.zeros.len());
        let k = key(x);
        if self.sure.contains(&k) {
            return Found::TRUE;
        }
        let mut zeros = Vec::new();
        for &at in &self.zeros {
            let Some(e) = elems.get(at) else { continue };
            match equal_scalar(x, &e.val) {
                Ok(true) if e.maybe.is_none() => return Found::TRUE,
                Ok(true) | Err(_) => zeros.push(at),
                Ok(false) => {}
            }
        }
        let xk = kind(&k);
        let maybe = self.maybe.get(&k).map_or(&[][..], Vec::as_slice);
        let other_kinds = self.kinds.iter().filter(|(kd, _)| *kd != xk);
        let mut groups: Vec<&[usize]> = vec![maybe, &self.failing, &zeros];
        groups.extend(other_kinds.map(|(_, at)| at.as_slice()));
        let count = groups.iter().map(|g| g.len()).sum();
        let mut why = Vec::new();
        if want_why {
            // Each group is in list order: the first of all are among the first of each.
            for g in &groups {
                why.extend(g.iter().take(ELEMENTS_SHOWN));
            }
            why.sort_unstable();
            why.truncate(ELEMENTS_SHOWN);
        }
        let loose = match x {
            Scalar::Str(t) => self.loose.get(&folded(t)).map_or_else(Vec::new, |at| {
                let unequal = |&&i: &&usize| {
                    elems
                        .get(i)
                        .is_some_and(|e| matches!(&e.val, Val::Scalar(y, _) if loose_pair(x, y) && equal_scalar(x, &e.val) == Ok(false)))
                };
                at.iter().filter(unequal).copied().collect()
            }),
            _ => Vec::new(),
        };
        Found {
            tv: if count > 0 { Tv::Unknown } else { Tv::False },
            why,
            count,
            loose,
        }
    }
}

/// `x in L` for a scalar `x`, by `index` when `L` has one, else by a scan.
pub(super) fn find(
    x: &Scalar,
    elems: &[Elem<'_>],
    index: Option<&Members>,
    want_why: bool,
) -> Found {
    match index {
        Some(index) => index.find(x, elems, want_why),
        None => scan(Some(x), elems, want_why, |v| equal_scalar(x, v)),
    }
}

/// `x in L` by comparing `x` with each element in turn (`equal` compares them; `x`, when it is
/// a scalar, finds the near-miss candidates).
pub(super) fn scan(
    x: Option<&Scalar>,
    elems: &[Elem<'_>],
    want_why: bool,
    mut equal: impl FnMut(&Val<'_>) -> Result<bool, Why>,
) -> Found {
    let (mut why, mut count, mut loose) = (Vec::new(), 0, Vec::new());
    for (at, e) in elems.iter().enumerate() {
        #[cfg(test)]
        super::probes::member(1);
        match equal(&e.val) {
            Ok(true) if e.maybe.is_none() => return Found::TRUE,
            Ok(true) | Err(_) => {
                count += 1;
                if want_why && why.len() < ELEMENTS_SHOWN {
                    why.push(at);
                }
            }
            Ok(false) => {
                if matches!((x, &e.val), (Some(a), Val::Scalar(b, _)) if loose_pair(a, b)) {
                    loose.push(at);
                }
            }
        }
    }
    Found {
        tv: if count > 0 { Tv::Unknown } else { Tv::False },
        why,
        count,
        loose,
    }
}

/// Which kept list an index belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Kept {
    Hoisted(u32),
    Let(usize),
    RootField(usize),
}

impl<'d> Evaluator<'d> {
    /// The index of the list `l`, the value of `list`, for `uses` membership tests: kept for
    /// the deal when `list` reads a kept value, built for these tests when they are several,
    /// None for a short list (scanned).
    pub(super) fn members(&mut self, list: &Expr, l: &Val<'d>, uses: usize) -> Option<Rc<Members>> {
        let Val::List(elems, _) = l else { return None };
        if elems.len() < SCAN {
            return None;
        }
        let Some(kept) = self.kept(list) else {
            return (uses > 1).then(|| Rc::new(Members::new(elems)));
        };
        if let Some(m) = self.members.get(&kept) {
            return Some(m.clone());
        }
        let m = Rc::new(Members::new(elems));
        self.members.insert(kept, m.clone());
        Some(m)
    }

    /// The kept value `list` reads as a whole, if it does: then its value is the same list
    /// every time in the deal.
    fn kept(&self, list: &Expr) -> Option<Kept> {
        if let Some(slot) = list.hoist {
            return (self.in_body()).then_some(Kept::Hoisted(slot));
        }
        match &list.kind {
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => Some(Kept::Let(*i)),
            K::Path {
                base: Base::Root,
                steps,
            } => match steps.as_slice() {
                [one] if !one.map => Some(Kept::RootField(one.field)),
                _ => None,
            },
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use proptest::prelude::*;

    use super::super::super::note::Reason;
    use super::super::super::value::{equal, why, Elem, Origin, Val};
    use super::*;

    /// Scalars of every kind, with values that collide: `1` and `1.0`, `1` and `1%`,
    /// `USD 1` and `EUR 1`, `"a"` and `"A"`.
    fn scalar() -> impl Strategy<Value = Scalar> {
        let exact = prop_oneof![
            Just(Exact::ZERO),
            Just(Exact::ONE),
            Just(Exact::parse("1.0").unwrap()),
            Just(Exact::parse("2.50").unwrap()),
            Just(Exact::parse("2.5").unwrap()),
        ];
        let money = |c: &str| Currency::parse(c).unwrap();
        prop_oneof![
            prop::sample::select(vec!["a", "A", "b", "a "]).prop_map(|s| Scalar::Str(s.into())),
            any::<bool>().prop_map(Scalar::Bool),
            (0i16..2).prop_map(|d| Scalar::Date(jiff::civil::date(2026, 1, 1 + d as i8))),
            exact.clone().prop_map(Scalar::Number),
            exact.clone().prop_map(Scalar::Percent),
            (prop::sample::select(vec!["USD", "EUR"]), exact)
                .prop_map(move |(c, e)| Scalar::Money(money(c), e)),
        ]
    }

    fn elem() -> impl Strategy<Value = Elem<'static>> {
        let val = prop_oneof![
            8 => scalar().prop_map(|s| Val::Scalar(s, Origin::default())),
            1 => Just(Val::Zero),
            1 => Just(Val::Unknown(Rc::new(why(Reason::Null { field: "name".into() })))),
        ];
        (val, prop::bool::weighted(0.2)).prop_map(|(val, maybe)| Elem {
            val,
            maybe: maybe.then(|| Rc::new(why(Reason::IsUnknown("maybe".into())))),
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The index answers as a scan does: the same truth value, the same first reasons in
        /// list order, the same count of reasons.
        #[test]
        fn the_index_answers_as_a_scan(
            elems in prop::collection::vec(elem(), 0..40),
            x in scalar(),
        ) {
            let index = Members::new(&elems);
            let xv = Val::Scalar(x.clone(), Origin::default());
            for want_why in [false, true] {
                let a = index.find(&x, &elems, want_why);
                let b = scan(Some(&x), &elems, want_why, |v| equal(&xv, v));
                prop_assert_eq!(a.tv, b.tv);
                prop_assert_eq!(&a.why, &b.why);
                prop_assert_eq!(a.count, b.count);
                prop_assert_eq!(&a.loose, &b.loose);
            }
        }
    }
}
