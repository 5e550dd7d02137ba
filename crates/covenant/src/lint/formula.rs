//! Formulas for the interval reasoning of `never-passes`, `never-fails` and `always-false-when`.
//!
//! A clause is turned into a formula over *atoms*: one phrase (a key) compared with constants.
//! Quantifiers and implicit each become `Every` / `Some` over a list key, whose body talks
//! about the list's element (the key `elem(<list>)`). Anything the reasoning does not
//! understand becomes a true/false atom keyed by its text, so it can still meet its own
//! negation but never decides anything else.

use std::sync::Arc;

use jiff::civil::Date;

use crate::number::Exact;
use crate::resolve::ir::Loc;
use crate::syntax::ast::CmpOp;
use crate::value::{Currency, Scalar};

/// More DNF terms than this and the reasoning gives up (and reports nothing).
pub const MAX_TERMS: usize = 256;

/// A constant a phrase is compared with. A key only ever meets points of one kind.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Point {
    Num(Exact),
    Date(Date),
    Str(Arc<str>),
    Bool(bool),
}

/// The unit of a key's values; part of the key, so `USD` and `EUR` bounds never meet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Number,
    Percent,
    Money(Currency),
    Date,
    Str,
    Bool,
}

impl Unit {
    pub fn tag(self) -> String {
        match self {
            Unit::Number => "num".into(),
            Unit::Percent => "pct".into(),
            Unit::Money(c) => c.to_string(),
            Unit::Date => "date".into(),
            Unit::Str => "str".into(),
            Unit::Bool => "bool".into(),
        }
    }

    /// Values of this unit have an order (bounds make sense).
    pub fn ordered(self) -> bool {
        !matches!(self, Unit::Str | Unit::Bool)
    }
}

impl Point {
    pub fn of(s: &Scalar) -> (Point, Unit) {
        match s {
            Scalar::Number(n) => (Point::Num(*n), Unit::Number),
            Scalar::Percent(p) => (Point::Num(*p), Unit::Percent),
            Scalar::Money(c, a) => (Point::Num(*a), Unit::Money(*c)),
            Scalar::Date(d) => (Point::Date(*d), Unit::Date),
            Scalar::Str(s) => (Point::Str(s.to_arc()), Unit::Str),
            Scalar::Bool(b) => (Point::Bool(*b), Unit::Bool),
            // Only a deal holds `never` (SPEC §10), never a policy constant lint reasons about;
            // were it one, it would order after every date.
            Scalar::Never => (Point::Date(jiff::civil::Date::MAX), Unit::Date),
        }
    }

    /// The point written as in a policy (`40%`, `USD 5M`, `"US"`).
    pub fn show(&self, unit: Unit) -> String {
        let scalar = match (self, unit) {
            (Point::Num(n), Unit::Percent) => Scalar::Percent(*n),
            (Point::Num(n), Unit::Money(c)) => Scalar::Money(c, *n),
            (Point::Num(n), _) => Scalar::Number(*n),
            (Point::Date(d), _) => Scalar::Date(*d),
            (Point::Str(s), _) => Scalar::Str(s.clone().into()),
            (Point::Bool(b), _) => Scalar::Bool(*b),
        };
        scalar.to_string()
    }
}

/// What an atom says about its key's value.
#[derive(Clone, Debug)]
pub enum Cons {
    Cmp(CmpOp, Point),
    In(Vec<Point>),
    NotIn(Vec<Point>),
}

impl Cons {
    pub fn negated(&self) -> Cons {
        match self {
            Cons::Cmp(op, p) => Cons::Cmp(op.negated(), p.clone()),
            Cons::In(ps) => Cons::NotIn(ps.clone()),
            Cons::NotIn(ps) => Cons::In(ps.clone()),
        }
    }
}

/// One phrase compared with constants.
#[derive(Clone, Debug)]
pub struct Atom {
    pub key: String,
    pub unit: Unit,
    pub cons: Cons,
    pub loc: Loc,
    /// The phrase as written, for messages.
    pub subject: Box<str>,
    /// The whole condition as written (`board seats > 11`).
    pub text: Box<str>,
    /// The atom says the opposite of the condition as written (it sits under a `not`, a `no`
    /// or a negated clause).
    pub flipped: bool,
}

impl Atom {
    /// `` `board seats` is more than 11 ``
    pub fn describe(&self) -> String {
        let list = |ps: &[Point]| {
            let shown: Vec<String> = ps.iter().map(|p| p.show(self.unit)).collect();
            format!("[{}]", shown.join(", "))
        };
        let what = match &self.cons {
            Cons::Cmp(op, p) => {
                let v = p.show(self.unit);
                match op {
                    CmpOp::Lt => format!("less than {v}"),
                    CmpOp::Le => format!("at most {v}"),
                    CmpOp::Gt => format!("more than {v}"),
                    CmpOp::Ge => format!("at least {v}"),
                    CmpOp::Eq => v,
                    CmpOp::Ne => format!("not {v}"),
                }
            }
            Cons::In(ps) => match ps.as_slice() {
                [p] => p.show(self.unit),
                [] => "in an empty list".into(),
                _ => format!("one of {}", list(ps)),
            },
            Cons::NotIn(ps) => match ps.as_slice() {
                [Point::Bool(b)] => (!b).to_string(),
                [p] => format!("not {}", p.show(self.unit)),
                _ => format!("not one of {}", list(ps)),
            },
        };
        format!("`{}` is {what}", self.subject)
    }

    pub fn negated(&self) -> Atom {
        Atom {
            cons: self.cons.negated(),
            flipped: !self.flipped,
            ..self.clone()
        }
    }
}

/// `Every` / `Some` over the elements of the list `list`.
#[derive(Clone, Debug)]
pub struct Quant {
    pub list: String,
    /// The list as written, for messages.
    pub shown: Box<str>,
    pub body: Box<F>,
}

/// A formula in negation normal form.
#[derive(Clone, Debug)]
pub enum F {
    Const(bool, Loc),
    Atom(Atom),
    And(Vec<F>),
    Or(Vec<F>),
    Every(Quant),
    Some(Quant),
    /// A formula known only by what it implies: `pos` when it holds, `neg` when it fails.
    Pair(Box<F>, Box<F>),
}

impl F {
    pub fn negate(self) -> F {
        match self {
            F::Const(b, loc) => F::Const(!b, loc),
            F::Atom(a) => F::Atom(a.negated()),
            F::And(xs) => F::Or(xs.into_iter().map(F::negate).collect()),
            F::Or(xs) => F::And(xs.into_iter().map(F::negate).collect()),
            F::Every(q) => F::Some(Quant {
                body: Box::new(q.body.negate()),
                ..q
            }),
            F::Some(q) => F::Every(Quant {
                body: Box::new(q.body.negate()),
                ..q
            }),
            F::Pair(pos, neg) => F::Pair(neg, pos),
        }
    }

    /// True when the formula mentions some phrase (it is not made of constants only).
    pub fn has_atoms(&self) -> bool {
        match self {
            F::Const(..) => false,
            F::Atom(_) | F::Every(_) | F::Some(_) => true,
            F::And(xs) | F::Or(xs) => xs.iter().any(F::has_atoms),
            F::Pair(p, n) => p.has_atoms() || n.has_atoms(),
        }
    }
}

/// A literal of a DNF term.
#[derive(Clone, Debug)]
pub enum Lit {
    False(Loc),
    Atom(Atom),
    Every(Quant),
    Some(Quant),
}

/// The formula as a disjunction of conjunctions; None when that would exceed [`MAX_TERMS`].
pub fn dnf(f: &F) -> Option<Vec<Vec<Lit>>> {
    match f {
        F::Const(true, _) => Some(vec![Vec::new()]),
        F::Const(false, loc) => Some(vec![vec![Lit::False(*loc)]]),
        F::Atom(a) => Some(vec![vec![Lit::Atom(a.clone())]]),
        F::Every(q) => Some(vec![vec![Lit::Every(q.clone())]]),
        F::Some(q) => Some(vec![vec![Lit::Some(q.clone())]]),
        F::Pair(pos, _) => dnf(pos),
        F::Or(xs) => {
            let mut out = Vec::new();
            for x in xs {
                out.extend(dnf(x)?);
                if out.len() > MAX_TERMS {
                    return None;
                }
            }
            Some(out)
        }
        F::And(xs) => {
            let mut out: Vec<Vec<Lit>> = vec![Vec::new()];
            for x in xs {
                let mut terms = dnf(x)?;
                if terms.len() == 1 {
                    // One term (an atom, most often): added to each term in place, so that a
                    // long chain of `and` is not copied once per operand.
                    let t = terms.pop().unwrap_or_default();
                    for a in &mut out {
                        a.extend(t.iter().cloned());
                    }
                    continue;
                }
                if out.len().saturating_mul(terms.len()) > MAX_TERMS {
                    return None;
                }
                let mut next = Vec::with_capacity(out.len() * terms.len());
                for a in &out {
                    for b in &terms {
                        let mut t = a.clone();
                        t.extend(b.iter().cloned());
                        next.push(t);
                    }
                }
                out = next;
            }
            Some(out)
        }
    }
}
