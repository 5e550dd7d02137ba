//! Three-valued truth with the facts that decided it, and Kleene connectives over judgements.

use std::sync::Arc;

use crate::resolve::ir::Expr;

use super::super::outcome::ELEMENTS_SHOWN;
use super::super::shown::Op;
use super::super::value::{ItemRef, Val};
use super::collect::{Collect, Facts};
use super::fact::{Against, Fact, More, TestFact, Tv};

/// A truth value with the facts that decided it, as the mode `C` keeps them.
#[derive(Clone, Debug)]
pub struct Judgement<'d, C: Collect> {
    pub tv: Tv,
    pub facts: C::Facts<'d>,
}

impl<'d, C: Collect> Judgement<'d, C> {
    pub fn of(tv: Tv) -> Self {
        Judgement {
            tv,
            facts: Default::default(),
        }
    }

    /// The judgement of `not`: the truth value negated, the facts kept.
    pub fn negated(self) -> Self {
        Judgement {
            tv: self.tv.negate(),
            facts: self.facts,
        }
    }
}

pub(super) fn test_fact<'d>(
    subject: &Expr,
    x: &Val<'d>,
    op: Op,
    bound: Against<'d>,
    held: bool,
) -> Fact<'d> {
    Fact::Test(Box::new(TestFact {
        subject: subject.text.clone(),
        value: x.clone(),
        op,
        bound,
        held,
    }))
}

/// Kleene `and`, keeping the facts of the deciding side.
pub fn and<'d, C: Collect>(x: Judgement<'d, C>, y: Judgement<'d, C>) -> Judgement<'d, C> {
    match (x.tv, y.tv) {
        (Tv::False, Tv::False) => merge(Tv::False, x, y),
        (Tv::False, _) => x,
        (_, Tv::False) => y,
        (Tv::Unknown, Tv::Unknown) => merge(Tv::Unknown, x, y),
        (Tv::Unknown, _) => x,
        (_, Tv::Unknown) => y,
        _ => merge(Tv::True, x, y),
    }
}

/// Kleene `or`, keeping the facts of the deciding side.
pub fn or<'d, C: Collect>(x: Judgement<'d, C>, y: Judgement<'d, C>) -> Judgement<'d, C> {
    match (x.tv, y.tv) {
        (Tv::True, Tv::True) => merge(Tv::True, x, y),
        (Tv::True, _) => x,
        (_, Tv::True) => y,
        (Tv::Unknown, Tv::Unknown) => merge(Tv::Unknown, x, y),
        (Tv::Unknown, _) => x,
        (_, Tv::Unknown) => y,
        _ => merge(Tv::False, x, y),
    }
}

/// `not m or b` for a quantifier element.
pub(super) fn implies<'d, C: Collect>(
    m: Judgement<'d, C>,
    b: Judgement<'d, C>,
) -> Judgement<'d, C> {
    or(m.negated(), b)
}

fn merge<'d, C: Collect>(tv: Tv, mut x: Judgement<'d, C>, y: Judgement<'d, C>) -> Judgement<'d, C> {
    x.facts.append(y.facts);
    x.tv = tv;
    x
}

/// The elements of a quantifier or an implicit each, one judgement per element, combined as
/// they come: how many of each truth value there were, and the facts of the first
/// [`ELEMENTS_SHOWN`] of each (with many elements, listing them all cost memory quadratic in
/// the deal for nested quantifiers).
pub(super) struct Parts<'d, C: Collect> {
    count: [usize; 3],
    facts: [C::Facts<'d>; 3],
}

fn slot(tv: Tv) -> usize {
    match tv {
        Tv::True => 0,
        Tv::False => 1,
        Tv::Unknown => 2,
    }
}

impl<'d, C: Collect> Parts<'d, C> {
    pub(super) fn new() -> Self {
        Parts {
            count: [0; 3],
            facts: Default::default(),
        }
    }

    pub(super) fn push(&mut self, j: Judgement<'d, C>) {
        let i = slot(j.tv);
        if let (Some(n), Some(facts)) = (self.count.get_mut(i), self.facts.get_mut(i)) {
            *n += 1;
            if *n <= ELEMENTS_SHOWN {
                facts.append(j.facts);
            }
        }
    }

    /// Whether some truth value has its facts already: then an element's value is worth
    /// finding quickly (facts not collected) before collecting its facts.
    pub(super) fn any_full(&self) -> bool {
        self.count.iter().any(|&n| n >= ELEMENTS_SHOWN)
    }

    /// Whether the facts of an element that is `tv` would be kept.
    pub(super) fn wants(&self, tv: Tv) -> bool {
        self.count(tv) < ELEMENTS_SHOWN
    }

    /// Count an element that is `tv` whose facts are not kept.
    pub(super) fn count_only(&mut self, tv: Tv) {
        if let Some(n) = self.count.get_mut(slot(tv)) {
            *n += 1;
        }
    }

    /// How many elements were `tv`.
    pub(super) fn count(&self, tv: Tv) -> usize {
        self.count.get(slot(tv)).copied().unwrap_or(0)
    }

    /// Kleene conjunction: false if any element is, else unknown if any is, else true.
    /// `listed` names the list, for a count of elements left out.
    pub(super) fn every(self, listed: impl FnOnce() -> Listed<'d>) -> Judgement<'d, C> {
        let tv = if self.count(Tv::False) > 0 {
            Tv::False
        } else if self.count(Tv::Unknown) > 0 {
            Tv::Unknown
        } else {
            Tv::True
        };
        self.take(tv, listed)
    }

    /// Kleene disjunction: true if any element is, else unknown if any is, else false.
    pub(super) fn some(self, listed: impl FnOnce() -> Listed<'d>) -> Judgement<'d, C> {
        let tv = if self.count(Tv::True) > 0 {
            Tv::True
        } else if self.count(Tv::Unknown) > 0 {
            Tv::Unknown
        } else {
            Tv::False
        };
        self.take(tv, listed)
    }

    /// `tv`, with the facts of the elements that were `tv` (and how many more there were).
    pub(super) fn take(self, tv: Tv, listed: impl FnOnce() -> Listed<'d>) -> Judgement<'d, C> {
        let i = slot(tv);
        let count = self.count(tv);
        let mut facts = self.facts.into_iter().nth(i).unwrap_or_default();
        if count > ELEMENTS_SHOWN {
            facts.push(|| listed().more(count - ELEMENTS_SHOWN));
        }
        Judgement { tv, facts }
    }
}

/// What a [`Fact::More`] names: the list (as written) and the enclosing element.
pub(super) struct Listed<'d> {
    pub of: Arc<str>,
    pub within: Option<ItemRef<'d>>,
}

impl<'d> Listed<'d> {
    pub(super) fn more(&self, count: usize) -> Fact<'d> {
        Fact::More(Box::new(More {
            count,
            of: self.of.clone(),
            within: self.within,
        }))
    }
}
