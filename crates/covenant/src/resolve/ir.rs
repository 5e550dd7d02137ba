//! The typed IR: rules and expressions with every phrase resolved to a field-index path.

use jiff::civil::Date;

use crate::dates::DurationUnit;
use crate::schema::{RecordId, Type};
use crate::source::Span;
use crate::syntax::ast::{AggKind, ArithOp, CmpOp, QuantKind, Severity};
use crate::value::{Currency, Scalar};

mod visit;
pub use visit::{definitions_named, visit, visit_mut};

/// Where an expression's text lives: a file of the policy and a span in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: usize,
    pub span: Span,
}

/// A typed expression.
#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub ty: Type,
    pub loc: Loc,
    /// The expression's source text, for evidence and explanations.
    pub text: std::sync::Arc<str>,
    /// A list-building expression that reads no enclosing item (`count of parties` inside
    /// `every party: …`) has one value per deal: its slot in the evaluator's per-deal store,
    /// assigned after compilation (see `resolve::hoist`). None for every other expression.
    pub hoist: Option<u32>,
}

/// One step of a path: a field of the record (or of each record of a list) so far.
#[derive(Clone, Debug)]
pub struct Step {
    pub field: usize,
    pub record: RecordId,
    /// The field's name, for evidence (`stake`, `board_seats`).
    pub name: Box<str>,
    /// The value so far is a list of records: map this step over it.
    pub map: bool,
    /// The field is itself a list and the value so far was a list: flatten one level.
    pub flatten: bool,
}

#[derive(Clone, Debug)]
pub enum Base {
    /// The deal root.
    Root,
    /// The current item of an enclosing quantifier or `where`; 0 is the innermost.
    Item(usize),
    /// A `let` definition, evaluated once per deal in the root scope.
    Let(usize),
}

/// How a comparison or membership distributes over a list operand (implicit each).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Each {
    None,
    Left,
    Right,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Const(Scalar),
    List(Vec<Expr>),
    Path {
        base: Base,
        steps: Vec<Step>,
    },
    /// `X where C`; `C` runs with the element as the innermost item.
    Filter {
        list: Box<Expr>,
        cond: Box<Expr>,
    },
    Quant {
        kind: QuantKind,
        list: Box<Expr>,
        cond: Option<Box<Expr>>,
        body: Option<Box<Expr>>,
        /// The singular that names the items, for evidence (`party`).
        item_name: Box<str>,
    },
    Aggregate {
        kind: AggKind,
        arg: Box<Expr>,
    },
    /// A run of `+` / `-` or `*` / `/` (or one operator lowered from `of`), computed left to
    /// right: `first`, then each operator with its right operand.
    Arith {
        first: Box<Expr>,
        rest: Vec<(ArithOp, Expr)>,
    },
    Compare {
        op: CmpOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
        each: Each,
    },
    /// `elem in list`; `each` is `Left` when the element side is a list phrase.
    In {
        elem: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
        each: Each,
    },
    /// `|lhs - rhs| <= tolerance`
    Within {
        lhs: Box<Expr>,
        tolerance: Box<Expr>,
        rhs: Box<Expr>,
        each: Each,
    },
    /// Kleene conjunction of a chain of two or more conditions, kept flat (a chain's length
    /// is not a depth: evaluation loops over it).
    And(Vec<Expr>),
    /// Kleene disjunction of a chain, as `And`.
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `X must [not] P` where `P` tests one element: `pred` runs with the element as item 0.
    Must {
        subject: Box<Expr>,
        negated: bool,
        pred: Box<Expr>,
        /// The subject is a list: every element must satisfy (or fail) `pred`.
        each: bool,
    },
    /// The current item (`Item(0)`) as a value: used inside must-predicates.
    Item,
    /// `(LIST) PHRASE`: the steps read on the value of `list`, mapped over its elements (its
    /// maybe-members stay maybe) (SPEC §8).
    Project {
        list: Box<Expr>,
        steps: Vec<Step>,
    },
    /// `X is missing` (`missing`) or `X is present` (SPEC §8): whether the field of the last
    /// step, or a record or list on the way to it, is absent from the deal. With `each`, the
    /// last step maps: the test is made on each record it reads the field of.
    Presence {
        base: Base,
        steps: Vec<Step>,
        missing: bool,
        each: bool,
    },
    /// `look-through M of S in T [by control …]` (SPEC §7.2): a percent, or one percent per
    /// target when `T` is a list (an element side).
    LookThrough(Box<LookThrough>),
    /// `AGG X per K` (SPEC §7.3): one value per key, in order of first appearance (an element
    /// side).
    Per(Box<Per>),
    /// `D ± N unit` (SPEC §9): a date moved by a duration.
    DateShift(Box<DateShift>),
    /// `A - B` of two dates: the days from B to A, a number (SPEC §9).
    DaysBetween {
        later: Box<Expr>,
        earlier: Box<Expr>,
    },
    /// `year of D` (SPEC §9): a number, or one number per date when `D` is a list.
    YearOf(Box<Expr>),
    /// `evaluation date` (SPEC §3.1, §9): the evaluation date of the rule being evaluated.
    EvaluationDate,
    /// A lookup table (SPEC §8): the value of the one row whose cells all match the keys.
    Table(Box<Table>),
    /// `E converted to CUR [on D]` (SPEC §11): money in `CUR`, or a list of it, element by
    /// element (an element side when `E` is one).
    Convert(Box<Convert>),
}

/// `D + N unit` or `D - N unit` (SPEC §9).
#[derive(Clone, Debug)]
pub struct DateShift {
    /// `D`, a date.
    pub date: Expr,
    /// `-` (else `+`).
    pub back: bool,
    /// `N`, a number (a whole one, or the date is unknown).
    pub count: Expr,
    pub unit: DurationUnit,
    /// The calendar of `working days`.
    pub calendar: Option<std::sync::Arc<crate::dates::Calendar>>,
}

/// A lookup table (SPEC §8), checked when compiled: no two rows can match the same keys, and
/// each row's open `from` is closed by the next row with the same other cells.
#[derive(Clone, Debug)]
pub struct Table {
    /// The definition's name (`rvc floor`), for evidence.
    pub name: std::sync::Arc<str>,
    /// The keys, each one value, read in the definition's scope.
    pub keys: Vec<Expr>,
    pub rows: Vec<Row>,
    /// `otherwise: VALUE`: a row without cells, taken when the keys are known and no row
    /// matches.
    pub otherwise: Option<Box<Row>>,
}

/// One row of a table.
#[derive(Clone, Debug)]
pub struct Row {
    /// One cell per key (none for `otherwise`).
    pub cells: Vec<Cell>,
    pub value: Expr,
    /// The cells as written (`from 2023-07-01`, `otherwise`), for evidence.
    pub text: std::sync::Arc<str>,
    /// Where the row is in the policy.
    pub loc: Loc,
}

impl Table {
    /// Every row, `otherwise` last.
    pub fn all_rows(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().chain(self.otherwise.as_deref())
    }
}

impl Cell {
    /// The expressions the cell was written with: its literal, list or `let` name, or its
    /// bounds.
    pub fn sources(&self) -> &[Expr] {
        match self {
            Cell::Any => &[],
            Cell::In { source, .. } => std::slice::from_ref(source),
            Cell::Range { sources, .. } => sources,
        }
    }

    pub fn sources_mut(&mut self) -> &mut [Expr] {
        match self {
            Cell::Any => &mut [],
            Cell::In { source, .. } => std::slice::from_mut(source),
            Cell::Range { sources, .. } => sources,
        }
    }
}

/// One cell of a row.
#[derive(Clone, Debug)]
pub enum Cell {
    /// `any`: every value of the key.
    Any,
    /// The key equals one of `values`: a literal, or the elements of a list literal, maybe
    /// through `let` names (`source`, as written).
    In {
        values: super::value_set::ValueSet,
        source: Expr,
    },
    /// `from ≤ key < until`; `until` as written, else the `from` of the next row with the same
    /// other cells, else none (no end). `sources`: the bounds as written.
    Range {
        from: Scalar,
        until: Option<Scalar>,
        sources: Vec<Expr>,
    },
}

/// `E converted to CUR [on D]` (SPEC §11).
#[derive(Clone, Debug)]
pub struct Convert {
    /// `E`: money, or a list of money.
    pub amount: Expr,
    pub to: Currency,
    /// `D`, a date; None: the rule's evaluation date.
    pub on: Option<Expr>,
    /// The rate table the file sees (an index into [`super::Policy::fx`]).
    pub table: usize,
}

/// A look-through (SPEC §7.2).
#[derive(Clone, Debug)]
pub struct LookThrough {
    pub measure: Measure,
    /// `S`: one entity record or a list of them, taken together.
    pub holders: Expr,
    /// `S` reads no enclosing item: its value is the same for the whole deal (set by
    /// `resolve::hoist`).
    pub holders_fixed: bool,
    /// `T`: an entity record or a list of them; None for `deal` (the JV, held by its parties).
    pub target: Option<Expr>,
    /// `by control …`; None: proportional.
    pub control: Option<Control>,
}

/// The measure `M` of a look-through: a percent field of the parties (edges into the deal)
/// and of the owner edges.
#[derive(Clone, Debug)]
pub struct Measure {
    /// The field's name (`voting`).
    pub name: Box<str>,
    /// Its index in the party record, when parties have it.
    pub party_field: Option<usize>,
    /// Its index in the owner record.
    pub owner_field: usize,
}

/// `by control (more than | at least) P`.
#[derive(Clone, Debug)]
pub struct Control {
    /// `P`, a percent (`50%` when written `by control` alone).
    pub threshold: Expr,
    /// `at least` (else `more than`).
    pub inclusive: bool,
}

/// `AGG X per K` (SPEC §7.3).
#[derive(Clone, Debug)]
pub struct Per {
    pub kind: AggKind,
    /// The items a key is read on: the items of `X` when they are records (or scalars not
    /// mapped from records), else the records of the last list `X` maps over.
    pub source: Expr,
    /// The steps from the list of one item of `source` to its values in `X`, mapped and
    /// flattened as in `X` (empty: the item itself is its value).
    pub tail: Vec<Step>,
    /// `K`, read with an item of `source` as the innermost item.
    pub key: Expr,
    /// The key is an entity (grouped by entity, shown by name); else a scalar.
    pub key_is_entity: bool,
    /// The aggregate's type: the type of one value.
    pub value_ty: Type,
    /// `X` as written, for evidence.
    pub of: std::sync::Arc<str>,
}

/// A `let` definition, or an item definition (`define`, SPEC §8), resolved and typed once.
#[derive(Clone, Debug)]
pub struct Definition {
    /// As messages show it: `covered nation`, `party controls`.
    pub name: String,
    pub value: Expr,
    pub loc: Loc,
    /// For an item definition, the record type of the item its value reads as `Item(0)`
    /// (its field is `Computed::Define` of this definition's index).
    pub item: Option<RecordId>,
    /// Its value reads `evaluation date`, directly or through other definitions (SPEC §9):
    /// it is computed again when the evaluation date changes from one rule to the next.
    pub reads_evaluation_date: bool,
}

/// A rule's `effective` window `[from, until)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Date,
    pub until: Option<Date>,
}

/// A source of a rule (SPEC §12): `cite "TEXT" [section "S"] [url "U"] [version "V"]`.
/// Serialized as the JSON reports' `{"text", "section", "url", "version"}`, `null` for a part
/// not given.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Citation {
    pub text: String,
    pub section: Option<String>,
    pub url: Option<String>,
    pub version: Option<String>,
}

impl Citation {
    pub fn new(c: &crate::syntax::ast::Cite) -> Citation {
        let part =
            |p: &Option<crate::syntax::ast::Spanned<String>>| p.as_ref().map(|s| s.node.clone());
        Citation {
            text: c.text.node.clone(),
            section: part(&c.section),
            url: part(&c.url),
            version: part(&c.version),
        }
    }
}

/// A compiled rule.
#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    pub title: Option<String>,
    pub severity: Severity,
    /// The header's `cite`s, then the rule's own, in order.
    pub cites: Vec<Citation>,
    pub help: Option<String>,
    pub window: Option<Window>,
    /// The rule's legal status (SPEC §12): its own, else its file header's, else in force.
    pub status: crate::syntax::ast::Status,
    /// `on D`: the date the window tests, the rule's own or the header's; None for the deal's
    /// `date` (SPEC §9). The rule's evaluation date, without `--as-of`.
    pub on: Option<Expr>,
    /// The rules this rule's `overrides` names (indices into [`crate::resolve::Policy::rules`],
    /// each once, as written; SPEC §14).
    pub overrides: Vec<usize>,
    /// The rules whose `overrides` name this rule, in policy order.
    pub overridden_by: Vec<usize>,
    pub when: Vec<Expr>,
    pub require: Vec<Expr>,
    pub unless: Vec<Expr>,
    /// `waivable by L` (SPEC §10): the authorities whose approvals may exempt the rule, a
    /// list of strings written in the policy (a list literal, or a `let` of one).
    pub waivable: Option<Expr>,
    pub loc: Loc,
    /// Span of the id (or of the expression of a bare rule).
    pub id_span: Span,
}
