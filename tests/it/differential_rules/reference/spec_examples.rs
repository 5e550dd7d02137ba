//! The reference evaluator on the SPEC's own examples: a check of the checker, so that an
//! agreement with covenant means the SPEC and not a shared misreading. Each test builds the
//! rule as a tree, prints it (the text the SPEC writes) and evaluates it.

use serde_json::{json, Value};

use super::ast::*;
use super::eval::{Eval, Outcome};
use super::gen_prelude::prelude;
use super::pools::q;
use super::print::Printer;
use super::rng::Rng;

fn lets() -> Vec<Let> {
    prelude(&mut Rng::new(1))
}

fn let_index(lets: &[Let], name: &str) -> usize {
    lets.iter().position(|l| l.name == name).unwrap()
}

fn field(rec: Rec, key: &str) -> &'static Field {
    rec.fields().iter().find(|f| f.key == key).unwrap()
}

fn root(key: &str) -> &'static Field {
    ROOT_FIELDS.iter().find(|f| f.key == key).unwrap()
}

fn one(e: Expr) -> Side {
    Side::One(Box::new(e))
}

fn cmp(op: COp, a: Side, b: Side) -> Expr {
    Expr::Cmp(op, false, a, b)
}

fn pct(n: i128) -> Expr {
    Expr::Lit(Lit::Pct(q(n, 100)))
}

fn num(n: i128) -> Expr {
    Expr::Lit(Lit::Num(Q::from_integer(n)))
}

fn arith(op: AOp, a: Expr, b: Expr) -> Expr {
    Expr::Arith(op, Box::new(a), Box::new(b))
}

fn total(src: Src, f: &'static Field) -> Expr {
    Expr::Agg(Agg::Total, ListE::Mapped(src, f))
}

fn rule(requires: Vec<Clause>) -> Rule {
    Rule {
        id: "r".into(),
        window: None,
        whens: Vec::new(),
        requires,
        unlesses: Vec::new(),
    }
}

/// The rule's text and its outcome on `deal`.
fn check(lets: &[Let], r: &Rule, deal: Value) -> (String, Outcome) {
    let text = Printer::new(lets).rule(r);
    let outcome = Eval::new(&deal, lets).rule(r);
    (text, outcome)
}

#[test]
fn zero_over_zero_of_empty_totals_is_incomplete() {
    let lets = lets();
    let foreign = Src::Let(let_index(&lets, "foreign partner"));
    let subsidies = field(Rec::Party, "subsidies");
    let share = arith(
        AOp::Div,
        total(foreign, subsidies),
        total(Src::Root(Rec::Party), subsidies),
    );
    let half = Expr::Lit(Lit::Num(q(1, 2)));
    let r = rule(vec![Clause::Expr(cmp(COp::Lt, one(share), one(half)))]);
    let (text, outcome) = check(&lets, &r, json!({"proposal": "x", "parties": []}));
    assert_eq!(
        text,
        "rule r: total foreign partner subsidies / total party subsidies < 0.5"
    );
    assert_eq!(outcome, Outcome::Incomplete);
}

#[test]
fn an_empty_total_keeps_its_unit() {
    let lets = lets();
    let content = total(Src::Root(Rec::Plant), field(Rec::Plant, "local_content"));
    let r = rule(vec![Clause::Expr(cmp(
        COp::Lt,
        one(arith(AOp::Div, content, num(2))),
        one(pct(10)),
    ))]);
    let (text, outcome) = check(&lets, &r, json!({"proposal": "x"}));
    assert_eq!(text, "rule r: total plant local content / 2 < 10%");
    assert_eq!(outcome, Outcome::Pass);
}

#[test]
fn exact_arithmetic_and_percent_of_a_number() {
    let lets = lets();
    let third = arith(AOp::Mul, arith(AOp::Div, pct(100), num(3)), num(3));
    let exact = cmp(COp::Eq, one(third), one(pct(100)));
    let seats = arith(AOp::Of, pct(50), Expr::Root(root("board.seats")));
    let half = cmp(COp::Eq, one(seats), one(Expr::Lit(Lit::Num(q(7, 2)))));
    let r = rule(vec![Clause::Expr(exact), Clause::Expr(half)]);
    let (text, outcome) = check(&lets, &r, json!({"proposal": "x", "board": {"seats": 7}}));
    assert_eq!(
        text,
        "rule r {\n  require 100% / 3 * 3 = 100%\n  require 50% of board seats = 3.5\n}"
    );
    assert_eq!(outcome, Outcome::Pass);
}

#[test]
fn a_missing_list_makes_at_least_zero_unknown_and_maybe_members_count() {
    let lets = lets();
    let at_least = |n: u32, filter: Option<Expr>| {
        Expr::Quant(Quant {
            kind: QKind::AtLeast(n),
            over: QOver::Records(Src::Root(Rec::Party)),
            filter: filter.map(Box::new),
            body: None,
        })
    };
    let r = rule(vec![Clause::Expr(at_least(0, None))]);
    let (text, outcome) = check(&lets, &r, json!({"proposal": "x"}));
    assert_eq!(text, "rule r: at least 0 parties");
    assert_eq!(outcome, Outcome::Incomplete);
    // One sure and one maybe member: at least 1 holds, at least 2 is unknown.
    let big = cmp(
        COp::Gt,
        one(Expr::Item(0, field(Rec::Party, "stake"))),
        one(pct(10)),
    );
    let deal = json!({"proposal": "x", "parties": [{"stake": "20%"}, {"name": "B"}]});
    let r = rule(vec![Clause::Expr(at_least(1, Some(big.clone())))]);
    assert_eq!(check(&lets, &r, deal.clone()).1, Outcome::Pass);
    let r = rule(vec![Clause::Expr(at_least(2, Some(big)))]);
    let (text, outcome) = check(&lets, &r, deal);
    assert_eq!(text, "rule r: at least 2 parties where stake > 10%");
    assert_eq!(outcome, Outcome::Incomplete);
}

#[test]
fn must_not_puts_the_negation_inside() {
    let lets = lets();
    let foreign = Src::Let(let_index(&lets, "foreign partner"));
    let covered = ListE::Let(let_index(&lets, "covered nation"));
    let r = rule(vec![Clause::Must(Must {
        subject: MustSubject::Each(ListE::Mapped(foreign, field(Rec::Party, "country"))),
        negated: true,
        pred: MustPred::BeIn(covered),
    })]);
    let deal = json!({"proposal": "x", "parties": [{"country": "US"}, {"country": "DE"}, {"country": "CN"}]});
    let (text, outcome) = check(&lets, &r, deal);
    assert_eq!(
        text,
        "rule r: foreign partner country must not be in covered nation"
    );
    assert_eq!(outcome, Outcome::Fail);
}

#[test]
fn a_near_miss_is_unknown() {
    let lets = lets();
    let vcs = cmp(
        COp::Eq,
        one(Expr::Item(0, field(Rec::Tech, "category"))),
        one(Expr::Lit(Lit::Str("vcs".into()))),
    );
    let none = Expr::Quant(Quant {
        kind: QKind::No,
        over: QOver::Records(Src::Root(Rec::Tech)),
        filter: Some(Box::new(vcs)),
        body: None,
    });
    let r = rule(vec![Clause::Expr(none)]);
    let deal = json!({"proposal": "x", "technology": [{"category": "VCS"}]});
    let (text, outcome) = check(&lets, &r, deal);
    assert_eq!(text, "rule r: no technology where category = \"vcs\"");
    assert_eq!(outcome, Outcome::Incomplete);
}

#[test]
fn a_yes_no_element_matches_only_when_true() {
    let lets = lets();
    let some = Expr::Quant(Quant {
        kind: QKind::Some,
        over: QOver::YesNo(Src::Root(Rec::Tech), field(Rec::Tech, "source_code_escrow")),
        filter: None,
        body: None,
    });
    let r = rule(vec![Clause::Expr(some)]);
    let deal = json!({"proposal": "x", "technology": [{"source_code_escrow": false}]});
    let (text, outcome) = check(&lets, &r, deal);
    assert_eq!(text, "rule r: some technology source code escrow");
    assert_eq!(outcome, Outcome::Fail);
}

#[test]
fn an_exemption_is_checked_before_an_unknown_when_and_a_window_needs_a_date() {
    let lets = lets();
    let filed = Expr::Root(root("cfius_filed"));
    let waived = Expr::Member(
        MOp::Contains,
        one(Expr::Lit(Lit::Str("US-CONTROL".into()))),
        ListE::Waivers,
    );
    let mut r = rule(vec![Clause::Expr(filed.clone())]);
    r.whens.push(filed);
    r.unlesses.push(waived);
    let deal = json!({"proposal": "x", "waivers": ["US-CONTROL"]});
    let (text, outcome) = check(&lets, &r, deal.clone());
    assert_eq!(
        text,
        "rule r {\n  when cfius filed\n  require cfius filed\n  unless waivers contains \"US-CONTROL\"\n}"
    );
    assert_eq!(outcome, Outcome::Exempt);
    r.window = Some(("2026-01-01".into(), Some("2027-01-01".into())));
    assert_eq!(check(&lets, &r, deal).1, Outcome::Incomplete);
    let dated = json!({"proposal": "x", "date": "2027-01-01", "waivers": ["US-CONTROL"]});
    assert_eq!(check(&lets, &r, dated).1, Outcome::NotApplicable);
}
