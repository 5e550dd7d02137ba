//! Every form of the SPEC §2.4 table, and the precedence between them.

use super::ex;

#[test]
fn quantifiers() {
    assert_eq!(
        ex("every party: stake > 0%"),
        "(every party : (> stake 0%))"
    );
    assert_eq!(
        ex("every plant where country = home: local content >= 75%"),
        "(every plant where (= country home) : (>= local_content 75%))"
    );
    assert_eq!(ex("some data"), "(some data)");
    assert_eq!(
        ex("some data where subjects > 5"),
        "(some data where (> subjects 5))"
    );
    assert_eq!(
        ex("some data: subjects > 5"),
        "(some data : (> subjects 5))"
    );
    assert_eq!(ex("no party where a = 1"), "(no party where (= a 1))");
    assert_eq!(ex("no party: a = 1"), "(no party : (= a 1))");
    assert_eq!(
        ex("at least 1 plant where country = home"),
        "(at-least 1 plant where (= country home))"
    );
    assert_eq!(
        ex("at most 2 party: stake > 10%"),
        "(at-most 2 party : (> stake 10%))"
    );
    assert_eq!(ex("exactly 3 plants"), "(exactly 3 plants)");
    assert_eq!(
        ex("some (parties where x = 1) : y"),
        "(some (paren (where parties (= x 1))) : y)"
    );
}

#[test]
fn quantifier_filter_and_body_run_to_the_end() {
    assert_eq!(
        ex("no party where country in covered nation and government stake >= 25%"),
        "(no party where (and (in country covered_nation) (>= government_stake 25%)))"
    );
    assert_eq!(
        ex("every t where a = 1 and b in c: x or y"),
        "(every t where (and (= a 1) (in b c)) : (or x y))"
    );
}

#[test]
fn colon_belongs_to_the_innermost_quantifier() {
    assert_eq!(
        ex("every party: some technology where owner = party name: x"),
        "(every party : (some technology where (= owner party_name) : x))"
    );
    assert_eq!(
        ex("every party where some t: x: y"),
        "(every party where (some t : x) : y)"
    );
}

#[test]
fn quantifiers_as_logic_operands() {
    assert_eq!(ex("not every party: x"), "(not (every party : x))");
    assert_eq!(
        ex("(every p: x) and (some q)"),
        "(and (paren (every p : x)) (paren (some q)))"
    );
    assert_eq!(ex("a or some q: b and c"), "(or a (some q : (and b c)))");
}

#[test]
fn logic() {
    assert_eq!(ex("a or b and c"), "(or a (and b c))");
    assert_eq!(ex("a and b or c"), "(or (and a b) c)");
    assert_eq!(ex("a and b and c"), "(and a b c)");
    assert_eq!(ex("a or b or c and d"), "(or a b (and c d))");
    assert_eq!(ex("(a and b) and c"), "(and (paren (and a b)) c)");
    assert_eq!(ex("not a and b"), "(and (not a) b)");
    assert_eq!(ex("not not a"), "(not (not a))");
    assert_eq!(ex("not a = b"), "(not (= a b))");
}

#[test]
fn comparisons() {
    assert_eq!(ex("a < b"), "(< a b)");
    assert_eq!(ex("a <= b"), "(<= a b)");
    assert_eq!(ex("a > b"), "(> a b)");
    assert_eq!(ex("a >= b"), "(>= a b)");
    assert_eq!(ex("a = b"), "(= a b)");
    assert_eq!(ex("a != b"), "(!= a b)");
    assert_eq!(ex("a is b"), "(= a b)");
    assert_eq!(ex("a is not b"), "(!= a b)");
    assert_eq!(ex("a is at least b"), "(>= a b)");
    assert_eq!(ex("a is at most b"), "(<= a b)");
    assert_eq!(ex("a is more than b"), "(> a b)");
    assert_eq!(ex("a is less than b"), "(< a b)");
    assert_eq!(ex("cfius filed is true"), "(= cfius_filed true)");
}

#[test]
fn membership() {
    assert_eq!(ex("a in b"), "(in a b)");
    assert_eq!(ex("a not in b"), "(not-in a b)");
    assert_eq!(
        ex("waivers contains \"US-CONTROL\""),
        "(in/contains \"US-CONTROL\" waivers)"
    );
    assert_eq!(
        ex("a is one of [\"x\", \"y\"]"),
        "(in/one-of a [\"x\" \"y\"])"
    );
    assert_eq!(ex("a is within 5% of b"), "(within a 5% b)");
    assert_eq!(
        ex("a is within USD 1M of b + c"),
        "(within a USD:1000000 (+ b c))"
    );
    assert_eq!(ex("a is within (x) of b"), "(within a (paren x) b)");
    // Membership binds tighter than comparison.
    assert_eq!(ex("a in b = true"), "(= (in a b) true)");
}

#[test]
fn arithmetic() {
    assert_eq!(ex("a + b * c"), "(+ a (* b c))");
    assert_eq!(ex("a - b - c"), "(- (- a b) c)");
    assert_eq!(ex("a / b * c"), "(* (/ a b) c)");
    assert_eq!(ex("10% of investment"), "(of 10% investment)");
    assert_eq!(ex("a + 10% of b"), "(+ a (of 10% b))");
    assert_eq!(ex("10% of b * 2"), "(* (of 10% b) 2)");
    assert_eq!(ex("(a + b) * c"), "(* (paren (+ a b)) c)");
}

/// A run of one precedence level is one node with its operators in order; `of` closes the
/// run before it and nests.
#[test]
fn an_arithmetic_run_is_one_flat_node_and_of_nests() {
    use crate::source::SourceFile;
    use crate::syntax::ast::{ArithOp, ExprKind};
    assert_eq!(ex("a * b of c * d"), "(* (of (* a b) c) d)");
    assert_eq!(ex("a of b of c"), "(of (of a b) c)");
    assert_eq!(ex("a - b + c * d / e"), "(+ (- a b) (/ (* c d) e))");
    let file = SourceFile::new("t", "a - b + c - d");
    let Ok(e) = crate::syntax::parse_expr(&file) else {
        panic!("did not parse")
    };
    let ExprKind::Arith { first, rest } = &e.kind else {
        panic!("{:?}", e.kind)
    };
    assert!(
        matches!(first.kind, ExprKind::Phrase(_)),
        "{:?}",
        first.kind
    );
    let ops: Vec<ArithOp> = rest.iter().map(|(op, _)| *op).collect();
    assert_eq!(ops, [ArithOp::Sub, ArithOp::Add, ArithOp::Sub]);
}

#[test]
fn aggregates() {
    assert_eq!(ex("total x"), "(total x)");
    assert_eq!(ex("count of x"), "(count x)");
    assert_eq!(ex("number of x"), "(count x)");
    assert_eq!(ex("max x"), "(max x)");
    assert_eq!(ex("min x"), "(min x)");
    assert_eq!(ex("average x"), "(average x)");
    assert_eq!(ex("total max x"), "(total (max x))");
}

#[test]
fn aggregate_argument_binds_tighter_than_arithmetic() {
    assert_eq!(
        ex("total american partner stake > 50%"),
        "(> (total american_partner_stake) 50%)"
    );
    assert_eq!(
        ex("total foreign partner subsidies <= 10% of investment"),
        "(<= (total foreign_partner_subsidies) (of 10% investment))"
    );
    assert_eq!(
        ex("every party: profit share = 100% / count of parties"),
        "(every party : (= profit_share (/ 100% (count parties))))"
    );
    assert_eq!(
        ex("total american partner board seats > board seats / 2"),
        "(> (total american_partner_board_seats) (/ board_seats 2))"
    );
    assert_eq!(ex("total a + total b"), "(+ (total a) (total b))");
}

#[test]
fn where_runs_to_the_end_of_the_clause_or_bracket() {
    assert_eq!(
        ex("parties where country = home"),
        "(where parties (= country home))"
    );
    assert_eq!(
        ex("parties where a = 1 and b = 2"),
        "(where parties (and (= a 1) (= b 2)))"
    );
    assert_eq!(
        ex("count of (parties where country = home) >= 2"),
        "(>= (count (paren (where parties (= country home)))) 2)"
    );
    // Unparenthesised, the condition swallows the comparison.
    assert_eq!(
        ex("count of parties where country = home"),
        "(count (where parties (= country home)))"
    );
    assert_eq!(ex("[a where b, c]"), "[(where a b) c]");
}

#[test]
fn primaries() {
    assert_eq!(ex("[]"), "[]");
    assert_eq!(ex("[1, 2, 3,]"), "[1 2 3]");
    assert_eq!(ex("[[a], (b)]"), "[[a] (paren b)]");
    assert_eq!(ex("(a)"), "(paren a)");
    assert_eq!(ex("foreign partner stake"), "foreign_partner_stake");
}

#[test]
fn must_forms() {
    assert_eq!(ex("data must stay onshore"), "(must data (stay onshore))");
    assert_eq!(
        ex("data must stay in [home]"),
        "(must data (stay-in [home]))"
    );
    assert_eq!(ex("x must be 5"), "(must x (be 5))");
    assert_eq!(
        ex("x must not be in covered nation"),
        "(must-not x (be-in covered_nation))"
    );
    assert_eq!(ex("x must be one of [1, 2]"), "(must x (be-one-of [1 2]))");
    assert_eq!(ex("x must be at least 25%"), "(must x (be>= 25%))");
    assert_eq!(ex("x must be at most 25%"), "(must x (be<= 25%))");
    assert_eq!(ex("x must be more than 25%"), "(must x (be> 25%))");
    assert_eq!(ex("x must be less than 25%"), "(must x (be< 25%))");
    assert_eq!(
        ex("technology must have source code escrow"),
        "(must technology (have source_code_escrow))"
    );
    assert_eq!(
        ex("total x must be less than 10% of y"),
        "(must (total x) (be< (of 10% y)))"
    );
    assert_eq!(
        ex("foreign partner country must not be in covered nation"),
        "(must-not foreign_partner_country (be-in covered_nation))"
    );
    assert_eq!(
        ex("parties where a = 1 must have b"),
        "(must (where parties (= a 1)) (have b))"
    );
}

#[test]
fn item_names_on_quantifiers_and_filters() {
    assert_eq!(
        ex("some [20%, 25%, 40%] as tier: prior voting < tier"),
        "(some [20% 25% 40%] as tier : (< prior_voting tier))"
    );
    assert_eq!(
        ex("every party as p where stake > 0%: p name = x"),
        "(every party as p where (> stake 0%) : (= p_name x))"
    );
    assert_eq!(
        ex("at least 2 party as big holder: stake > 10%"),
        "(at-least 2 party as big_holder : (> stake 10%))"
    );
    assert_eq!(ex("no vetoes as v"), "(no vetoes as v)");
    assert_eq!(
        ex("count of (parties as p where p stake > 0%)"),
        "(count (paren (where parties as p (> p_stake 0%))))"
    );
    assert_eq!(ex("parties where x = 1"), "(where parties (= x 1))");
}

#[test]
fn projections_follow_a_parenthesised_list() {
    assert_eq!(
        ex("total (owners where country in land border) stake"),
        "(total (project (paren (where owners (in country land_border))) stake))"
    );
    assert_eq!(
        ex("(parties where investing) name"),
        "(project (paren (where parties investing)) name)"
    );
    // Without a phrase after it, a parenthesised expression stays one.
    assert_eq!(ex("(a) + b"), "(+ (paren a) b)");
}

#[test]
fn presence_tests() {
    assert_eq!(ex("closing date is missing"), "(is-missing closing_date)");
    assert_eq!(ex("board chair is present"), "(is-present board_chair)");
    assert_eq!(ex("x is not missing"), "(is-not-missing x)");
    assert_eq!(ex("x is not present and y"), "(and (is-not-present x) y)");
    // `missing` is a word anywhere else, and after `is` when a phrase goes on.
    assert_eq!(ex("x is missing value"), "(= x missing_value)");
    assert_eq!(ex("missing = 1"), "(= missing 1)");
    assert_eq!(ex("x is `missing`"), "(= x `missing`)");
}

#[test]
fn presence_must_forms() {
    assert_eq!(
        ex("board chair must be present"),
        "(must board_chair (be-present))"
    );
    assert_eq!(ex("x must not be missing"), "(must-not x (be-missing))");
    // A phrase after `be missing` is a value, as before.
    assert_eq!(ex("x must be missing value"), "(must x (be missing_value))");
}
