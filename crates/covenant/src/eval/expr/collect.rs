//! What an evaluation collects besides truth values, as a type parameter of the evaluator's
//! functions: one evaluator, compiled once per mode, so that a mode that collects nothing
//! pays nothing for facts.
//!
//! - [`Quick`]: truth values only (the first pass of `check`; the elements past those that
//!   evidence names; filters).
//! - [`WithEvidence`]: truth values and the facts that decided them (evidence for reports).
//! - [`Tracing`]: evidence, and for `explain` each quantifier's and implicit each's elements
//!   with their truth values ([`Record`]).

use std::fmt::Debug;
use std::rc::Rc;

use super::super::value::{Elem, Val, Why};
use super::fact::{Fact, Tv};

/// A mode of evaluation.
pub trait Collect: Sized + 'static {
    /// Whether facts are kept: code that builds them is compiled away when they are not, and
    /// the first element (or operand) that decides a result ends its evaluation.
    const FACTS: bool;
    /// Whether `explain`'s records are kept.
    const TRACE: bool;
    /// What a judgement keeps besides its truth value.
    type Facts<'d>: Facts<'d>;
}

/// Truth values only.
#[derive(Clone, Copy, Debug)]
pub struct Quick;

/// Truth values and the facts that decided them.
#[derive(Clone, Copy, Debug)]
pub struct WithEvidence;

/// Evidence, and the elements `explain` lists.
#[derive(Clone, Copy, Debug)]
pub struct Tracing;

impl Collect for Quick {
    const FACTS: bool = false;
    const TRACE: bool = false;
    type Facts<'d> = NoFacts;
}

impl Collect for WithEvidence {
    const FACTS: bool = true;
    const TRACE: bool = false;
    type Facts<'d> = Vec<Fact<'d>>;
}

impl Collect for Tracing {
    const FACTS: bool = true;
    const TRACE: bool = true;
    type Facts<'d> = Traced<'d>;
}

/// The facts of a judgement, as a mode keeps them.
pub trait Facts<'d>: Default + Clone + Debug {
    /// Keep the fact `f` makes (called only when facts are kept).
    fn push(&mut self, f: impl FnOnce() -> Fact<'d>);

    /// Keep `other`'s facts after these.
    fn append(&mut self, other: Self);

    fn as_slice(&self) -> &[Fact<'d>];

    fn into_vec(self) -> Vec<Fact<'d>>;

    /// Keep what `explain` lists of the expression judged (called only when tracing).
    fn record(&mut self, _r: impl FnOnce() -> Record<'d>) {}

    fn take_record(&mut self) -> Option<Record<'d>> {
        None
    }
}

/// No facts.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFacts;

impl<'d> Facts<'d> for NoFacts {
    #[inline]
    fn push(&mut self, _f: impl FnOnce() -> Fact<'d>) {}

    #[inline]
    fn append(&mut self, _other: Self) {}

    fn as_slice(&self) -> &[Fact<'d>] {
        &[]
    }

    fn into_vec(self) -> Vec<Fact<'d>> {
        Vec::new()
    }
}

impl<'d> Facts<'d> for Vec<Fact<'d>> {
    fn push(&mut self, f: impl FnOnce() -> Fact<'d>) {
        if self.capacity() == 0 {
            // Room for a few at once, as the first push would make, without growing.
            *self = Vec::with_capacity(4);
        }
        Vec::push(self, f());
    }

    fn append(&mut self, other: Self) {
        if self.is_empty() {
            // `other`'s buffer is taken as it is: no allocation.
            *self = other;
        } else if !other.is_empty() {
            self.extend(other);
        }
    }

    fn as_slice(&self) -> &[Fact<'d>] {
        self
    }

    fn into_vec(self) -> Vec<Fact<'d>> {
        self
    }
}

/// Facts, and the record of the expression judged (not of the ones within it).
#[derive(Clone, Debug, Default)]
pub struct Traced<'d> {
    facts: Vec<Fact<'d>>,
    record: Option<Box<Record<'d>>>,
}

impl<'d> Facts<'d> for Traced<'d> {
    fn push(&mut self, f: impl FnOnce() -> Fact<'d>) {
        self.facts.push(f());
    }

    /// The facts of a part, without its record: a record belongs to the part's expression.
    fn append(&mut self, other: Self) {
        self.facts.extend(other.facts);
    }

    fn as_slice(&self) -> &[Fact<'d>] {
        &self.facts
    }

    fn into_vec(self) -> Vec<Fact<'d>> {
        self.facts
    }

    fn record(&mut self, r: impl FnOnce() -> Record<'d>) {
        self.record = Some(Box::new(r()));
    }

    fn take_record(&mut self) -> Option<Record<'d>> {
        self.record.take().map(|r| *r)
    }
}

/// What `explain` lists of a quantifier or an implicit each: its elements as the evaluator
/// judged them.
#[derive(Clone, Debug)]
pub enum Record<'d> {
    /// The elements of an implicit each or a must-form, each with its test's truth as the
    /// each combines them (for `must not`, the predicate's negated), before a filter's maybe.
    Each(Vec<(Val<'d>, Tv)>),
    /// The elements of a quantifier, in order.
    Quant(Vec<QuantElement<'d>>),
    /// A quantifier's list, unknown.
    UnknownList(Rc<Why>),
}

/// One element of a quantifier: whether it is a member (its filter, and the maybe of a
/// filtered list) and, for a member, its body's truth.
#[derive(Clone, Debug)]
pub struct QuantElement<'d> {
    pub val: Val<'d>,
    pub member: Tv,
    pub body: Option<Tv>,
}

impl<'d> QuantElement<'d> {
    pub(super) fn of(e: &Elem<'d>, member: Tv, body: Tv) -> Self {
        QuantElement {
            val: e.val.clone(),
            member,
            body: (member != Tv::False).then_some(body),
        }
    }
}
