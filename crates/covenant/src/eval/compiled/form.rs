//! The compiled forms of the quick pass: conditions, scalar operands and lists of records, each
//! a reading of the deal's typed slots in place. A form is built only for an expression whose
//! meaning it has exactly; everything else stays with the evaluator.

use crate::syntax::ast::{ArithOp, CmpOp, QuantKind};
use crate::value::Scalar;

/// Where a record is read from: the deal root, or item `d` of the enclosing quantifiers and
/// filters (0 is the innermost).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Base {
    Root,
    Item(usize),
}

/// A list of records: a list field (`parties`), or a `let` that filters one (`american
/// partner`), computed once per deal.
#[derive(Clone, Debug)]
pub(crate) enum Records {
    Field {
        base: Base,
        field: usize,
    },
    Let(usize),
    /// `entities` (SPEC §7.1): every entity, the parties first, as the evaluator lists them
    /// (read from the deal's evaluator).
    AllEntities,
}

/// One scalar field read on each record of a list (`american partner stake`).
#[derive(Clone, Debug)]
pub(crate) struct Projection {
    pub records: Records,
    pub field: usize,
}

/// A list field of scalars (`transfers`), read in place.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListField {
    pub base: Base,
    pub field: usize,
}

/// A scalar operand.
#[derive(Clone, Debug)]
pub(crate) enum Num {
    Const(Scalar),
    /// A scalar field of a record, read in place: the record at `base`, then the record in
    /// each field of `via` (`board` of `board seats`), then `field`.
    Field {
        base: Base,
        via: Vec<usize>,
        field: usize,
    },
    /// `count of` a list of records.
    Count(Records),
    /// `total` of a projection of numbers, percents or money; `zero` is the total of an empty
    /// list for a number or percent (None for money: its empty total is the evaluator's).
    Total {
        of: Projection,
        zero: Option<Scalar>,
    },
    /// `first op t op t …`, left to right.
    Arith {
        first: Box<Num>,
        rest: Vec<(ArithOp, Num)>,
    },
    /// An item definition that is a lookup table (SPEC §8) with one value per record, read on
    /// the record at `base` (`state cap` inside `every party: …`).
    Table {
        base: Base,
        table: Box<TableForm>,
    },
    /// `look-through M of S in deal` (SPEC §7.2), proportional: the share the records of
    /// `holders` (all of them surely, or the form gives None) hold of the deal through every
    /// chain of holdings, from the evaluator's ownership graph.
    Look {
        holders: Records,
        measure: crate::ownership::Measure,
    },
    /// `E converted to CUR` (SPEC §11) of one money value, on the rule's evaluation date (the
    /// evaluator's), at the rate of the policy's rate table `table`.
    Convert {
        amount: Box<Num>,
        to: crate::value::Currency,
        table: usize,
    },
    /// An operand that reads no item (`100% / count of parties` inside `every party: …`):
    /// the same for the whole deal, so computed once per deal and kept in `slot`.
    Kept {
        slot: usize,
        num: Box<Num>,
    },
}

impl Num {
    /// Whether the operand reads an item of an enclosing quantifier or filter.
    pub(crate) fn reads_items(&self) -> bool {
        match self {
            Num::Const(_) => false,
            Num::Field { base, .. } => *base != Base::Root,
            Num::Count(list) => list.reads_items(),
            Num::Total { of, .. } => of.records.reads_items(),
            Num::Arith { first, rest } => {
                first.reads_items() || rest.iter().any(|(_, t)| t.reads_items())
            }
            Num::Kept { .. } => false,
            Num::Table { base, .. } => *base != Base::Root,
            Num::Look { holders, .. } => holders.reads_items(),
            Num::Convert { amount, .. } => amount.reads_items(),
        }
    }
}

/// A lookup table read in its definition's scope: the record it is read on is the only item
/// in sight (`Base::Item(0)`), and no key or value reads another. Each key is a literal or a
/// stored scalar or date field; each row's value is a literal.
#[derive(Clone, Debug)]
pub(crate) struct TableForm {
    pub keys: Vec<Num>,
    /// The rows, in order, each its cells (one per key) and its value.
    pub rows: Vec<(Vec<CellForm>, Scalar)>,
    /// `otherwise: VALUE`.
    pub otherwise: Option<Scalar>,
}

/// A cell of a table's row as the compiled run tests it: the policy's cell, with the texts of a
/// cell of strings at hand (compared without building a scalar or searching).
#[derive(Clone, Debug)]
pub(crate) enum CellForm {
    /// A cell of strings only (`covered nation`, `"US"`): each value's text, and each value
    /// folded (trimmed, lower case) as `ValueSet::loosely` finds a near miss; `cell` for a key
    /// that is not an ASCII string.
    Strs {
        texts: Vec<Box<str>>,
        folded: Vec<Box<str>>,
        /// The ASCII first bytes of the folded texts, as bits: an ASCII key that does not begin
        /// with white space and whose first byte, in lower case, is not among them is no near
        /// miss.
        firsts: u128,
        cell: crate::resolve::ir::Cell,
    },
    /// Any other cell, tested as the evaluator tests it.
    Other(crate::resolve::ir::Cell),
}

impl Records {
    fn reads_items(&self) -> bool {
        matches!(self, Records::Field { base, .. } if *base != Base::Root)
    }
}

/// The list of a membership test.
#[derive(Clone, Debug)]
pub(crate) enum Members {
    /// Scalars written in the policy (a list literal, or a `let` of one).
    Consts(Vec<Scalar>),
    /// Strings written in the policy: the same as [`Members::Consts`], their texts at hand.
    Strs {
        texts: Vec<Box<str>>,
        values: Vec<Scalar>,
    },
    /// The values of a projection (`foreign partner name`).
    Projected(Projection),
}

/// A condition.
#[derive(Clone, Debug)]
pub(crate) enum Cond {
    /// A yes/no scalar (`cfius filed`).
    Bool(Num),
    Compare {
        op: CmpOp,
        lhs: Num,
        rhs: Num,
    },
    /// `subject = "text"` (or `!=`, `ne`): a comparison with a string literal, decided on the
    /// text when the subject is a string (`literal` is the same string as a scalar, for any
    /// other subject).
    StrEq {
        subject: Num,
        text: Box<str>,
        literal: Scalar,
        ne: bool,
    },
    /// Implicit each on the left: every value of the projection compared with `rhs`.
    EachCompare {
        op: CmpOp,
        lhs: Projection,
        rhs: Num,
    },
    In {
        elem: Num,
        list: Members,
        negated: bool,
    },
    /// Implicit each on the left: every scalar of a list field (`data transfers`) tested for
    /// membership.
    EachIn {
        elem: ListField,
        list: Members,
        negated: bool,
    },
    /// `total X per bloc op rhs` (SPEC §7.3) with implicit each: the total of each bloc of
    /// the records compared with `rhs`, the blocs in order of first appearance. Reads the
    /// evaluator's ownership graph.
    PerBlocCompare {
        op: CmpOp,
        per: PerTotal,
        rhs: Num,
    },
    /// A condition that reads what only the deal's evaluator keeps (its entities, its
    /// ownership graph), directly or through a `let`: the evaluator is made for it.
    WithEvaluator(Box<Cond>),
    And(Vec<Cond>),
    Or(Vec<Cond>),
    Not(Box<Cond>),
    Quant {
        kind: QuantKind,
        list: Records,
        cond: Option<Box<Cond>>,
        body: Option<Box<Cond>>,
    },
    /// `X must [not] P` on each record of a list.
    MustEach {
        subject: Records,
        negated: bool,
        pred: Box<Cond>,
    },
    /// A clause of more than one rule that reads only the deal's root (the header's
    /// `jurisdiction "US"`, `when` of every rule): decided once per deal and kept in `slot`.
    Shared {
        slot: usize,
        cond: Box<Cond>,
    },
}

/// `total R F per bloc`: scalar field `field` of the records of `records`, added up by the
/// bloc of each record; `zero` as in [`Num::Total`].
#[derive(Clone, Debug)]
pub(crate) struct PerTotal {
    pub records: Records,
    pub field: usize,
    pub zero: Option<Scalar>,
    /// The root's `groups` field (SPEC §7.3), where the ownership graph reads the groups:
    /// when it lists none, each entity's bloc is its own name.
    pub groups: Option<usize>,
}

impl Cond {
    /// Whether the condition reads what only the evaluator keeps (marked when compiled).
    pub(crate) fn needs_evaluator(&self) -> bool {
        matches!(self, Cond::WithEvaluator(_))
    }

    /// Whether the condition's truth is a function of the deal's root alone: constants and
    /// root fields (and their arithmetic) compared, or tested against constants, joined by
    /// `and`, `or`, `not`. No item, definition, table, date or evaluator is read, so every
    /// rule that tests it finds it the same in one deal.
    pub(crate) fn reads_root_only(&self) -> bool {
        match self {
            Cond::Bool(n) => n.reads_root_only(),
            Cond::Compare { lhs, rhs, .. } => lhs.reads_root_only() && rhs.reads_root_only(),
            Cond::StrEq { subject, .. } => subject.reads_root_only(),
            Cond::In { elem, list, .. } => {
                elem.reads_root_only() && matches!(list, Members::Consts(_) | Members::Strs { .. })
            }
            Cond::And(terms) | Cond::Or(terms) => terms.iter().all(Cond::reads_root_only),
            Cond::Not(a) => a.reads_root_only(),
            _ => false,
        }
    }

    /// Whether, where the form is true, it has read and tested every value the evaluator reads
    /// to find it true, all of them in the deal's root: a test of root values and constants,
    /// or an `and` of such tests (true only when each is), as a shared clause or not. No `or`,
    /// `not` or quantifier, which stop at the first operand that decides while the evaluator
    /// keeping facts goes on to the others (and may record a near miss there, SPEC §2.6).
    pub(crate) fn tests_all_when_true(&self) -> bool {
        match self {
            Cond::Shared { cond, .. } => cond.tests_all_when_true(),
            Cond::And(terms) => terms.iter().all(Cond::tests_all_when_true),
            Cond::Bool(_) | Cond::Compare { .. } | Cond::StrEq { .. } | Cond::In { .. } => {
                self.reads_root_only()
            }
            _ => false,
        }
    }
}

impl Num {
    /// See [`Cond::reads_root_only`].
    fn reads_root_only(&self) -> bool {
        match self {
            Num::Const(_) => true,
            Num::Field { base, .. } => *base == Base::Root,
            Num::Arith { first, rest } => {
                first.reads_root_only() && rest.iter().all(|(_, t)| t.reads_root_only())
            }
            _ => false,
        }
    }
}

/// A `let` definition as the compiled forms read it.
#[derive(Clone, Debug)]
pub(crate) enum Let {
    /// A scalar literal (`let home = "US"`).
    Const(Scalar),
    /// A list literal of scalars (`let covered nation = ["CN", "RU"]`).
    Consts(Vec<Scalar>),
    /// A list of records filtered by a condition (`parties where country = home`), computed
    /// once per deal.
    Filter { list: Records, cond: Cond },
    /// Anything else: read only by the evaluator.
    Other,
}
