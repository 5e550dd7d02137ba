//! Random policy texts covering every construct of the language (SPEC §2): a header, `use`,
//! `let` with multi-word names, braced, one-line and bare rules with every clause, quantifiers
//! (counting ones too) with `where` and `:`, `and`/`or`/`not`, every comparison spelling,
//! `in`/`not in`/`contains`/`is one of`/`is within`, arithmetic, `of`, aggregates (with `per`),
//! `look-through` (with `by control`), must-forms, lists, every literal kind, back-quoted
//! words, `deal` and dotted phrases; `as` names on quantifiers and filters, projections,
//! presence tests and lookup tables with every kind of cell and `otherwise` (SPEC §8);
//! durations (`N days`, `( … ) working days`), `year of`, windows `on D` and a header
//! `calendar` (SPEC §9); `converted to CUR [on D]` and the header's `fx` clause (SPEC §11).
//!
//! An expression is generated as a tree and printed with the parentheses its context needs
//! (a quantifier or a `where` runs to the end of the clause, so one that is not last gets
//! them). A stream of random bytes decides the layout: extra spaces, line breaks where the
//! grammar allows them (after `and`, `or`, operators, `where`, `:`, `,`, anywhere inside
//! brackets), blank lines, trailing and own-line comments.

use proptest::prelude::*;

#[derive(Clone, Debug)]
pub enum G {
    Quant {
        head: &'static str,
        subject: Box<G>,
        name: Option<&'static str>,
        filter: Option<Box<G>>,
        body: Option<Box<G>>,
    },
    Or(Box<G>, Box<G>),
    And(Box<G>, Box<G>),
    Not(Box<G>),
    Cmp(&'static str, Box<G>, Box<G>),
    Mem(&'static str, Box<G>, Box<G>),
    Within(Box<G>, Box<G>, Box<G>),
    Arith(&'static str, Box<G>, Box<G>),
    Agg(&'static str, Box<G>),
    /// `year of D`
    YearOf(Box<G>),
    Where(Box<G>, Option<&'static str>, Box<G>),
    /// `(LIST) PHRASE`
    Project(Box<G>, String),
    /// `X is [not] missing|present`
    Presence(Box<G>, &'static str),
    /// `AGG X per K`.
    Per(&'static str, Box<G>, String),
    /// `look-through M of S in T [by control [more than|at least P]]`.
    Look {
        measure: String,
        holders: Box<G>,
        target: Box<G>,
        control: Option<Option<(&'static str, Box<G>)>>,
    },
    /// `X converted to CUR [on D]`.
    Convert(Box<G>, &'static str, Option<Box<G>>),
    List(Vec<G>, bool),
    Atom(String),
    Phrase(String),
    Paren(Box<G>),
}

/// A clause expression: an expression or a must-form.
#[derive(Clone, Debug)]
pub enum Ce {
    Expr(G),
    Must {
        subject: G,
        not: bool,
        pred: &'static str,
        value: G,
    },
}

#[derive(Clone, Debug)]
pub enum Clause {
    Severity(&'static str),
    /// `overrides ID[, ID …]` (SPEC §14).
    Overrides(Vec<String>),
    /// `cite TEXT [section S] [url U] [version V]` (SPEC §12).
    Cite(String, Option<String>, Option<String>, Option<String>),
    /// `effective FROM [until UNTIL] [on D]`
    Effective(&'static str, Option<&'static str>, Option<G>),
    When(Ce),
    Require(Ce),
    Unless(Ce),
    Help(String),
}

/// A cell of a table row.
#[derive(Clone, Debug)]
pub enum Cell {
    Any,
    /// `from V [until W]`.
    From(G, Option<G>),
    Value(G),
}

/// `table by K…:` and its rows, one cell per key each, then maybe `otherwise` (SPEC §8).
#[derive(Clone, Debug)]
pub struct Table {
    pub keys: Vec<G>,
    pub rows: Vec<(Vec<Cell>, G)>,
    pub otherwise: Option<G>,
}

#[derive(Clone, Debug)]
pub enum Item {
    Use(String),
    Let(Vec<&'static str>, G),
    /// `define SINGULAR WORDS: EXPR`
    Define(&'static str, Vec<&'static str>, G),
    /// `let NAME = table by …` (SPEC §8).
    LetTable(Vec<&'static str>, Table),
    /// `define SINGULAR WORDS: table by …`.
    DefineTable(&'static str, Vec<&'static str>, Table),
    Braced(String, Option<String>, Vec<Clause>),
    OneLine(String, Option<String>, Ce),
    Bare(Ce),
}

#[derive(Clone, Debug)]
pub struct Header {
    pub title: String,
    /// `version` first and on the `policy` line.
    pub version_inline: bool,
    /// Header clauses in order: 0 version, 1 jurisdiction, 2 schema, 3 effective, 4 schema
    /// `extends standard`, 5 calendar, 6 effective with `on`, 7 `fx`, 8 `fx` with `url`, 9
    /// `cite`, 10 `cite` with `section`, `url` and `version` (SPEC §12).
    pub clauses: Vec<u8>,
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub header: Option<Header>,
    pub items: Vec<Item>,
    pub noise: Vec<u8>,
}

const NUMBERS: &[&str] = &["0", "7", "42", "3.5", "1_000_000", "0.25", "10_000.5"];
const PERCENTS: &[&str] = &["50%", "49.5%", "100%", "0.1%", "1_0%"];
const MONEY: &[&str] = &["USD 3.5B", "EUR 120M", "USD 250_000", "USD  7K", "GBP 0"];
const DATES: &[&str] = &["2026-09-01", "2024-02-29", "1999-12-31"];
/// Durations: a number and its unit (SPEC §9).
const DURATIONS: &[&str] = &[
    "30 days",
    "1 day",
    "1_000 months",
    "2 years",
    "1 year",
    "5 working days",
    "1  working   day",
];
const STRINGS: &[&str] = &[
    "\"US\"",
    "\"\"",
    "\"a \\\"quoted\\\" word\"",
    "\"back\\\\slash\"",
    "\"x # not a comment\"",
    "\"US–China ✓\"",
    "\"`tick`\"",
];
const WORDS: &[&str] = &[
    "party", "parties", "stake", "board", "seats", "country", "home", "x", "y2", "_tmp", "data",
    "foreign", "partner",
];
/// Words that may follow the first word of a phrase (clause words are plain words there).
const LATER_WORDS: &[&str] = &[
    "jurisdiction",
    "severity",
    "help",
    "location",
    "missing",
    "present",
    // Words only in their place (SPEC §15): plain words in a phrase.
    "days",
    "year",
    "on",
    "from",
    "working",
    "evaluation",
    "date",
    "calendar",
    "converted",
    "fx",
];
/// Currencies of `converted to`.
const CURRENCIES: &[&str] = &["USD", "CAD", "EUR"];
/// `as` names.
const NAMES: &[&str] = &["tier", "p", "other item"];
const PRESENCE: &[&str] = &[
    "is missing",
    "is present",
    "is not missing",
    "is not present",
];
const QUOTED: &[&str] = &["`count`", "`is`", "`a b`", "`#x`", "`more`"];
const CMP: &[&str] = &[
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "!=",
    "is",
    "is not",
    "is at least",
    "is at most",
    "is more than",
    "is less than",
];
const MEM: &[&str] = &["in", "not in", "contains", "is one of"];
const ARITH: &[&str] = &["+", "-", "*", "/", "of"];
const AGG: &[&str] = &["total", "count of", "number of", "max", "min", "average"];
const HEADS: &[&str] = &[
    "every",
    "some",
    "no",
    "at least 2",
    "at most 01",
    "exactly 1_0",
];
const MUST: &[&str] = &[
    "be",
    "be in",
    "be one of",
    "be at least",
    "be at most",
    "be more than",
    "be less than",
    "stay",
    "stay in",
    "have",
    "be missing",
    "be present",
];
const IDS: &[&str] = &["american-control", "r1", "a-b-c", "x"];
const TITLES: &[&str] = &["\"A title\"", "\"Say \\\"hi\\\"\"", "\"#1 rule\""];

fn pick(list: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(list)
}

pub fn literal() -> impl Strategy<Value = G> {
    prop_oneof![
        pick(NUMBERS),
        pick(PERCENTS),
        pick(MONEY),
        pick(DATES),
        pick(DURATIONS),
        pick(STRINGS),
        pick(&["true", "false"]),
    ]
    .prop_map(|s| G::Atom(s.to_string()))
}

/// A phrase: words, back-quoted words, `deal`, dots.
pub fn phrase() -> impl Strategy<Value = String> {
    let first = prop_oneof![4 => pick(WORDS), 1 => pick(QUOTED), 1 => Just("deal")];
    let later = prop_oneof![4 => pick(WORDS), 1 => pick(LATER_WORDS), 1 => pick(QUOTED)];
    (
        first,
        proptest::collection::vec((later, any::<bool>(), 0..3u8), 0..3),
    )
        .prop_map(|(first, rest)| {
            let mut s = first.to_string();
            for (w, dot, spaces) in rest {
                let gap = " ".repeat(spaces as usize);
                if dot {
                    s.push_str(&format!("{gap}.{gap}{w}"));
                } else {
                    s.push_str(&format!(" {gap}{w}"));
                }
            }
            s
        })
}

fn bx(g: G) -> Box<G> {
    Box::new(g)
}

pub fn expr() -> impl Strategy<Value = G> {
    let leaf = prop_oneof![literal(), phrase().prop_map(G::Phrase)];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let subject = prop_oneof![
            3 => phrase().prop_map(G::Phrase),
            1 => inner.clone().prop_map(|g| G::Paren(bx(g))),
        ];
        prop_oneof![
            (
                (pick(HEADS), proptest::option::of(pick(NAMES))),
                subject,
                proptest::option::of(inner.clone()),
                proptest::option::of(inner.clone())
            )
                .prop_map(|((head, name), s, f, b)| {
                    // `every` needs a body.
                    let b = match (head, b) {
                        ("every", None) => Some(G::Atom("true".into())),
                        (_, b) => b,
                    };
                    G::Quant {
                        head,
                        subject: bx(s),
                        name,
                        filter: f.map(bx),
                        body: b.map(bx),
                    }
                }),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| G::Or(bx(a), bx(b))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| G::And(bx(a), bx(b))),
            inner.clone().prop_map(|a| G::Not(bx(a))),
            (pick(CMP), inner.clone(), inner.clone()).prop_map(|(op, a, b)| G::Cmp(
                op,
                bx(a),
                bx(b)
            )),
            (pick(MEM), inner.clone(), inner.clone()).prop_map(|(op, a, b)| G::Mem(
                op,
                bx(a),
                bx(b)
            )),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(a, t, b)| G::Within(
                bx(a),
                bx(t),
                bx(b)
            )),
            (pick(ARITH), inner.clone(), inner.clone()).prop_map(|(op, a, b)| G::Arith(
                op,
                bx(a),
                bx(b)
            )),
            (pick(AGG), inner.clone()).prop_map(|(op, a)| G::Agg(op, bx(a))),
            inner.clone().prop_map(|a| G::YearOf(bx(a))),
            (
                inner.clone(),
                proptest::option::of(pick(NAMES)),
                inner.clone()
            )
                .prop_map(|(a, n, b)| G::Where(bx(a), n, bx(b))),
            (inner.clone(), phrase()).prop_map(|(a, p)| G::Project(bx(a), p)),
            (inner.clone(), pick(PRESENCE)).prop_map(|(a, w)| G::Presence(bx(a), w)),
            (pick(AGG), inner.clone(), phrase()).prop_map(|(op, a, k)| G::Per(op, bx(a), k)),
            (
                phrase(),
                inner.clone(),
                inner.clone(),
                proptest::option::of(proptest::option::of((
                    pick(&["more than", "at least"]),
                    inner.clone()
                )))
            )
                .prop_map(|(measure, s, t, c)| G::Look {
                    measure,
                    holders: bx(s),
                    target: bx(t),
                    control: c.map(|c| c.map(|(w, p)| (w, bx(p)))),
                }),
            (
                inner.clone(),
                pick(CURRENCIES),
                proptest::option::of(inner.clone())
            )
                .prop_map(|(a, c, d)| G::Convert(bx(a), c, d.map(bx))),
            (
                proptest::collection::vec(inner.clone(), 0..4),
                any::<bool>()
            )
                .prop_map(|(items, comma)| G::List(items, comma)),
            inner.prop_map(|a| G::Paren(bx(a))),
        ]
    })
}

pub fn clause_expr() -> impl Strategy<Value = Ce> {
    prop_oneof![
        3 => expr().prop_map(Ce::Expr),
        1 => (expr(), any::<bool>(), pick(MUST), expr(), phrase()).prop_map(
            |(subject, not, pred, value, field)| {
                let value = if pred == "have" { G::Phrase(field) } else { value };
                Ce::Must { subject, not, pred, value }
            }
        ),
    ]
}

fn text() -> impl Strategy<Value = String> {
    pick(STRINGS).prop_map(str::to_string)
}

fn clause() -> impl Strategy<Value = Clause> {
    prop_oneof![
        pick(&["error", "warning", "info"]).prop_map(Clause::Severity),
        (
            text(),
            proptest::option::of(text()),
            proptest::option::of(text()),
            proptest::option::of(text())
        )
            .prop_map(|(t, s, u, v)| Clause::Cite(t, s, u, v)),
        proptest::collection::vec(id(), 1..4).prop_map(Clause::Overrides),
        (
            pick(DATES),
            proptest::option::of(pick(DATES)),
            proptest::option::of(expr())
        )
            .prop_map(|(a, b, on)| Clause::Effective(a, b, on)),
        clause_expr().prop_map(Clause::When),
        clause_expr().prop_map(Clause::Require),
        clause_expr().prop_map(Clause::Unless),
        text().prop_map(Clause::Help),
    ]
}

/// Clauses of one rule: `severity`, `effective` and `help` at most once.
fn clauses() -> impl Strategy<Value = Vec<Clause>> {
    proptest::collection::vec(clause(), 0..5).prop_map(|cs| {
        let mut seen = [false; 3];
        cs.into_iter()
            .filter(|c| {
                let slot = match c {
                    Clause::Severity(_) => 0,
                    Clause::Effective(..) => 1,
                    Clause::Help(_) => 2,
                    _ => return true,
                };
                !std::mem::replace(&mut seen[slot], true)
            })
            .collect()
    })
}

fn title() -> impl Strategy<Value = Option<String>> {
    proptest::option::of(pick(TITLES).prop_map(str::to_string))
}

fn id() -> impl Strategy<Value = String> {
    pick(IDS).prop_map(str::to_string)
}

/// A bound of a `from` cell: a literal or a phrase.
fn bound() -> impl Strategy<Value = G> {
    prop_oneof![literal(), phrase().prop_map(G::Phrase)]
}

fn cell() -> impl Strategy<Value = Cell> {
    prop_oneof![
        1 => Just(Cell::Any),
        2 => (bound(), proptest::option::of(bound())).prop_map(|(f, u)| Cell::From(f, u)),
        3 => expr().prop_map(Cell::Value),
    ]
}

/// A table of one to three keys (cells need not resolve: only the syntax is tested).
pub fn table() -> impl Strategy<Value = Table> {
    (1..4usize)
        .prop_flat_map(|n| {
            (
                proptest::collection::vec(expr(), n),
                proptest::collection::vec((proptest::collection::vec(cell(), n), expr()), 1..4),
                proptest::option::of(expr()),
            )
        })
        .prop_map(|(keys, rows, otherwise)| Table {
            keys,
            rows,
            otherwise,
        })
}

fn item() -> impl Strategy<Value = Item> {
    prop_oneof![
        (proptest::collection::vec(pick(WORDS), 1..4), table())
            .prop_map(|(name, t)| Item::LetTable(name, t)),
        (
            pick(&["party", "entity", "owner"]),
            proptest::collection::vec(pick(WORDS), 1..3),
            table()
        )
            .prop_map(|(item, name, t)| Item::DefineTable(item, name, t)),
        pick(&["\"common.policy\"", "\"a/b c.policy\""]).prop_map(|p| Item::Use(p.into())),
        (proptest::collection::vec(pick(WORDS), 1..4), expr())
            .prop_map(|(name, value)| Item::Let(name, value)),
        (
            pick(&["party", "entity", "owner"]),
            proptest::collection::vec(pick(WORDS), 1..3),
            expr()
        )
            .prop_map(|(item, name, value)| Item::Define(item, name, value)),
        (id(), title(), clauses()).prop_map(|(i, t, cs)| Item::Braced(i, t, cs)),
        (id(), title(), clause_expr()).prop_map(|(i, t, e)| Item::OneLine(i, t, e)),
        clause_expr().prop_map(Item::Bare),
    ]
}

fn header() -> impl Strategy<Value = Header> {
    (
        pick(TITLES),
        any::<bool>(),
        proptest::sample::subsequence(vec![0u8, 1, 2, 3, 5, 7, 9, 10], 0..=8).prop_shuffle(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(title, version_inline, clauses, extends, on, url)| Header {
                title: title.to_string(),
                version_inline,
                clauses: clauses
                    .into_iter()
                    .map(|c| match c {
                        2 if extends => 4,
                        3 if on => 6,
                        7 if url => 8,
                        c => c,
                    })
                    .collect(),
            },
        )
}

pub fn policy() -> impl Strategy<Value = Policy> {
    (
        proptest::option::of(header()),
        proptest::collection::vec(item(), 0..6),
        proptest::collection::vec(any::<u8>(), 64),
    )
        .prop_map(|(header, items, noise)| Policy {
            header,
            items,
            noise,
        })
}
