//! The facts an evaluation keeps: three-valued truth, and what decided it (tests, unknowns,
//! notes, parts of computed values). Apart from the judgements that carry them, so that the
//! collecting modes and the evidence both read them without reading the evaluator.

use std::rc::Rc;
use std::sync::Arc;

use crate::source::Span;

use super::super::conversion::ConversionShown;
use super::super::holdings::{ControllerShown, GroupShown, LookThroughShown};
use super::super::note::{Computed, Note};
use super::super::shown::{Op, TableRowShown};
use super::super::value::{ItemRef, Val, Why};

/// A three-valued truth (SPEC §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// What a quantifier found: that it held vacuously, that nothing matched, how many did.
    Note(Note),
    /// A deal value that went into a computed one (an element of a total, a divisor).
    Part { subject: Arc<str>, value: Val<'d> },
    /// A field found absent or present (`is missing`, `is present`, SPEC §8).
    Presence(Box<PresenceFact<'d>>),
    /// The elements left out past [`ELEMENTS_SHOWN`](crate::eval::outcome::ELEMENTS_SHOWN): `count` more of the list written `of`,
    /// for the enclosing element `within`, if any.
    More(Box<More<'d>>),
    /// A look-through value with its paths (SPEC §7.2), for the element `of`, if any.
    LookThrough(Rc<LookThroughShown<Option<Span>>>, Option<ItemRef<'d>>),
    /// The chain of control of an entity (SPEC §7.3).
    Controller(Rc<ControllerShown<Option<Span>>>),
    /// One value of `AGG X per K` with its key and members (SPEC §7.3).
    Group(Rc<GroupShown>),
    /// A date computed from a date (SPEC §9): the shift as written, what it computed, and the
    /// date it moved (with its place in the deal).
    Computed(Box<(Arc<str>, Computed, Val<'d>)>),
    /// The row of a lookup table that gave a value (SPEC §8).
    TableRow(Rc<TableRowShown>),
    /// An amount converted to another currency (SPEC §11), for the element `of`, if any.
    Conversion(Rc<ConversionShown>, Option<ItemRef<'d>>),
}

/// Where elements were left out of the evidence: see [`Fact::More`].
#[derive(Clone, Debug)]
pub struct More<'d> {
    pub count: usize,
    pub of: Arc<str>,
    pub within: Option<ItemRef<'d>>,
}

/// A presence test on one record.
#[derive(Clone, Debug)]
pub struct PresenceFact<'d> {
    /// The field tested, or the field on the way to it that is absent.
    pub field: Arc<str>,
    pub absent: bool,
    /// Whether the test (`is missing` or `is present`) held.
    pub held: bool,
    /// The record that holds (or lacks) the field, or the absent value on the way to it.
    pub at: Val<'d>,
}

/// One test: `value op bound`, and whether it held.
#[derive(Clone, Debug)]
pub struct TestFact<'d> {
    pub subject: Arc<str>,
    /// The element-side value, with its origin in the deal.
    pub value: Val<'d>,
    pub op: Op,
    pub bound: Against<'d>,
    pub held: bool,
}

/// What a value was tested against.
#[derive(Clone, Debug)]
pub enum Against<'d> {
    Val(Val<'d>),
    /// A yes/no condition, tested for being true.
    True,
    /// `is within tolerance of around`.
    Tolerance {
        around: Val<'d>,
        tolerance: Val<'d>,
    },
}
