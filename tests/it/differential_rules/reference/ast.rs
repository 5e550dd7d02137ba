//! The reference's own tiny AST of a policy rule, and the standard deal schema (SPEC §1) as
//! the generator and the evaluator see it. Phrases are already resolved here: an expression
//! says which field of which scope it reads, and `print.rs` writes the words that name it.

use num_rational::Ratio;

/// An exact rational; percents are kept as fractions (`51%` is `51/100`).
pub type Q = Ratio<i128>;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Ty {
    Num,
    Pct,
    Money,
    Date,
    Str,
    Bool,
}

/// What a string field holds: string literals are drawn from the same pool as deal values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Dom {
    Country,
    Sector,
    Name,
    TechCategory,
    DataCategory,
    Transfer,
    Region,
    Waiver,
    Proposal,
    None,
}

/// A field of a record of the standard schema.
#[derive(Debug)]
pub struct Field {
    /// The key in the deal (`board.seats` is a path from the root).
    pub key: &'static str,
    /// The words that name it in a policy.
    pub words: &'static str,
    pub ty: Ty,
    pub dom: Dom,
}

const fn field(key: &'static str, words: &'static str, ty: Ty, dom: Dom) -> Field {
    Field {
        key,
        words,
        ty,
        dom,
    }
}

pub static ROOT_FIELDS: &[Field] = &[
    field("proposal", "proposal", Ty::Str, Dom::Proposal),
    field("date", "date", Ty::Date, Dom::None),
    field("jurisdiction", "jurisdiction", Ty::Str, Dom::Country),
    field("sector", "sector", Ty::Str, Dom::Sector),
    field("cfius_filed", "cfius filed", Ty::Bool, Dom::None),
    field("investment", "investment", Ty::Money, Dom::None),
    field("board.seats", "board seats", Ty::Num, Dom::None),
    field("board.chair", "board chair", Ty::Str, Dom::Name),
];

static PARTY_FIELDS: &[Field] = &[
    field("name", "name", Ty::Str, Dom::Name),
    field("country", "country", Ty::Str, Dom::Country),
    field("stake", "stake", Ty::Pct, Dom::None),
    field("voting", "voting", Ty::Pct, Dom::None),
    field("board_seats", "board seats", Ty::Num, Dom::None),
    field("government_stake", "government stake", Ty::Pct, Dom::None),
    field("profit_share", "profit share", Ty::Pct, Dom::None),
    field("subsidies", "subsidies", Ty::Money, Dom::None),
];

static TECH_FIELDS: &[Field] = &[
    field("name", "name", Ty::Str, Dom::None),
    field("owner", "owner", Ty::Str, Dom::Name),
    field("origin", "origin", Ty::Str, Dom::Country),
    field("category", "category", Ty::Str, Dom::TechCategory),
    field("transfer", "transfer", Ty::Str, Dom::Transfer),
    field(
        "source_code_escrow",
        "source code escrow",
        Ty::Bool,
        Dom::None,
    ),
];

static DATA_FIELDS: &[Field] = &[
    field("name", "name", Ty::Str, Dom::None),
    field("category", "category", Ty::Str, Dom::DataCategory),
    field("location", "location", Ty::Str, Dom::Country),
    field("subjects", "subjects", Ty::Num, Dom::None),
];

static PLANT_FIELDS: &[Field] = &[
    field("country", "country", Ty::Str, Dom::Country),
    field("region", "region", Ty::Str, Dom::Region),
    field("capacity", "capacity", Ty::Num, Dom::None),
    field("local_content", "local content", Ty::Pct, Dom::None),
];

/// A list of records at the deal root.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Rec {
    Party,
    Tech,
    Data,
    Plant,
}

impl Rec {
    pub const ALL: [Rec; 4] = [Rec::Party, Rec::Tech, Rec::Data, Rec::Plant];

    pub fn key(self) -> &'static str {
        match self {
            Rec::Party => "parties",
            Rec::Tech => "technology",
            Rec::Data => "data",
            Rec::Plant => "plants",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Rec::Party => "party",
            Rec::Tech => "technology",
            Rec::Data => "data",
            Rec::Plant => "plant",
        }
    }

    /// A missing `parties` is missing; the other lists default to empty (SPEC §1).
    pub fn defaults_empty(self) -> bool {
        self != Rec::Party
    }

    pub fn fields(self) -> &'static [Field] {
        match self {
            Rec::Party => PARTY_FIELDS,
            Rec::Tech => TECH_FIELDS,
            Rec::Data => DATA_FIELDS,
            Rec::Plant => PLANT_FIELDS,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Lit {
    Num(Q),
    Pct(Q),
    Money(&'static str, Q),
    Str(String),
    Bool(bool),
    Date(String),
}

/// A list of records: what quantifiers, filters and `count of` range over.
#[derive(Clone, Debug)]
pub enum Src {
    Root(Rec),
    /// A `let` bound to a filtered list of records.
    Let(usize),
    /// `(X where C)`, `C` read in the item's scope.
    Filter(Box<Src>, Box<Expr>),
}

/// A list of scalar values.
#[derive(Clone, Debug)]
pub enum ListE {
    Lit(Vec<Lit>),
    /// A `let` bound to a list literal.
    Let(usize),
    /// A mapped phrase: `party stake`, `foreign partner country` (the source is a root list
    /// or a `let`).
    Mapped(Src, &'static Field),
    /// `data transfers`: every destination of every data item, flattened.
    Transfers(Src),
    /// The root list field `waivers`.
    Waivers,
    /// The list field `transfers` of an enclosing data item (`up` scopes out).
    ItemTransfers(usize),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Agg {
    Total,
    Max,
    Min,
    Average,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum AOp {
    Add,
    Sub,
    Mul,
    Div,
    /// `E of X`.
    Of,
}

/// A comparison, with the spelling it is printed in.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum COp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum MOp {
    In,
    NotIn,
    /// `L contains A`.
    Contains,
    OneOf,
}

/// One side of a comparison or membership test: a single value, or a list (an element side
/// when it is a mapped phrase; any other list there is a compile error).
#[derive(Clone, Debug)]
pub enum Side {
    One(Box<Expr>),
    Each(ListE),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum QKind {
    Every,
    Some,
    No,
    AtLeast(u32),
    AtMost(u32),
    Exactly(u32),
}

#[derive(Clone, Debug)]
pub enum QOver {
    Records(Src),
    /// A yes/no list: `some technology source code escrow` (SPEC §8).
    YesNo(Src, &'static Field),
    /// `waiver` over the root list field `waivers`.
    Waivers,
}

#[derive(Clone, Debug)]
pub struct Quant {
    pub kind: QKind,
    pub over: QOver,
    pub filter: Option<Box<Expr>>,
    pub body: Option<Box<Expr>>,
}

#[derive(Clone, Debug)]
pub enum Expr {
    Lit(Lit),
    Root(&'static Field),
    /// A field of the current item (`up` = 0) or of an enclosing one.
    Item(usize, &'static Field),
    /// The current `waiver` of a quantifier over `waivers`.
    WaiverItem,
    LetScalar(usize),
    Agg(Agg, ListE),
    CountRecords(Src),
    /// `count of` a list of values (`count of party stake`, `count of technology source
    /// code escrow`).
    CountValues(ListE),
    Arith(AOp, Box<Expr>, Box<Expr>),
    /// A comparison; `true` prints it in words (`is at least`).
    Cmp(COp, bool, Side, Side),
    Member(MOp, Side, ListE),
    /// `A is within T of B`.
    Within(Side, Lit, Box<Expr>),
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Quant(Quant),
    /// `X is missing`, `X is present`, `X is not missing`, `X is not present` (SPEC §8), X a
    /// field of the root or of an item (`Root` or `Item`).
    Presence(Box<Expr>, &'static str),
}

impl Expr {
    /// Whether a presence test written `written` holds for an absent value.
    pub fn holds_when_absent(written: &str) -> bool {
        matches!(written, "is missing" | "is not present")
    }
}

#[derive(Clone, Debug)]
pub enum MustSubject {
    One(Expr),
    Each(ListE),
    Records(Src),
}

#[derive(Clone, Debug)]
pub enum MustPred {
    /// `be V`: `=` with a single value.
    Be(Expr),
    /// `be L`: membership, a list value.
    BeList(ListE),
    BeIn(ListE),
    BeOneOf(ListE),
    /// `be at least V` (`Ge`), `be at most V` (`Le`), `be more than V`, `be less than V`.
    BeCmp(COp, Expr),
    Have(&'static Field),
    StayIn(ListE),
    Stay(ListE),
}

#[derive(Clone, Debug)]
pub struct Must {
    pub subject: MustSubject,
    pub negated: bool,
    pub pred: MustPred,
}

#[derive(Clone, Debug)]
pub enum Clause {
    Expr(Expr),
    Must(Must),
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: String,
    /// `effective FROM [until UNTIL]`.
    pub window: Option<(String, Option<String>)>,
    pub whens: Vec<Expr>,
    pub requires: Vec<Clause>,
    pub unlesses: Vec<Expr>,
}

#[derive(Clone, Debug)]
pub enum LetDef {
    Scalar(Expr, Ty, Dom),
    Records(Src, Rec),
    List(Vec<Lit>, Dom),
    /// A list read from the deal: a definition bound to a mapped phrase.
    Mapped(ListE, Dom),
}

#[derive(Clone, Debug)]
pub struct Let {
    pub name: &'static str,
    pub def: LetDef,
}
