//! The policy AST. Every node carries the span of its source text (byte offsets into its file).

use jiff::civil::Date;

use crate::number::Exact;
use crate::source::Span;
use crate::value::Currency;

pub use super::ast_cite::Cite;
pub use super::ast_fx::{Convert, FxClause};

/// One parsed `.policy` file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PolicyFile {
    pub header: Header,
    pub items: Vec<Item>,
}

/// `policy "title" version "v"` and the header clauses that follow it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Header {
    pub title: Option<Spanned<String>>,
    pub version: Option<Spanned<String>>,
    pub jurisdiction: Option<Spanned<String>>,
    pub effective: Option<Window>,
    /// `status …`: the status of every rule of the file that has none of its own (SPEC §12).
    pub status: Option<Spanned<Status>>,
    pub schema: Option<Spanned<String>>,
    /// `extends standard` after the schema's file name (SPEC §8): its span.
    pub schema_extends: Option<Span>,
    /// `calendar "TEXT" from "FILE"` (SPEC §9).
    pub calendar: Option<CalendarClause>,
    /// `fx "TEXT" from "FILE" [url "U"]` (SPEC §11).
    pub fx: Option<Box<FxClause>>,
    /// `cite …`, in order: sources of every rule of the file (SPEC §12).
    pub cites: Vec<Cite>,
    /// Span of the whole header (empty when the file has none).
    pub span: Span,
}

/// `calendar "TEXT" from "FILE"`: the holidays `working days` skip (SPEC §9).
#[derive(Clone, Debug, PartialEq)]
pub struct CalendarClause {
    /// What the calendar is, as cited (`"England and Wales bank holidays"`).
    pub name: Spanned<String>,
    /// The file, relative to the policy file.
    pub file: Spanned<String>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Spanned<T> {
    pub node: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(node: T, span: Span) -> Self {
        Spanned { node, span }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    Use(Spanned<String>),
    Let(LetDef),
    Define(DefineDef),
    Rule(Rule),
}

impl Item {
    /// The span of the whole item.
    pub fn span(&self) -> Span {
        match self {
            Item::Use(s) => s.span,
            Item::Let(l) => l.span,
            Item::Define(d) => d.span,
            Item::Rule(r) => r.span,
        }
    }
}

/// `let covered nation = [...]`: a multi-word name bound to an expression.
#[derive(Clone, Debug, PartialEq)]
pub struct LetDef {
    /// The name's words in order (`["covered", "nation"]`).
    pub name: Vec<String>,
    pub name_span: Span,
    pub value: Expr,
    pub span: Span,
}

/// `define party controls: voting > 50%`: a computed field of the items a singular names
/// (SPEC §8).
#[derive(Clone, Debug, PartialEq)]
pub struct DefineDef {
    /// The singular naming the items (`party`).
    pub item: Spanned<String>,
    /// The field's words in order (`["controls"]`).
    pub name: Vec<String>,
    pub name_span: Span,
    pub value: Expr,
    pub span: Span,
}

/// How a rule was written; `fmt` keeps the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleForm {
    /// `rule id "title" { clauses }`
    Braced,
    /// `rule id "title": expr`
    OneLine,
    /// `expr` alone on its line; the id is derived from its tokens.
    Bare,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub id: Spanned<String>,
    /// True when the id was derived from the rule's text (bare rules).
    pub id_derived: bool,
    pub title: Option<Spanned<String>>,
    pub form: RuleForm,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A rule's legal status (SPEC §12): the rule's, else the header's, else `in-force`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    #[default]
    InForce,
    Proposed,
    Reported,
    Repealed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InForce => "in-force",
            Status::Proposed => "proposed",
            Status::Reported => "reported",
            Status::Repealed => "repealed",
        }
    }
}

/// `effective FROM [until UNTIL] [on D]`: the half-open window `[from, until)`, tested on the
/// date D (SPEC §9).
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub from: Spanned<Date>,
    pub until: Option<Spanned<Date>>,
    /// `on D`: the date the window tests, when written.
    pub on: Option<Box<Expr>>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Clause {
    Severity(Spanned<Severity>),
    Status(Spanned<Status>),
    /// `overrides ID[, ID …]`: the ids, each with its span (SPEC §14).
    Overrides(Vec<Spanned<String>>),
    /// `cite …` (SPEC §12).
    Cite(Cite),
    Effective(Window),
    When(Expr),
    /// One-line and bare rules hold a single `Require`.
    Require(Expr),
    Unless(Expr),
    /// `waivable by L` (SPEC §10): the authorities, at most once per rule.
    Waivable(Expr),
    Help(Spanned<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuantKind {
    Every,
    Some,
    No,
    AtLeast(u64),
    AtMost(u64),
    Exactly(u64),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

impl CmpOp {
    /// Every operator (tests that try each).
    #[cfg(test)]
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
        CmpOp::Eq,
        CmpOp::Ne,
    ];

    /// The operator with its operands swapped: `a < b` is `b > a`.
    pub fn mirrored(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            o => o,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "=",
            CmpOp::Ne => "!=",
        }
    }

    /// The operator that holds exactly when this one does not.
    pub fn negated(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Ge,
            CmpOp::Le => CmpOp::Gt,
            CmpOp::Gt => CmpOp::Le,
            CmpOp::Ge => CmpOp::Lt,
            CmpOp::Eq => CmpOp::Ne,
            CmpOp::Ne => CmpOp::Eq,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

impl ArithOp {
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AggKind {
    Total,
    Count,
    Max,
    Min,
    Average,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `every X [where C]: P`, `some X [where C][: P]`, `at least N X [where C][: P]`, …
    Quant {
        kind: QuantKind,
        subject: Box<Expr>,
        /// `as N` (SPEC §8).
        name: Option<ItemName>,
        filter: Option<Box<Expr>>,
        body: Option<Box<Expr>>,
    },
    /// `a or b or …`: a chain of two or more operands, kept flat so that its length is not
    /// a depth (a 100,000-term chain is one level of the tree).
    Or(Vec<Expr>),
    /// `a and b and …`: a flat chain of two or more operands, as `Or`.
    And(Vec<Expr>),
    Not(Box<Expr>),
    /// `A < B`, `A is at least B`, …; `is` / `is not` are `Eq` / `Ne`.
    Compare {
        op: CmpOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `A in L`, `A not in L`, `A is one of L`; `L contains A` is stored as `In`, with
    /// `written_as` recording the form so `fmt` can print it back.
    In {
        elem: Box<Expr>,
        list: Box<Expr>,
        negated: bool,
        written_as: InForm,
    },
    /// `A is within T of B`
    Within {
        lhs: Box<Expr>,
        tolerance: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `a + b - c …` or `a * b / c …`: one flat chain of operators of one precedence level,
    /// computed left to right (a chain's length is not a depth).
    Arith {
        first: Box<Expr>,
        rest: Vec<(ArithOp, Expr)>,
    },
    /// `E of X`
    PercentOf {
        percent: Box<Expr>,
        of: Box<Expr>,
    },
    Aggregate {
        kind: AggKind,
        arg: Box<Expr>,
    },
    /// `AGG X per K` (SPEC §7.3): one value per key, in order of first appearance.
    Per {
        kind: AggKind,
        arg: Box<Expr>,
        key: Phrase,
    },
    /// `look-through M of S in T [by control …]` (SPEC §7.2).
    LookThrough(Box<LookThrough>),
    /// `E converted to CUR [on D]` (SPEC §11).
    Convert(Box<Convert>),
    /// `X [as N] where C`
    Where {
        list: Box<Expr>,
        name: Option<ItemName>,
        cond: Box<Expr>,
    },
    /// `(LIST) PHRASE`: the phrase read on each item of the parenthesised list (SPEC §8).
    Projection {
        list: Box<Expr>,
        phrase: Phrase,
    },
    /// `X is [not] missing|present` (SPEC §8).
    Presence {
        subject: Box<Expr>,
        negated: bool,
        word: PresenceWord,
    },
    /// `X must P` / `X must not P`
    Must {
        subject: Box<Expr>,
        negated: bool,
        pred: MustPred,
    },
    List(Vec<Expr>),
    Literal(Literal),
    Phrase(Phrase),
    /// `( … )`, kept so that `fmt` prints the parentheses back.
    Paren(Box<Expr>),
    /// `N day(s)`, `N month(s)`, `N year(s)`, `N working day(s)` with N a number literal
    /// (SPEC §9). (`( … ) days` is parsed as a [`ExprKind::Projection`]; the resolver reads it
    /// as a duration when the parenthesis is a number.)
    Duration {
        count: Box<Expr>,
        unit: DurationUnit,
        /// The span of the unit's words (`working days`).
        unit_span: Span,
    },
    /// `year of D` (SPEC §9).
    YearOf(Box<Expr>),
    /// `table by K1, K2 …:` and its rows (SPEC §8): only a definition's value.
    Table(Box<Table>),
}

/// A lookup table (SPEC §8): the row whose cells all match the keys gives the value.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub keys: Vec<Expr>,
    pub rows: Vec<Row>,
    /// `otherwise: VALUE`, the last row, when written.
    pub otherwise: Option<Otherwise>,
    /// `table by …:`, from `table` to the `:`.
    pub head: Span,
}

/// One row of a table: a cell per key, and its value.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub value: Expr,
    /// From the first cell to the end of the value.
    pub span: Span,
}

/// `otherwise: VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Otherwise {
    pub value: Expr,
    /// From `otherwise` to the end of the value.
    pub span: Span,
}

/// One cell of a row.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub kind: CellKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CellKind {
    /// `any`: every value of the key.
    Any,
    /// `from V [until W]`: `V ≤ key < W`.
    From { from: Expr, until: Option<Expr> },
    /// A value: a literal (`=`) or a list literal (`in`), maybe through a `let` name; any other
    /// expression is reported when the table is resolved.
    Value(Expr),
}

pub use crate::dates::DurationUnit;

/// `look-through M of S in T [by control (more than | at least) P]` (SPEC §7.2).
#[derive(Clone, Debug, PartialEq)]
pub struct LookThrough {
    /// `M`, the measure: a percent field of the edges (`voting`).
    pub measure: Phrase,
    /// `S`, the holders, taken together.
    pub holders: Expr,
    /// `T`, the target: `deal`, an entity or a list of entities.
    pub target: Expr,
    /// `by control …`; None: proportional.
    pub control: Option<Control>,
}

/// `by control [more than | at least P]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Control {
    /// `at least` (else `more than`).
    pub inclusive: bool,
    /// `P`; None when written `by control` alone (`more than 50%`).
    pub threshold: Option<Box<Expr>>,
    /// The span of `by control …`.
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InForm {
    In,
    Contains,
    IsOneOf,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MustPred {
    /// `be V`: `=`, or membership when `V` is a list.
    Be(Box<Expr>),
    /// `be in L`
    BeIn(Box<Expr>),
    /// `be one of L`
    BeOneOf(Box<Expr>),
    /// `be at least V` (Ge), `be at most V` (Le), `be more than V` (Gt), `be less than V` (Lt)
    BeCmp(CmpOp, Box<Expr>),
    /// `have F`
    Have(Phrase),
    /// `stay in L` / `stay L`
    Stay { list: Box<Expr>, with_in: bool },
    /// `be missing` / `be present`
    Presence(PresenceWord),
}

/// `as N`: the words that name a quantifier's or a filter's item (SPEC §8).
#[derive(Clone, Debug, PartialEq)]
pub struct ItemName {
    pub words: Vec<String>,
    /// The span of the words (without `as`).
    pub span: Span,
}

/// The word of a presence test.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PresenceWord {
    Missing,
    Present,
}

impl PresenceWord {
    pub fn as_str(self) -> &'static str {
        match self {
            PresenceWord::Missing => "missing",
            PresenceWord::Present => "present",
        }
    }

    /// Whether the test, written with `not` when `negated`, holds for an absent value.
    pub fn holds_when_absent(self, negated: bool) -> bool {
        (self == PresenceWord::Missing) != negated
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Number(Exact),
    Percent(Exact),
    Money(Currency, Exact),
    Date(Date),
    Str(String),
    Bool(bool),
}

/// A run of words and dots: `foreign partner stake`, `board.seats`, `` `count` ``, `deal`.
#[derive(Clone, Debug, PartialEq)]
pub struct Phrase {
    pub parts: Vec<PhrasePart>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PhrasePart {
    /// A plain or back-quoted word (the back quotes removed; `quoted` remembers them).
    Word {
        text: String,
        quoted: bool,
        span: Span,
    },
    /// `.`, a forced step boundary.
    Dot(Span),
    /// The keyword `deal`: the deal root.
    Deal(Span),
}

impl PhrasePart {
    pub fn span(&self) -> Span {
        match self {
            PhrasePart::Word { span, .. } | PhrasePart::Dot(span) | PhrasePart::Deal(span) => *span,
        }
    }
}
