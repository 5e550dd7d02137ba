//! Three-valued truth with the facts that decided it, and Kleene connectives over judgements.

use std::rc::Rc;
use std::sync::Arc;

use crate::resolve::ir::Expr;
use crate::syntax::ast::CmpOp;

use super::super::value::{Val, Why};

/// A three-valued truth (SPEC §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tv {
    True,
    False,
    Unknown,
}

impl Tv {
    pub fn negate(self) -> Tv {
        match self {
            Tv::True => Tv::False,
            Tv::False => Tv::True,
            Tv::Unknown => Tv::Unknown,
        }
    }

    /// Kleene `and`.
    pub fn and(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::False, _) | (_, Tv::False) => Tv::False,
            (Tv::Unknown, _) | (_, Tv::Unknown) => Tv::Unknown,
            _ => Tv::True,
        }
    }

    /// Kleene `or`.
    pub fn or(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::True, _) | (_, Tv::True) => Tv::True,
            (Tv::Unknown, _) | (_, Tv::Unknown) => Tv::Unknown,
            _ => Tv::False,
        }
    }
}

/// A fact that decided a truth value. Facts keep values, not text: they are rendered only
/// when a report needs them.
#[derive(Clone, Debug)]
pub enum Fact<'d> {
    /// A comparison or membership test and its result.
    Test(Box<TestFact<'d>>),
    /// A value was unknown.
    Unknown(Rc<Why>),
    /// A sentence: "no foreign partner", "holds vacuously".
    Note(String),
    /// A deal value that went into a computed one (an element of a total, a divisor).
    Part { subject: Arc<str>, value: Val<'d> },
}

/// One test: `value op bound`, and whether it held.
#[derive(Clone, Debug)]
pub struct TestFact<'d> {
    pub subject: Arc<str>,
    /// The element-side value, with its origin in the deal.
    pub value: Val<'d>,
    pub op: &'static str,
    pub bound: Bound<'d>,
    pub held: bool,
    /// For ordered comparisons, the operator (margins and help lines come from it).
    pub cmp: Option<CmpOp>,
}

/// What a value was tested against.
#[derive(Clone, Debug)]
pub enum Bound<'d> {
    Val(Val<'d>),
    Text(String),
}

/// A truth value with the facts that decided it (collected only when asked).
#[derive(Clone, Debug)]
pub struct Judgement<'d> {
    pub tv: Tv,
    pub facts: Vec<Fact<'d>>,
}

impl Judgement<'_> {
    pub(super) fn of(tv: Tv) -> Self {
        Judgement {
            tv,
            facts: Vec::new(),
        }
    }
}

pub(super) fn test_fact<'d>(
    subject: &Expr,
    x: &Val<'d>,
    op: &'static str,
    bound: Bound<'d>,
    held: bool,
    cmp: Option<CmpOp>,
) -> Fact<'d> {
    Fact::Test(Box::new(TestFact {
        subject: subject.text.clone(),
        value: x.clone(),
        op,
        bound,
        held,
        cmp,
    }))
}

/// Kleene `and`, keeping the facts of the deciding side.
pub fn and<'d>(x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
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
pub fn or<'d>(x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
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
pub(super) fn implies<'d>(m: Judgement<'d>, b: Judgement<'d>) -> Judgement<'d> {
    or(
        Judgement {
            tv: m.tv.negate(),
            facts: m.facts,
        },
        b,
    )
}

fn merge<'d>(tv: Tv, mut x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
    if !y.facts.is_empty() {
        x.facts.extend(y.facts);
    }
    x.tv = tv;
    x
}

/// Kleene conjunction over many parts.
pub fn every<'d>(parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let tv = if parts.iter().any(|p| p.tv == Tv::False) {
        Tv::False
    } else if parts.iter().any(|p| p.tv == Tv::Unknown) {
        Tv::Unknown
    } else {
        Tv::True
    };
    collect_facts(tv, parts)
}

/// Kleene disjunction over many parts.
pub fn some<'d>(parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let tv = if parts.iter().any(|p| p.tv == Tv::True) {
        Tv::True
    } else if parts.iter().any(|p| p.tv == Tv::Unknown) {
        Tv::Unknown
    } else {
        Tv::False
    };
    collect_facts(tv, parts)
}

fn collect_facts<'d>(tv: Tv, parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let facts = parts
        .into_iter()
        .filter(|p| p.tv == tv)
        .flat_map(|p| p.facts)
        .collect();
    Judgement { tv, facts }
}
