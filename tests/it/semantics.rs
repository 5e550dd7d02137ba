//! One focused test per construct of SPEC §2.4 and per rule of §3, on small deals.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use common::*;
use covenant::report::written::written;
use miette::Diagnostic;

fn deal_with_parties(parties: &str) -> String {
    format!("proposal: \"t\"\ndate: 2026-03-01\njurisdiction: \"US\"\nboard: {{ seats: 7 }}\nparties:\n{parties}")
}

fn party(name: &str, country: &str, stake: &str) -> String {
    format!("  - {{ name: \"{name}\", country: \"{country}\", stake: \"{stake}\" }}\n")
}

const LETS: &str = "let home = \"US\"\nlet foreign partner = parties where country != home\nlet american partner = parties where country = home\n";

// ---- quantifiers on empty and non-empty lists -------------------------------------------

#[test]
fn every_holds_vacuously_on_an_empty_list() {
    assert_eq!(
        one("rule r: every plant: local content >= 75%", JV_NO_PLANTS),
        "pass"
    );
}

const JV_NO_PLANTS: &str = "proposal: \"t\"\nplants: []\n";

#[test]
fn every_fails_on_one_failing_element() {
    assert_eq!(one("rule r: every plant: local content >= 75%", JV), "fail");
    let d = "proposal: t\nplants:\n  - { country: \"US\", local_content: \"80%\" }\n";
    assert_eq!(one("rule r: every plant: local content >= 75%", d), "pass");
}

#[test]
fn some_is_false_on_an_empty_list() {
    assert_eq!(one("rule r: some plant", JV_NO_PLANTS), "fail");
    assert_eq!(one("rule r: some plant where country = \"US\"", JV), "pass");
    assert_eq!(one("rule r: some plant where country = \"MX\"", JV), "fail");
}

#[test]
fn no_is_true_on_an_empty_list() {
    assert_eq!(
        one("rule r: no plant where country = \"US\"", JV_NO_PLANTS),
        "pass"
    );
    assert_eq!(one("rule r: no plant where country = \"US\"", JV), "fail");
}

#[test]
fn counting_quantifiers() {
    let p = |q: &str| format!("rule r: {q} party where country = \"US\"");
    assert_eq!(one(&p("at least 1"), JV), "pass");
    assert_eq!(one(&p("at least 2"), JV), "fail");
    assert_eq!(one(&p("at most 1"), JV), "pass");
    assert_eq!(one(&p("at most 0"), JV), "fail");
    assert_eq!(one(&p("exactly 1"), JV), "pass");
    assert_eq!(one(&p("exactly 2"), JV), "fail");
    assert_eq!(one("rule r: at least 1 plant", JV_NO_PLANTS), "fail");
    assert_eq!(one("rule r: at most 0 plant", JV_NO_PLANTS), "pass");
    assert_eq!(one("rule r: exactly 0 plant", JV_NO_PLANTS), "pass");
}

#[test]
fn counting_with_maybe_elements_is_unknown_until_decided() {
    // One sure US party, one party whose country is missing (maybe).
    let d = deal_with_parties("  - { name: \"A\", country: \"US\" }\n  - { name: \"B\" }\n");
    let p = |q: &str| format!("rule r: {q} party where country = \"US\"");
    assert_eq!(one(&p("at least 1"), &d), "pass");
    assert_eq!(one(&p("at least 2"), &d), "incomplete");
    assert_eq!(one(&p("at least 3"), &d), "fail");
    assert_eq!(one(&p("at most 1"), &d), "incomplete");
    assert_eq!(one(&p("at most 2"), &d), "pass");
    assert_eq!(one(&p("exactly 1"), &d), "incomplete");
}

// ---- Kleene logic -------------------------------------------------------------------------

#[test]
fn kleene_and_or_not() {
    // cfius_filed missing → unknown.
    let d = "proposal: t\nsector: \"automotive\"\n";
    assert_eq!(one("rule r: cfius filed and sector = \"x\"", d), "fail");
    assert_eq!(
        one("rule r: cfius filed and sector = \"automotive\"", d),
        "incomplete"
    );
    assert_eq!(
        one("rule r: cfius filed or sector = \"automotive\"", d),
        "pass"
    );
    assert_eq!(
        one("rule r: cfius filed or sector = \"x\"", d),
        "incomplete"
    );
    assert_eq!(one("rule r: not cfius filed", d), "incomplete");
    assert_eq!(one("rule r: not (sector = \"x\")", d), "pass");
}

#[test]
fn every_and_some_with_unknown_elements() {
    let d =
        deal_with_parties(&(party("A", "US", "60%") + "  - { name: \"B\", country: \"CN\" }\n"));
    assert_eq!(one("rule r: every party: stake > 10%", &d), "incomplete");
    assert_eq!(one("rule r: every party: stake > 70%", &d), "fail");
    assert_eq!(one("rule r: some party: stake > 50%", &d), "pass");
    assert_eq!(one("rule r: some party: stake > 70%", &d), "incomplete");
    assert_eq!(one("rule r: no party: stake > 70%", &d), "incomplete");
}

#[test]
fn a_filter_with_an_unknown_condition_keeps_the_element_as_maybe() {
    let d = deal_with_parties(&(party("A", "US", "60%") + "  - { name: \"B\", stake: \"55%\" }\n"));
    let p = format!("{LETS}rule r: foreign partner stake < 50%");
    assert_eq!(one(&p, &d), "incomplete");
    let p = format!("{LETS}rule r: foreign partner stake < 60%");
    assert_eq!(one(&p, &d), "pass");
    let p = format!("{LETS}rule r: total american partner stake > 50%");
    assert_eq!(one(&p, &d), "incomplete");
}

// ---- implicit each ------------------------------------------------------------------------

#[test]
fn implicit_each_holds_for_every_element() {
    let p = format!("{LETS}rule foreign-minority: foreign partner stake < 50%");
    assert_eq!(one(&p, JV), "pass");
    let d = deal_with_parties(&(party("A", "US", "40%") + &party("B", "CN", "60%")));
    assert_eq!(one(&p, &d), "fail");
    // No foreign partner: holds vacuously.
    let d = deal_with_parties(&party("A", "US", "100%"));
    assert_eq!(one(&p, &d), "pass");
}

#[test]
fn a_missing_parties_list_is_missing_not_empty() {
    let p = format!("{LETS}rule r: foreign partner stake < 50%");
    assert_eq!(one(&p, "proposal: t\n"), "incomplete");
}

#[test]
fn stake_boundaries_at_fifty_percent() {
    let p = format!("{LETS}rule r: foreign partner stake < 50%");
    for (stake, expected) in [("49.99%", "pass"), ("50%", "fail"), ("50.01%", "fail")] {
        let d = deal_with_parties(&(party("A", "US", "50%") + &party("B", "CN", stake)));
        assert_eq!(one(&p, &d), expected, "stake {stake}");
    }
    let p = format!("{LETS}rule r: total american partner stake > 50%");
    for (stake, expected) in [("49.99%", "fail"), ("50%", "fail"), ("50.01%", "pass")] {
        let d = deal_with_parties(&party("A", "US", stake));
        assert_eq!(one(&p, &d), expected, "stake {stake}");
    }
}

// ---- arithmetic and units -----------------------------------------------------------------

#[test]
fn exact_rational_arithmetic() {
    assert_eq!(one("rule r: 100% / 3 * 3 = 100%", "proposal: t\n"), "pass");
    assert_eq!(one("rule r: 0.1 + 0.2 = 0.3", "proposal: t\n"), "pass");
    assert_eq!(
        one("rule r: 33.33% + 33.33% + 33.34% = 100%", "proposal: t\n"),
        "pass"
    );
}

#[test]
fn percent_of_money() {
    assert_eq!(one("rule r: 10% of investment = USD 350M", JV), "pass");
    assert_eq!(
        one("rule r: 10% of USD 1B = USD 100M", "proposal: t\n"),
        "pass"
    );
    assert_eq!(one("rule r: 50% of 50% = 25%", "proposal: t\n"), "pass");
}

/// `P% of N` with `N` a plain number is a share of the count (a number), so it compares with
/// other counts; `P% * N` stays a percent (`100% / 3 * 3 = 100%`).
#[test]
fn percent_of_a_number_is_a_number() {
    let seven = "proposal: t\nboard: { seats: 7 }\nparties:\n  - { name: A, board_seats: 4 }\n  - { name: B, board_seats: 3 }\n";
    assert_eq!(one("rule r: 50% of board.seats = 3.5", seven), "pass");
    assert_eq!(
        one(
            "rule r: total party board seats > 50% of board.seats",
            seven
        ),
        "pass"
    );
    assert_eq!(
        one(
            "rule r: every party: board seats > 50% of board.seats",
            seven
        ),
        "fail"
    );
    assert_eq!(one("rule r: 50% of 8 = 4", "proposal: t\n"), "pass");
    assert_eq!(one("rule r: 100% / 3 * 3 = 100%", "proposal: t\n"), "pass");
    assert_eq!(one("rule r: 50% * 8 = 400%", "proposal: t\n"), "pass");
    let missing = "proposal: t\nparties:\n  - { name: A, board_seats: 4 }\n";
    assert_eq!(
        one(
            "rule r: total party board seats > 50% of board.seats",
            missing
        ),
        "incomplete"
    );
}

#[test]
fn unit_rules_of_multiplication_and_division() {
    let t = "proposal: t\n";
    assert_eq!(one("rule r: USD 10M / 2 = USD 5M", t), "pass");
    assert_eq!(one("rule r: USD 10M / USD 5M = 2", t), "pass");
    assert_eq!(one("rule r: 2 * USD 5M = USD 10M", t), "pass");
    assert_eq!(one("rule r: 50% / 2 = 25%", t), "pass");
}

#[test]
fn unit_mismatches_are_compile_errors() {
    assert!(compile_errors("rule r: board seats > 50%")
        .contains(&"covenant::type::unit-mismatch".to_string()));
    assert!(compile_errors("rule r: investment * investment > USD 1")
        .contains(&"covenant::type::unit-mismatch".to_string()));
    assert!(compile_errors("rule r: every party: stake > 50")
        .contains(&"covenant::type::unit-mismatch".to_string()));
}

/// A run of `+` / `-` or `*` / `/` is one flat node: it computes left to right as the binary
/// tree did, and a unit mismatch is reported at the step that does not fit, labelled from the
/// chain's first operand to that step's operand, with nothing after it reported.
#[test]
fn arithmetic_chains_compute_left_to_right_and_report_the_step_that_does_not_fit() {
    let t = "proposal: t\n";
    assert_eq!(one("rule r: 10 - 4 - 3 + 1 = 4", t), "pass");
    assert_eq!(one("rule r: 12 / 2 / 3 * 4 = 8", t), "pass");
    assert_eq!(one("rule r: 100% / 3 * 3 = 100%", t), "pass");
    assert_eq!(one("rule r: 1 + 2 * 3 - 8 / 4 / 2 = 6", t), "pass");
    assert_eq!(one("rule r: 6 * 2 / (1 - 1) * 5 = 1", t), "incomplete");
    assert_eq!(
        one("rule r: USD 1 + USD 2 + EUR 3 > USD 1", t),
        "incomplete"
    );
    let text = "rule r: board seats + 1 + 10% + investment > 1";
    let Err(errors) = covenant::resolve::compile_str("test.policy", text) else {
        panic!("compiled")
    };
    let found: Vec<(String, String, String)> = errors
        .iter()
        .map(|d| {
            let label = d.labels().unwrap().next().unwrap();
            let at = label.offset()..label.offset() + label.len();
            (
                d.code().unwrap().to_string(),
                d.to_string(),
                text[at].to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "covenant::type::unit-mismatch".to_string(),
            "cannot compute number + percent".to_string(),
            "board seats + 1 + 10%".to_string()
        )]
    );
}

#[test]
fn currency_mismatch_is_incomplete_at_run_time() {
    assert_eq!(one("rule r: investment > EUR 1B", JV), "incomplete");
}

#[test]
fn division_by_zero_is_incomplete() {
    let d = "proposal: t\nboard: { seats: 0 }\n";
    assert_eq!(one("rule r: 10 / board seats > 1", d), "incomplete");
}

#[test]
fn empty_aggregates() {
    let t = "proposal: t\nplants: []\n";
    assert_eq!(one("rule r: total plant capacity = 0", t), "pass");
    assert_eq!(one("rule r: count of plants = 0", t), "pass");
    assert_eq!(one("rule r: max plant capacity > 0", t), "incomplete");
    let (_, r) = results("rule r: max plant capacity > 0", t, None);
    let r = [written(&r[0])];
    assert!(
        r[0].evidence.iter().any(|e| e.note.contains("empty list")),
        "{:?}",
        r[0].evidence
    );
    assert_eq!(one("rule r: total plant local content <= 10%", t), "pass");
}

#[test]
fn aggregates_over_values() {
    assert_eq!(one("rule r: total party stake = 100%", JV), "pass");
    assert_eq!(one("rule r: max party stake = 51%", JV), "pass");
    assert_eq!(one("rule r: min party stake = 49%", JV), "pass");
    assert_eq!(one("rule r: average party stake = 50%", JV), "pass");
    assert_eq!(one("rule r: count of parties = 2", JV), "pass");
    assert_eq!(one("rule r: number of parties = 2", JV), "pass");
}

#[test]
fn a_missing_stake_never_counts_as_zero() {
    let d =
        deal_with_parties(&(party("A", "US", "51%") + "  - { name: \"B\", country: \"CN\" }\n"));
    assert_eq!(one("rule r: total party stake <= 100%", &d), "incomplete");
}

// ---- membership and tolerance -------------------------------------------------------------

#[test]
fn membership_forms() {
    let lets = "let covered nation = [\"CN\", \"RU\"]\n";
    assert_eq!(
        one(
            &format!("{lets}rule r: some party where country in covered nation"),
            JV
        ),
        "pass"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: every party: country not in covered nation"),
            JV
        ),
        "fail"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: every party: country is one of [\"US\", \"CN\"]"),
            JV
        ),
        "pass"
    );
    assert_eq!(one("rule r: waivers contains \"US-CONTROL\"", JV), "fail");
    assert_eq!(one("rule r: data transfers contains \"CN\"", JV), "pass");
}

#[test]
fn tolerance_is_inclusive_and_absolute() {
    assert_eq!(
        one("rule r: every party: stake is within 1% of 50%", JV),
        "pass"
    );
    assert_eq!(
        one("rule r: every party: stake is within 0.5% of 50%", JV),
        "fail"
    );
}

#[test]
fn is_phrases_compare() {
    assert_eq!(one("rule r: board seats is at least 7", JV), "pass");
    assert_eq!(one("rule r: board seats is at most 6", JV), "fail");
    assert_eq!(one("rule r: board seats is more than 6", JV), "pass");
    assert_eq!(one("rule r: board seats is less than 7", JV), "fail");
    assert_eq!(one("rule r: board chair is \"Acme Motors\"", JV), "pass");
    assert_eq!(
        one("rule r: board chair is not \"Acme Motors\"", JV),
        "fail"
    );
}

// ---- must-forms ---------------------------------------------------------------------------

#[test]
fn must_forms() {
    let lets = "let home = \"US\"\nlet onshore = [home]\nlet covered nation = [\"CN\", \"RU\"]\nlet foreign partner = parties where country != home\n";
    assert_eq!(
        one(&format!("{lets}rule r: data must stay onshore"), JV),
        "fail"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: data must stay in [\"US\", \"CN\"]"),
            JV
        ),
        "pass"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: foreign partner country must not be in covered nation"),
            JV
        ),
        "fail"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: party country must be one of [\"US\", \"CN\"]"),
            JV
        ),
        "pass"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: party stake must be at least 49%"),
            JV
        ),
        "pass"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: party stake must be more than 49%"),
            JV
        ),
        "fail"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: technology must have source code escrow"),
            JV
        ),
        "fail"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: board chair must be \"Acme Motors\""),
            JV
        ),
        "pass"
    );
    assert_eq!(
        one(&format!("{lets}rule r: jurisdiction must be onshore"), JV),
        "pass"
    );
}

#[test]
fn stay_without_location_is_a_compile_error() {
    assert!(compile_errors("rule r: parties must stay in [\"US\"]")
        .contains(&"covenant::type::no-location".to_string()));
}

// ---- rule outcomes (§3.1) -----------------------------------------------------------------

const WINDOWED: &str = "rule r {\n  effective 2026-03-01 until 2026-06-01\n  require true\n}";

#[test]
fn effective_windows_at_their_boundaries() {
    let d = |date: &str| format!("proposal: t\ndate: {date}\n");
    assert_eq!(one(WINDOWED, &d("2026-02-28")), "not-applicable");
    assert_eq!(one(WINDOWED, &d("2026-03-01")), "pass");
    assert_eq!(one(WINDOWED, &d("2026-05-31")), "pass");
    assert_eq!(one(WINDOWED, &d("2026-06-01")), "not-applicable");
    assert_eq!(one(WINDOWED, "proposal: t\n"), "incomplete");
}

#[test]
fn as_of_replaces_the_deal_date_for_windows_only() {
    let d = "proposal: t\ndate: 2026-01-01\n";
    assert_eq!(outcomes_as_of(WINDOWED, d, Some("2026-04-01")), ["r=pass"]);
    assert_eq!(
        outcomes_as_of(WINDOWED, "proposal: t\n", Some("2026-04-01")),
        ["r=pass"]
    );
    // Phrases still read the deal.
    let p = "rule r: date = 2026-01-01";
    assert_eq!(outcomes_as_of(p, d, Some("2026-04-01")), ["r=pass"]);
}

#[test]
fn header_window_is_the_default_and_a_rule_window_replaces_it() {
    let p = "policy \"p\"\n  effective 2026-05-01\n\nrule a: true\nrule b {\n  effective 2026-01-01\n  require true\n}\n";
    assert_eq!(
        outcomes(p, "proposal: t\ndate: 2026-03-01\n"),
        ["a=not-applicable", "b=pass"]
    );
}

#[test]
fn when_false_is_not_applicable_and_when_unknown_is_incomplete() {
    let p = "rule r {\n  when sector = \"automotive\"\n  require false\n}";
    assert_eq!(
        one(p, "proposal: t\nsector: \"energy\"\n"),
        "not-applicable"
    );
    assert_eq!(one(p, "proposal: t\n"), "incomplete");
    assert_eq!(one(p, "proposal: t\nsector: \"automotive\"\n"), "fail");
}

#[test]
fn unless_exempts_only_when_it_holds() {
    let p = "rule r {\n  require false\n  unless waivers contains \"X\"\n}";
    assert_eq!(one(p, "proposal: t\nwaivers: [\"X\"]\n"), "exempt");
    assert_eq!(one(p, "proposal: t\n"), "fail");
    // An unknown exemption does not exempt, and is noted.
    let p = "rule r {\n  require false\n  unless cfius filed\n}";
    assert_eq!(one(p, "proposal: t\n"), "fail");
    let (_, r) = results(p, "proposal: t\n", None);
    let r = [written(&r[0])];
    assert!(
        r[0].evidence.iter().any(|e| e.note.contains("exemption")),
        "{:?}",
        r[0].evidence
    );
}

#[test]
fn the_order_of_section_3_1() {
    // A false `when` wins over a holding `unless`.
    let p = "rule r {\n  when sector = \"x\"\n  require false\n  unless true\n}";
    assert_eq!(one(p, "proposal: t\nsector: \"y\"\n"), "not-applicable");
    // A holding `unless` wins over an unknown `when`.
    assert_eq!(one(p, "proposal: t\n"), "exempt");
    // The window comes first.
    let p = "rule r {\n  effective 2030-01-01\n  when false\n  require false\n}";
    assert_eq!(one(p, "proposal: t\ndate: 2026-01-01\n"), "not-applicable");
}

#[test]
fn header_jurisdiction_guards_every_rule() {
    let p = "policy \"p\"\n  jurisdiction \"US\"\n\nrule r: false\n";
    assert_eq!(
        one(p, "proposal: t\njurisdiction: \"MX\"\n"),
        "not-applicable"
    );
    assert_eq!(one(p, "proposal: t\njurisdiction: \"US\"\n"), "fail");
    assert_eq!(one(p, "proposal: t\n"), "incomplete");
}

#[test]
fn several_requires_all_must_hold() {
    let p = "rule r {\n  require true\n  require cfius filed\n}";
    assert_eq!(one(p, "proposal: t\n"), "incomplete");
    let p = "rule r {\n  require false\n  require cfius filed\n}";
    assert_eq!(one(p, "proposal: t\n"), "fail");
}

// ---- evidence -----------------------------------------------------------------------------

#[test]
fn evidence_names_the_element_value_bound_margin_and_position() {
    let p = format!("{LETS}rule foreign-minority: foreign partner stake < 50%");
    let d = deal_with_parties(
        &(party("Acme Motors", "US", "49%") + &party("Dragon Motors", "CN", "51%")),
    );
    let (_, r) = results(&p, &d, None);
    let r = [written(&r[0])];
    let e = &r[0].evidence[0];
    assert_eq!(e.element.as_deref(), Some("party \"Dragon Motors\""));
    assert_eq!(e.value.as_deref(), Some("51%"));
    assert_eq!(e.bound.as_deref(), Some("50%"));
    assert_eq!(e.margin.as_deref(), Some("1 percentage point over"));
    let loc = e.location.as_ref().expect("a location");
    assert_eq!((loc.line, loc.column), (7, 52));
    assert_eq!(
        r[0].help.as_deref(),
        Some("reduce Dragon Motors' stake by more than 1 percentage point")
    );
}

#[test]
fn incomplete_names_the_missing_field() {
    let p = format!("{LETS}rule r: foreign partner stake < 50%");
    let d = deal_with_parties("  - { name: \"Dragon Motors\", country: \"CN\" }\n");
    let (_, r) = results(&p, &d, None);
    let r = [written(&r[0])];
    assert!(
        r[0].message.contains("`stake` is missing"),
        "{}",
        r[0].message
    );
    assert_eq!(
        r[0].evidence[0].element.as_deref(),
        Some("party \"Dragon Motors\"")
    );
    assert_eq!(r[0].evidence[0].path.as_deref(), Some("parties[0].stake"));
}

// ---- verdicts -----------------------------------------------------------------------------

#[test]
fn warnings_do_not_change_the_verdict_unless_denied() {
    use covenant::eval::outcome::{verdict, Outcome, Verdict};
    use covenant::syntax::ast::Severity;
    let r = [
        (Severity::Error, Outcome::Pass),
        (Severity::Warning, Outcome::Fail),
    ];
    assert_eq!(verdict(&r, false), Verdict::Compliant);
    assert_eq!(verdict(&r, true), Verdict::NonCompliant);
    let r = [
        (Severity::Error, Outcome::Incomplete),
        (Severity::Error, Outcome::Fail),
    ];
    assert_eq!(verdict(&r, false), Verdict::NonCompliant);
    let r = [
        (Severity::Error, Outcome::Incomplete),
        (Severity::Info, Outcome::Fail),
    ];
    assert_eq!(verdict(&r, false), Verdict::Incomplete);
}

// ---- static checks ------------------------------------------------------------------------

#[test]
fn guards_must_not_hold_vacuously() {
    let errs = compile_errors("rule r {\n  when party country = \"US\"\n  require true\n}");
    assert!(
        errs.contains(&"covenant::type::list-in-guard".to_string()),
        "{errs:?}"
    );
}

#[test]
fn two_lists_in_one_comparison_is_an_error() {
    let errs = compile_errors("rule r: party stake < party voting");
    assert!(
        errs.contains(&"covenant::type::two-lists".to_string()),
        "{errs:?}"
    );
}

#[test]
fn equality_with_a_list_value_asks_for_in() {
    let errs = compile_errors("let covered = [\"CN\"]\nrule r: every party: country = covered");
    assert!(
        errs.contains(&"covenant::type::scalar-list-comparison".to_string()),
        "{errs:?}"
    );
}

#[test]
fn unknown_phrase_has_a_did_you_mean() {
    let errs = compile_errors("rule r: every party: stak < 50%");
    assert_eq!(errs, ["covenant::resolve::unknown-phrase"]);
}

#[test]
fn cyclic_and_duplicate_definitions() {
    let errs = compile_errors("let a = b\nlet b = a\nrule r: a");
    assert!(
        errs.contains(&"covenant::resolve::cyclic-definition".to_string()),
        "{errs:?}"
    );
    let errs = compile_errors("let a = 1\nlet a = 2\nrule r: a = 1");
    assert!(
        errs.contains(&"covenant::resolve::duplicate-definition".to_string()),
        "{errs:?}"
    );
}

#[test]
fn duplicate_rule_ids_and_derived_ids() {
    let errs = compile_errors("rule a: true\nrule a: false");
    assert_eq!(errs, ["covenant::resolve::duplicate-rule-id"]);
    let p = policy(
        "let home = \"US\"\nlet onshore = [home]\ndata must stay onshore\nboard seats <= 11\n",
    );
    let ids: Vec<&str> = p.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["data-must-stay-onshore", "board-seats-le-11"]);
}

#[test]
fn a_definition_that_shadows_a_field_is_an_error() {
    let errs = compile_errors("let board = 3\nrule r: board seats > 1");
    assert!(
        errs.iter().any(|e| e.starts_with("covenant::resolve::")),
        "{errs:?}"
    );
}

#[test]
fn item_scope_and_deal_root_inside_quantifiers() {
    let p = "let home = \"US\"\nlet foreign partner = parties where country != home\nrule r: every technology where transfer = \"license\" and owner in foreign partner name: source code escrow";
    assert_eq!(one(p, JV), "fail");
    let p = "rule r: every party: some technology where owner = party name";
    assert_eq!(one(p, JV), "fail");
    let p = "rule r: every party: deal sector = \"automotive\"";
    assert_eq!(one(p, JV), "pass");
}

// ---- evidence paths -----------------------------------------------------------------------

#[test]
fn a_nested_record_field_has_its_full_path_and_help() {
    let t = "proposal: t\nboard: { seats: 13 }\n";
    let (_, r) = results("rule board-size: board seats <= 11", t, None);
    let r = [written(&r[0])];
    assert_eq!(r[0].evidence[0].path.as_deref(), Some("board.seats"));
    assert_eq!(
        r[0].help.as_deref(),
        Some("reduce the board seats by at least 2")
    );
    // A missing field of a nested record names it by its full path too.
    let (_, r) = results("rule chair: board chair = \"A\"", t, None);
    assert_eq!(
        r[0].evidence[0].path.as_deref(),
        Some("board.chair"),
        "{:?}",
        r[0].evidence
    );
    // A list element's fields keep theirs.
    let (_, r) = results("rule r: every party: stake <= 50%", JV, None);
    assert_eq!(r[0].evidence[0].path.as_deref(), Some("parties[0].stake"));
}

// ---- evidence wording ---------------------------------------------------------------------

/// A yes/no value tested against `true` or `false` reads as the value: "`cfius filed` is
/// true", never "is true, is true" or "is false, not is true".
#[test]
fn yes_no_evidence_reads_as_the_value() {
    let tech = "proposal: t\ntechnology:\n  - { name: \"LFP\", source_code_escrow: false }\n";
    for (policy, deal, note) in [
        (
            "rule r: not cfius filed",
            "proposal: t\ncfius_filed: true\n",
            "`cfius filed` is true",
        ),
        (
            "rule r: cfius filed = false",
            "proposal: t\ncfius_filed: true\n",
            "`cfius filed` is true",
        ),
        (
            "rule r: cfius filed != true",
            "proposal: t\ncfius_filed: true\n",
            "`cfius filed` is true",
        ),
        (
            "rule r: cfius filed must be false",
            "proposal: t\ncfius_filed: true\n",
            "`cfius filed` is true",
        ),
        (
            "rule r: cfius filed",
            "proposal: t\ncfius_filed: false\n",
            "`cfius filed` is false",
        ),
        (
            "rule r: cfius filed = true",
            "proposal: t\ncfius_filed: false\n",
            "`cfius filed` is false",
        ),
        (
            "rule r: every technology: source code escrow",
            tech,
            "`source code escrow` is false for technology \"LFP\"",
        ),
        (
            "rule r: technology must have source code escrow",
            tech,
            "`source code escrow` is false for technology \"LFP\"",
        ),
    ] {
        let (_, r) = results(policy, deal, None);
        assert_eq!(r[0].outcome.as_str(), "fail", "{policy}");
        let r = [written(&r[0])];
        let notes: Vec<&str> = r[0].evidence.iter().map(|e| e.note.as_str()).collect();
        assert_eq!(notes, [note], "{policy}");
    }
}
