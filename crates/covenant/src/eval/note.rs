//! Typed notes: what a piece of evidence says, and why a value is unknown. The sentences are
//! written by `report::prose`.

use std::sync::Arc;

use crate::number::Exact;
use crate::value::Currency;

use super::conversion::{ConversionShown, NoRate};
use super::holdings::{ControllerShown, GroupShown, LookThroughShown};
use super::shown::{DealLocation, Shown, TableRowShown};

/// What a piece of evidence says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Note {
    /// A test of the evidence's value against its bound, and whether it held.
    Test {
        subject: Arc<str>,
        held: bool,
    },
    /// A deal value that went into a computed one (an element of a total, a divisor).
    Part {
        subject: Arc<str>,
    },
    /// A field is absent from the deal (after defaults), or present (SPEC §8).
    Presence {
        field: Arc<str>,
        absent: bool,
    },
    /// A value the rule needs is unknown.
    Unknown(Reason),
    Vacuous(Vacuous),
    /// No element of a `some` or `no` matched.
    NoneMatches {
        item: Arc<str>,
    },
    /// How many elements of a counting quantifier matched, and how many may.
    Counted {
        item: Arc<str>,
        sure: u64,
        maybe: u64,
    },
    /// Elements left out of the evidence (the evidence's `more` says how many) of the list
    /// written `of`.
    More {
        of: Arc<str>,
    },
    /// A rule with an effective window, and a deal without the date it tests (`date`, or
    /// the field of its `on`, SPEC §9).
    NoDate {
        field: Arc<str>,
    },
    /// A date computed from a deal date (SPEC §9): `2024-07-11 + 30 days = 2024-08-10`.
    ComputedDate {
        subject: Arc<str>,
        computed: Computed,
    },
    /// A note of an exemption that was unknown, and so did not apply.
    ExemptionUnknown {
        clause: Arc<str>,
        inner: Box<Note>,
    },
    /// A valid party-scoped approval (SPEC §10), named so, whose parties do not cover the
    /// failure: the rule does not hold even with them counted as meeting its tests.
    NotCovered {
        approval: Arc<str>,
        parties: Vec<Arc<str>>,
    },
    /// A look-through value and its paths (SPEC §7.2).
    LookThrough(Box<LookThroughShown<Option<DealLocation>>>),
    /// The chain of control of an entity (SPEC §7.3).
    Controller(Box<ControllerShown<Option<DealLocation>>>),
    /// One value of `AGG X per K` with its key and members (SPEC §7.3).
    Group(Box<GroupShown>),
    /// The row of a lookup table that gave a value (SPEC §8).
    TableRow(Box<TableRowShown>),
    /// An amount converted to another currency, with its rate (SPEC §11).
    Conversion(Box<ConversionShown>),
    /// The rule is not applicable: the rule named so applies and overrides it (SPEC §14).
    Overridden(Arc<str>),
}

/// Why a condition held with nothing to test.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Vacuous {
    /// `every` over no element (`item` names them).
    NoItems(Arc<str>),
    /// An implicit each, or a must-form, over an empty list written `subject`.
    Empty(Arc<str>),
}

/// What needed a list and got none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NeedsList {
    Membership,
    Quantifier,
    Aggregate,
}

/// Which of the evaluator's own invariants failed (a bug to report).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Internal {
    UnknownDefinition,
    NoCurrentItem,
    ItemOutOfScope,
    StepOnScalar,
    /// Two rows of a table matched, which its compile-time checks rule out (SPEC §8).
    TableRows,
    /// A conversion met an amount that is not money, or a D that is not a date, or names no
    /// rate table (the type checker allows none of these).
    BadConversion,
}

/// Why a value is unknown.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Reason {
    /// The field is absent from its record.
    Missing {
        field: Arc<str>,
    },
    /// The field is `null`.
    Null {
        field: Arc<str>,
    },
    /// A division by zero (SPEC §2.5), with the divisor as written and its value when known.
    DivisionByZero {
        divisor: Option<Box<(Arc<str>, Shown)>>,
    },
    Overflow,
    /// A deal string (first) that differs from a policy literal (second) only in case or
    /// surrounding white space (SPEC §2.6).
    NearMiss(Box<(String, String)>),
    CurrenciesDiffer(Currency, Currency),
    /// Values of these kinds cannot be added, subtracted or compared (the values, whose
    /// kinds the report names).
    CannotCombine(Box<(Shown, Shown)>),
    CannotMultiply(Box<(Shown, Shown)>),
    CannotDivide(Box<(Shown, Shown)>),
    /// A total of an empty list and a value that is no amount.
    CannotCompareTotal,
    CannotCompare,
    NeedsList(NeedsList),
    /// `max`, `min` or `average` of an empty list.
    EmptyList,
    NeedsSingleValues,
    /// The condition written so gave a value that is not yes/no.
    NotTrueOrFalse(Arc<str>),
    /// The condition written so is unknown.
    IsUnknown(Arc<str>),
    Internal(Internal),
    /// The owners of an entity (or the parties of the JV) add up to less than 100% of the
    /// measure: the rest is held by holders not listed (SPEC §7.1, §7.2).
    UnlistedOwners(Box<Unlisted>),
    /// Two owners of an entity each control it (SPEC §7.3).
    JointControl(Box<Joint>),
    /// The owners of an entity (or the parties of the JV) add up to more than 100% of the
    /// measure: who holds it is unknown (SPEC §7.1).
    OwnersOver100(Box<Over100>),
    /// The owner edges through the entity named so form a cycle (a deal the loader rejects).
    OwnershipCycle(Arc<str>),
    /// An owner edge (or a key) names no entity of the deal.
    NoSuchEntity(Arc<str>),
    /// A duration of a fraction of its unit (SPEC §9).
    FractionalDuration(Box<Computed>),
    /// A computed date outside the years 1 to 9999 (SPEC §9).
    DateRange(Box<Computed>),
    /// A working day in a year the calendar does not cover (SPEC §9).
    OutsideCalendar(Box<Outside>),
    /// `evaluation date` without `--as-of`, in a rule whose date (D, SPEC §9) is missing:
    /// the field of D.
    NoEvaluationDate {
        field: Arc<str>,
    },
    /// No row of a lookup table matches its keys, and it has no `otherwise` (SPEC §8).
    NoRow(Box<NoRow>),
    /// The rate file gives no rate of the pair on the date or the 7 days before (SPEC §11).
    NoRate(Box<NoRate>),
    /// The rule fails, and the rules named so, whose applicability is unknown, may override
    /// it (SPEC §14).
    MayBeOverridden(Box<[Arc<str>]>),
}

/// A date moved by a duration (SPEC §9), and the result when there is one.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Computed {
    pub from: jiff::civil::Date,
    /// `-` (else `+`).
    pub back: bool,
    pub amount: Exact,
    pub unit: crate::dates::DurationUnit,
    pub to: Option<jiff::civil::Date>,
}

/// A working day the calendar does not cover.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Outside {
    pub computed: Computed,
    /// The first day that needs a year the calendar does not list.
    pub day: jiff::civil::Date,
    /// The calendar's name, and the first and last year it covers.
    pub calendar: Arc<str>,
    pub first: i64,
    pub last: i64,
}

/// The table written `table` (its definition's name) and its keys, as written with their
/// values, that no row matched.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoRow {
    pub table: Arc<str>,
    pub keys: Vec<(Arc<str>, Shown)>,
}

/// The owners of `entity` (None: the parties of the JV) add up to `listed` (a percent under
/// 100%) of its `measure`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Unlisted {
    pub entity: Option<Arc<str>>,
    pub measure: Arc<str>,
    pub listed: Exact,
}

/// The owners of `entity` (None: the parties of the JV) add up to `total` (a percent over
/// 100%) of `measure`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Over100 {
    pub entity: Option<Arc<str>>,
    pub measure: Arc<str>,
    pub total: Exact,
}

/// `by` (two owners) each control `entity`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Joint {
    pub entity: Arc<str>,
    pub by: (Arc<str>, Arc<str>),
}
