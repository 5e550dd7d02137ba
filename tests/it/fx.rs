//! Money across currencies (SPEC §11): `fx` rate files, `E converted to CUR [on D]`, the rate
//! of a pair on a date (exact day, the 7-day look-back, inverse rows, cross rates through a
//! single base), exactness, unknowns, the compile-time checks and the evidence in every report.

use crate::common::*;
use covenant::eval::outcome::Outcome;
use covenant::report::prose;

/// A policy of `rules` that converts with the made-up rates of `tests/fixtures/fx/rates.csv`
/// (read relative to the working directory: `compile_str` has no policy folder).
fn with_rates(rules: &str) -> String {
    format!("policy \"P\"\n  fx \"Test rates\" from \"tests/fixtures/fx/rates.csv\"\n\n{rules}\n")
}

/// The same with the real ECB rates of `examples/fx` (one base: EUR).
fn with_ecb(rules: &str) -> String {
    format!(
        "policy \"P\"\n  fx \"ECB reference rates\" from \"examples/fx/ecb-eurofxref-2024-07.csv\"\n\n{rules}\n"
    )
}

fn deal(date: &str, investment: &str) -> String {
    format!("proposal: \"t\"\ndate: {date}\ninvestment: \"{investment}\"\n")
}

/// The outcome of the one rule of `policy` on `yaml`, at `as_of` if given.
fn outcome_as_of(policy: &str, yaml: &str, as_of: Option<&str>) -> String {
    let o = outcomes_as_of(policy, yaml, as_of);
    assert_eq!(o.len(), 1, "{o:?}");
    o[0].split_once('=').unwrap().1.to_string()
}

/// The notes of the one rule's evidence.
fn notes(policy: &str, yaml: &str, as_of: Option<&str>) -> Vec<String> {
    let (_, r) = results(policy, yaml, as_of);
    r[0].evidence.iter().map(prose::note).collect()
}

#[test]
fn a_rate_of_the_day() {
    // USD 9B at 1.365 CAD/USD is CAD 12.285B exactly.
    let d = deal("2024-07-11", "USD 9B");
    for (rule, outcome) in [
        ("rule r: investment converted to CAD = CAD 12.285B", "pass"),
        ("rule r: investment converted to CAD < CAD 12.285B", "fail"),
        ("rule r: investment converted to CAD >= CAD 12.285B", "pass"),
    ] {
        assert_eq!(
            outcome_as_of(&with_rates(rule), &d, None),
            outcome,
            "{rule}"
        );
    }
    let n = notes(
        &with_rates("rule r: investment converted to CAD < CAD 12B"),
        &d,
        None,
    );
    assert!(
        n.contains(
            &"USD 9B = CAD 12.285B at 1.365 CAD/USD of 2024-07-11 (tests/fixtures/fx/rates.csv:3)"
                .to_string()
        ),
        "{n:#?}"
    );
}

#[test]
fn a_rate_up_to_seven_days_back() {
    let rule = with_rates("rule r: investment converted to CAD = CAD 11.25B");
    // 2024-07-09 − 7 days is 2024-07-02, which has a row (1.25).
    assert_eq!(
        outcome_as_of(&rule, &deal("2024-07-09", "USD 9B"), None),
        "pass"
    );
    let n = notes(
        &with_rates("rule r: investment converted to CAD > CAD 12B"),
        &deal("2024-07-09", "USD 9B"),
        None,
    );
    assert!(
        n.iter().any(|l| l == "USD 9B = CAD 11.25B at 1.25 CAD/USD of 2024-07-02, the latest on or before 2024-07-09 (tests/fixtures/fx/rates.csv:2)"),
        "{n:#?}"
    );
    // 2024-07-10 − 7 days is 2024-07-03: the row of 2024-07-02 is 8 days back, no rate.
    let d = deal("2024-07-10", "USD 9B");
    assert_eq!(outcome_as_of(&rule, &d, None), "incomplete");
    assert_eq!(
        notes(&rule, &d, None),
        ["no rate from USD to CAD in `tests/fixtures/fx/rates.csv` on 2024-07-10 or the 7 days before"]
    );
    // Never a later row: the day before the first row has none.
    assert_eq!(
        outcome_as_of(&rule, &deal("2024-07-01", "USD 9B"), None),
        "incomplete"
    );
}

#[test]
fn an_inverse_row() {
    // CAD 12.285B at 1.365 CAD/USD is USD 9B: the row USD→CAD read backwards, exactly.
    let d = deal("2024-07-11", "CAD 12.285B");
    let rule = with_rates("rule r: investment converted to USD = USD 9B");
    assert_eq!(outcome_as_of(&rule, &d, None), "pass");
    let n = notes(
        &with_rates("rule r: investment converted to USD > USD 9B"),
        &d,
        None,
    );
    assert!(
        n.contains(
            &"CAD 12.285B = USD 9B at 1.365 CAD/USD of 2024-07-11 (tests/fixtures/fx/rates.csv:3)"
                .to_string()
        ),
        "{n:#?}"
    );
}

#[test]
fn a_cross_rate_through_the_single_base() {
    // USD 1.0855B is EUR 1B (1.0855 USD/EUR), which is CAD 1.4796B (1.4796 CAD/EUR).
    let d = deal("2024-07-11", "USD 1.0855B");
    let rule = with_ecb("rule r: investment converted to CAD = CAD 1.4796B");
    assert_eq!(outcome_as_of(&rule, &d, None), "pass");
    let n = notes(
        &with_ecb("rule r: investment converted to CAD < CAD 1B"),
        &d,
        None,
    );
    assert!(
        n.contains(&"USD 1.0855B = CAD 1.4796B at 1.4796 CAD/EUR ÷ 1.0855 USD/EUR of 2024-07-11 (examples/fx/ecb-eurofxref-2024-07.csv, lines 54 and 50)".to_string()),
        "{n:#?}"
    );
}

#[test]
fn no_cross_rate_in_a_file_of_several_bases() {
    // GBP→USD and USD→CAD rows, but two bases: GBP→CAD is not chained through USD.
    let d = deal("2024-07-11", "GBP 1M");
    let rule = with_rates("rule r: investment converted to CAD < CAD 5M");
    assert_eq!(outcome_as_of(&rule, &d, None), "incomplete");
    let (_, r) = results(&rule, &d, None);
    assert!(matches!(
        &r[0].evidence[0].note,
        covenant::eval::outcome::Note::Unknown(covenant::eval::outcome::Reason::NoRate(_))
    ));
    // The direct row GBP→USD does convert.
    let rule = with_rates("rule r: investment converted to USD = USD 1.28M");
    assert_eq!(outcome_as_of(&rule, &d, None), "pass");
}

#[test]
fn a_missing_rate_names_the_pair_the_date_and_the_file() {
    let rule = with_ecb("rule r: investment converted to CAD < CAD 1B");
    let d = deal("2024-07-11", "CHF 1M");
    assert_eq!(outcome_as_of(&rule, &d, None), "pass");
    let d = deal("2024-07-11", "AUD 1M");
    assert_eq!(outcome_as_of(&rule, &d, None), "incomplete");
    assert_eq!(
        notes(&rule, &d, None),
        ["no rate from AUD to CAD in `examples/fx/ecb-eurofxref-2024-07.csv` on 2024-07-11 or the 7 days before"]
    );
    // A missing rate is never a pass, under `not` either.
    let not_rule = with_ecb("rule r: not (investment converted to CAD < CAD 1B)");
    assert_eq!(outcome_as_of(&not_rule, &d, None), "incomplete");
}

#[test]
fn the_same_currency_needs_no_rate() {
    // CAD to CAD is the amount itself, on a day the file has no row.
    let rule = with_rates("rule r: investment converted to CAD = CAD 5M");
    assert_eq!(
        outcome_as_of(&rule, &deal("2030-01-01", "CAD 5M"), None),
        "pass"
    );
}

#[test]
fn as_of_moves_the_default_date() {
    let rule = with_rates("rule r: investment converted to CAD = CAD 12.285B");
    let d = deal("2024-07-10", "USD 9B");
    assert_eq!(outcome_as_of(&rule, &d, None), "incomplete");
    // --as-of is the rule's evaluation date, the date a conversion without `on` takes.
    assert_eq!(outcome_as_of(&rule, &d, Some("2024-07-11")), "pass");
    assert_eq!(outcome_as_of(&rule, &d, Some("2024-07-18")), "pass");
    assert_eq!(outcome_as_of(&rule, &d, Some("2024-07-19")), "incomplete");
    // `on` names the date whatever --as-of says.
    let on = with_rates("rule r: investment converted to CAD on 2024-07-11 = CAD 12.285B");
    assert_eq!(outcome_as_of(&on, &d, Some("2030-01-01")), "pass");
    let on = with_rates("rule r: investment converted to CAD on (date) = CAD 12.285B");
    assert_eq!(
        outcome_as_of(&on, &deal("2024-07-12", "USD 9B"), None),
        "pass"
    );
}

#[test]
fn an_unknown_date_makes_the_conversion_unknown() {
    let undated = "proposal: \"t\"\ninvestment: \"USD 9B\"\n";
    let rule = with_rates("rule r: investment converted to CAD < CAD 1B");
    assert_eq!(outcome_as_of(&rule, undated, None), "incomplete");
    assert_eq!(
        notes(&rule, undated, None),
        ["the evaluation date is unknown: the deal has no `date` and no --as-of was given"]
    );
    let on = with_rates("rule r: investment converted to CAD on (date) < CAD 1B");
    assert_eq!(outcome_as_of(&on, undated, None), "incomplete");
    assert_eq!(notes(&on, undated, None), ["`date` is missing"]);
    // A missing amount stays missing.
    let no_value = "proposal: \"t\"\ndate: 2024-07-11\n";
    assert_eq!(notes(&rule, no_value, None), ["`investment` is missing"]);
}

#[test]
fn exact_at_a_boundary() {
    // 1 / 1.0855 does not terminate; USD 1.0855B is still exactly EUR 1B.
    let d = deal("2024-07-11", "USD 1.0855B");
    for (rule, outcome) in [
        ("rule r: investment converted to EUR >= EUR 1B", "pass"),
        ("rule r: investment converted to EUR > EUR 1B", "fail"),
        ("rule r: investment converted to EUR <= EUR 1B", "pass"),
    ] {
        assert_eq!(outcome_as_of(&with_ecb(rule), &d, None), outcome, "{rule}");
    }
    // USD 1B is EUR 921,234,454.168…: between the two amounts around it, equal to neither.
    let d = deal("2024-07-11", "USD 1B");
    for (rule, outcome) in [
        (
            "rule r: investment converted to EUR > EUR 921234454.16",
            "pass",
        ),
        (
            "rule r: investment converted to EUR < EUR 921234454.17",
            "pass",
        ),
        (
            "rule r: investment converted to EUR = EUR 921234454.1685",
            "fail",
        ),
        // Back again: exactly USD 1B.
        (
            "rule r: (investment converted to EUR) converted to USD = USD 1B",
            "pass",
        ),
    ] {
        assert_eq!(outcome_as_of(&with_ecb(rule), &d, None), outcome, "{rule}");
    }
    let n = notes(
        &with_ecb("rule r: investment converted to EUR > EUR 1B"),
        &d,
        None,
    );
    assert!(
        n.iter()
            .any(|l| l.starts_with("`investment converted to EUR` is EUR ≈921,234,454")),
        "{n:#?}"
    );
}

const PARTIES: &str = "proposal: \"t\"\ndate: 2024-07-11\nparties:\n  \
    - { name: \"Maple\", country: \"CA\", stake: \"60%\", subsidies: \"CAD 120M\" }\n  \
    - { name: \"Liberty\", country: \"US\", stake: \"40%\", subsidies: \"USD 100M\" }\n";

#[test]
fn a_list_converts_element_by_element() {
    // CAD 120M + USD 100M at 1.365 = CAD 256.5M.
    for (rule, outcome) in [
        (
            "rule r: total party subsidies converted to CAD = CAD 256.5M",
            "pass",
        ),
        (
            "rule r: party subsidies converted to CAD < CAD 137M",
            "pass",
        ),
        (
            "rule r: party subsidies converted to CAD < CAD 136M",
            "fail",
        ),
        (
            "rule r: every party: subsidies converted to CAD <= CAD 136.5M",
            "pass",
        ),
        (
            "rule r: max party subsidies converted to CAD = CAD 136.5M",
            "pass",
        ),
        // Inside a body, a conversion of a list that reads no item is computed once per deal.
        (
            "rule r: every party: subsidies converted to CAD <= max (parties) subsidies converted to CAD",
            "pass",
        ),
        (
            "rule r: some party: subsidies converted to CAD > total (parties) subsidies converted to CAD / 2",
            "pass",
        ),
    ] {
        assert_eq!(
            outcome_as_of(&with_rates(rule), PARTIES, None),
            outcome,
            "{rule}"
        );
    }
    // Evidence names the element each conversion is for.
    let n = notes(
        &with_rates("rule r: party subsidies converted to CAD < CAD 136M"),
        PARTIES,
        None,
    );
    assert!(
        n.contains(&"USD 100M = CAD 136.5M for party \"Liberty\" at 1.365 CAD/USD of 2024-07-11 (tests/fixtures/fx/rates.csv:3)".to_string()),
        "{n:#?}"
    );
    let n = notes(
        &with_rates("rule r: total party subsidies converted to CAD > CAD 300M"),
        PARTIES,
        None,
    );
    assert!(
        n.iter()
            .any(|l| l.starts_with("USD 100M = CAD 136.5M for party \"Liberty\"")),
        "{n:#?}"
    );
    // An empty total is a zero of the currency.
    let empty = "proposal: \"t\"\ndate: 2024-07-11\nparties: []\n";
    let rule = with_rates("rule r: total party subsidies converted to CAD = CAD 0");
    assert_eq!(outcome_as_of(&rule, empty, None), "pass");
}

#[test]
fn a_definition_and_a_used_file_see_the_table() {
    let compiled = covenant::resolve::compile(&["tests/fixtures/fx/uses/threshold.policy".into()])
        .unwrap_or_else(|e| panic!("{e:?}"));
    let p = compiled.policy;
    let d = load_yaml(&p, &deal("2024-07-11", "USD 9B"));
    let r = covenant::eval::evaluate(&p, &d, None);
    let o: Vec<&str> = r.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(o, ["fail", "fail"]);
    // The rate file was read relative to the policy that names it.
    assert_eq!(&*p.fx[0].path, "tests/fixtures/fx/uses/../rates.csv");
}

#[test]
fn a_clause_reached_twice_counts_once() {
    // top uses left and right, which both use rates: one table, seen through both.
    let compiled = covenant::resolve::compile(&["tests/fixtures/fx/diamond/top.policy".into()])
        .unwrap_or_else(|e| panic!("{e:?}"));
    let p = compiled.policy;
    assert_eq!(p.fx.len(), 1);
    let d = load_yaml(&p, &deal("2024-07-11", "USD 9B"));
    let r = covenant::eval::evaluate(&p, &d, None);
    let o: Vec<&str> = r.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(o, ["pass", "pass"]);
}

#[test]
fn conversions_need_one_table() {
    let codes = compile_errors("rule r: investment converted to CAD < CAD 1B\n");
    assert_eq!(codes, ["covenant::fx::no-table"]);
    // A file with a table converts; one without it beside it does not see it.
    let folder = covenant::resolve::compile(&[
        "tests/fixtures/diagnostics/resolve/fx-ambiguous-table".into(),
    ]);
    let codes: Vec<String> = match folder {
        Ok(_) => panic!("compiled"),
        Err(d) => d
            .iter()
            .filter_map(|d| miette::Diagnostic::code(d).map(|c| c.to_string()))
            .collect(),
    };
    assert_eq!(codes, ["covenant::fx::ambiguous-table"]);
}

#[test]
fn only_money_converts() {
    let codes = compile_errors(&with_rates("rule r: party stake converted to CAD < CAD 1B"));
    assert_eq!(codes, ["covenant::type::unit-mismatch"]);
    let codes = compile_errors(&with_rates(
        "rule r: investment converted to CAD on 5 < CAD 1B",
    ));
    assert_eq!(codes, ["covenant::type::unit-mismatch"]);
    let codes = compile_errors(&with_rates("rule r: 5 converted to CAD < CAD 1B"));
    assert_eq!(codes, ["covenant::type::unit-mismatch"]);
}

#[test]
fn malformed_rate_files_are_reported_at_their_line() {
    for (fixture, at) in [
        ("fx-bad-file-unreadable", "\"no-such-rates.csv\""),
        ("fx-bad-file-header", "date,currency,rate"),
        ("fx-bad-file-date", "2024-02-30"),
        ("fx-bad-file-currency", "usd"),
        ("fx-bad-file-rate", "0"),
        ("fx-bad-file-not-a-decimal", "1,365"),
        ("fx-bad-file-repeated", "2024-07-11,CAD,USD,0.7326"),
    ] {
        let path = format!("tests/fixtures/diagnostics/resolve/{fixture}.policy");
        let Err(diags) = covenant::resolve::compile(&[path.clone().into()]) else {
            panic!("{path} compiled")
        };
        let d = diags.first().unwrap();
        assert_eq!(
            miette::Diagnostic::code(d)
                .map(|c| c.to_string())
                .as_deref(),
            Some("covenant::fx::bad-file"),
            "{path}"
        );
        let label = miette::Diagnostic::labels(d)
            .and_then(|mut l| l.next())
            .unwrap();
        let src = miette::Diagnostic::source_code(d).unwrap();
        let text = src.read_span(label.inner(), 0, 0).unwrap();
        assert_eq!(std::str::from_utf8(text.data()).unwrap(), at, "{path}");
    }
}

#[test]
fn the_rate_file_is_bounded_by_the_policy_size_limit() {
    let limits = covenant::limits::PolicyLimits {
        max_file_size: 64,
        ..Default::default()
    };
    let Err(diags) =
        covenant::resolve::compile_with(&["tests/fixtures/fx/ecb.policy".into()], &limits)
    else {
        panic!("compiled")
    };
    let messages: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert!(
        messages.iter().any(|m| m.contains("larger than the limit")),
        "{messages:#?}"
    );
}

/// A conversion is made at its own rule's date, whatever rule came before: here one whose
/// window tests another date (`on 2024-07-02`, 1.25 CAD/USD) comes first, and the conversions
/// of the deal's date (2024-07-11, 1.365) after it, one true only at the other date (a pass
/// there would be a wrong pass). The fast path that answers a rule from its compiled forms
/// gives the rule its date too: with and without compiled forms, the same.
#[test]
fn a_conversion_after_a_rule_of_another_date_is_at_its_own_date() {
    let text = with_rates(concat!(
        "rule early {\n  effective 2000-01-01 on 2024-07-02\n",
        "  require investment converted to CAD = CAD 11.25B\n}\n",
        "rule not-today: investment converted to CAD = CAD 11.25B\n",
        "rule today: investment converted to CAD = CAD 12.285B\n",
    ));
    let p = policy(&text);
    let d = load_yaml(&p, &deal("2024-07-11", "USD 9B"));
    let with = covenant::eval::evaluate_with_warnings(&p, &d, None, false);
    let without = covenant::eval::evaluate_uncompiled(&p, &d, None, false);
    assert_eq!(format!("{with:?}"), format!("{without:?}"));
    let outcomes: Vec<_> = with.0.iter().map(|r| r.outcome).collect();
    assert_eq!(outcomes, [Outcome::Pass, Outcome::Fail, Outcome::Pass]);
}
