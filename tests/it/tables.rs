//! Lookup tables (SPEC §8): one key and two, literal, list, `from … until` and `any` cells,
//! `otherwise`, the unique-hit checks (`covenant::table::overlap`, `::unordered`,
//! `::bad-cell`), typed cells and values, unknown keys, near misses and `no-row` (never
//! another row), conditional values, tables in `define`, and the row as evidence in every
//! report.

use crate::common::*;
use covenant::report::prose;
use serde_json::Value;

/// The USMCA-like phase-in: the floor steps up each July (the open rows are closed by the
/// next one).
const RVC: &str = "let rvc floor = table by date:
  from 2020-07-01: 66%
  from 2021-07-01: 70%
  from 2022-07-01: 72%
  from 2023-07-01: 75%
rule rvc: every plant: local content >= rvc floor
";

fn deal(date: &str, content: &str) -> String {
    let date = if date.is_empty() {
        String::new()
    } else {
        format!("date: {date}\n")
    };
    format!(
        "proposal: \"t\"\n{date}plants:\n  - {{ country: \"US\", local_content: \"{content}\" }}\n"
    )
}

/// The notes of a single rule's evidence.
fn notes(policy_text: &str, yaml: &str) -> Vec<String> {
    let (_, r) = results(policy_text, yaml, None);
    r[0].evidence.iter().map(prose::note).collect()
}

/// The JSON `reason`s of a single rule's evidence.
fn reasons(policy_text: &str, yaml: &str) -> Vec<String> {
    let (_, r) = results(policy_text, yaml, None);
    r[0].evidence
        .iter()
        .filter_map(|e| covenant::report::words::reason_name(&e.note))
        .map(String::from)
        .collect()
}

#[test]
fn a_date_keyed_table_gives_the_row_of_the_deal_date() {
    for (date, content, outcome) in [
        ("2020-07-01", "66%", "pass"),
        ("2021-06-30", "66%", "pass"),
        ("2021-07-01", "66%", "fail"),
        ("2021-07-01", "70%", "pass"),
        ("2022-12-31", "71.9%", "fail"),
        ("2023-07-01", "74.99%", "fail"),
        ("2030-01-01", "75%", "pass"),
    ] {
        assert_eq!(one(RVC, &deal(date, content)), outcome, "{date} {content}");
    }
}

#[test]
fn no_row_and_no_otherwise_is_unknown_never_another_row() {
    let d = deal("2019-01-01", "99%");
    assert_eq!(one(RVC, &d), "incomplete");
    assert_eq!(reasons(RVC, &d), ["no-row"]);
    let n = notes(RVC, &d);
    assert!(
        n.iter()
            .any(|n| n.contains("no row of table `rvc floor` matches `date` = 2019-01-01")),
        "{n:?}"
    );
}

#[test]
fn an_unknown_key_is_unknown_even_where_a_cell_is_any_or_there_is_otherwise() {
    let d = deal("", "99%");
    assert_eq!(one(RVC, &d), "incomplete");
    assert_eq!(reasons(RVC, &d), ["missing"]);
    let any =
        "let floor = table by date:\n  any: 50%\nrule r: every plant: local content >= floor\n";
    assert_eq!(one(any, &d), "incomplete");
    assert_eq!(one(any, &deal("2024-01-01", "60%")), "pass");
    let otherwise =
        "let floor = table by date:\n  from 2030-01-01: 90%\n  otherwise: 10%\nrule r: every plant: local content >= floor\n";
    assert_eq!(one(otherwise, &d), "incomplete");
    assert_eq!(one(otherwise, &deal("2024-01-01", "20%")), "pass");
    assert_eq!(one(otherwise, &deal("2031-01-01", "20%")), "fail");
}

#[test]
fn from_with_until_leaves_a_gap_and_until_is_exclusive() {
    let p = "let floor = table by date:
  from 2020-01-01 until 2021-01-01: 10%
  from 2022-01-01: 30%
rule r: every plant: local content >= floor
";
    assert_eq!(one(p, &deal("2020-12-31", "10%")), "pass");
    assert_eq!(one(p, &deal("2021-01-01", "99%")), "incomplete");
    assert_eq!(one(p, &deal("2021-12-31", "99%")), "incomplete");
    assert_eq!(one(p, &deal("2022-01-01", "29%")), "fail");
}

#[test]
fn two_keys_literals_lists_and_any() {
    let p = r#"let covered = ["CN", "RU"]
let cap = table by sector, jurisdiction:
  "automotive", covered: 25%
  "automotive", ["US", "MX", "CA"]: 49%
  ["chips", "ai"], "CN": 0%
  otherwise: 100%
rule r: every party: stake <= cap
"#;
    let d = |sector: &str, jurisdiction: &str, stake: &str| {
        format!("proposal: \"t\"\nsector: \"{sector}\"\njurisdiction: \"{jurisdiction}\"\nparties:\n  - {{ name: \"A\", country: \"US\", stake: \"{stake}\" }}\n")
    };
    assert_eq!(one(p, &d("automotive", "RU", "25%")), "pass");
    assert_eq!(one(p, &d("automotive", "RU", "26%")), "fail");
    assert_eq!(one(p, &d("automotive", "US", "49%")), "pass");
    assert_eq!(one(p, &d("automotive", "US", "50%")), "fail");
    assert_eq!(one(p, &d("ai", "CN", "1%")), "fail");
    // `otherwise` where the keys are known and no row matches.
    assert_eq!(one(p, &d("ai", "US", "100%")), "pass");
    assert_eq!(one(p, &d("automotive", "DE", "100%")), "pass");
    assert_eq!(one(p, &d("mining", "CN", "100%")), "pass");
    // A unique hit: a row for some values of a key and one for any value of it overlap.
    let overlapping = p.replace("[\"US\", \"MX\", \"CA\"]", "any");
    assert_eq!(compile_errors(&overlapping), ["covenant::table::overlap"]);
    // A key is one value: in the root scope `party country` is a list.
    let p = "let cap = table by party country:\n  \"CN\": 25%\nrule r: every party: stake <= cap\n";
    assert_eq!(compile_errors(p)[0], "covenant::type::list-in-guard");
    // A record is no value either.
    let p = "define party cap: table by party:\n  any: 25%\nrule r: every party: stake <= cap\n";
    assert_eq!(compile_errors(p)[0], "covenant::type::bad-key");
}

#[test]
fn a_table_in_a_define_is_read_per_item() {
    let p = r#"let covered = ["CN", "RU"]
define party cap: table by deal sector, country:
  "automotive", covered: 25%
  "automotive", ["US", "MX", "CA"]: 100%
  ["chips", "ai"], "CN": 0%
  ["chips", "ai"], "JP": 49%
  ["chips", "ai"], ["US", "MX", "CA"]: 100%
rule r: every party: stake <= cap
"#;
    let jv = |sector: &str, a: (&str, &str), b: (&str, &str)| {
        format!(
            "proposal: \"t\"\nsector: \"{sector}\"\nparties:\n  - {{ name: \"A\", country: \"{}\", stake: \"{}\" }}\n  - {{ name: \"B\", country: \"{}\", stake: \"{}\" }}\n",
            a.0, a.1, b.0, b.1
        )
    };
    assert_eq!(
        one(p, &jv("automotive", ("US", "75%"), ("CN", "25%"))),
        "pass"
    );
    assert_eq!(
        one(p, &jv("automotive", ("US", "74%"), ("CN", "26%"))),
        "fail"
    );
    assert_eq!(one(p, &jv("chips", ("US", "51%"), ("JP", "49%"))), "pass");
    assert_eq!(one(p, &jv("chips", ("US", "51%"), ("CN", "49%"))), "fail");
    // No row for a German party in the automotive sector: unknown, never 100% or 25%.
    assert_eq!(
        one(p, &jv("automotive", ("US", "50%"), ("DE", "50%"))),
        "incomplete"
    );
    // An unknown sector (the deal has none).
    let no_sector =
        "proposal: \"t\"\nparties:\n  - { name: \"A\", country: \"US\", stake: \"100%\" }\n";
    assert_eq!(one(p, no_sector), "incomplete");
}

#[test]
fn a_near_miss_between_a_key_and_a_cell_is_unknown_with_a_warning() {
    let p = "let fee = table by sector:\n  \"automotive\": 1%\n  \"chips\": 2%\nrule r: fee < 5%\n";
    let d = "proposal: \"t\"\nsector: \"Automotive\"\n";
    assert_eq!(one(p, d), "incomplete");
    assert_eq!(reasons(p, d), ["near-miss"]);
    let (pol, _) = results(p, d, None);
    let deal = load_yaml(&pol, d);
    let (_, warnings) = covenant::eval::evaluate_with_warnings(&pol, &deal, None, false);
    let codes: Vec<String> = warnings
        .iter()
        .map(|w| {
            miette::Diagnostic::code(w)
                .map(|c| c.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(codes, ["covenant::deal::near-miss"]);
    // With `otherwise`, a near miss is still unknown: the deal may have meant that row.
    let p = "let fee = table by sector:\n  \"automotive\": 1%\n  otherwise: 9%\nrule r: fee < 5%\n";
    assert_eq!(one(p, d), "incomplete");
}

#[test]
fn a_conditional_value_is_a_table_keyed_by_a_condition() {
    let p = "let cap = table by sector = \"automotive\":
  true: 25%
  false: 49%
rule r: every party: stake <= cap
";
    let d = |sector: &str, stake: &str| {
        let sector = if sector.is_empty() {
            String::new()
        } else {
            format!("sector: \"{sector}\"\n")
        };
        format!("proposal: \"t\"\n{sector}parties:\n  - {{ name: \"A\", country: \"US\", stake: \"{stake}\" }}\n")
    };
    assert_eq!(one(p, &d("automotive", "25%")), "pass");
    assert_eq!(one(p, &d("automotive", "26%")), "fail");
    assert_eq!(one(p, &d("chips", "49%")), "pass");
    assert_eq!(one(p, &d("", "1%")), "incomplete");
    assert_eq!(reasons(p, &d("", "1%")), ["missing"]);
}

#[test]
fn a_yes_no_table_is_a_condition_with_its_row_as_evidence() {
    let p = "define party big: table by country:
  \"CN\": stake > 10%
  otherwise: stake > 50%
rule r: no party big
";
    let d = "proposal: \"t\"\nparties:\n  - { name: \"A\", country: \"US\", stake: \"40%\" }\n  - { name: \"B\", country: \"CN\", stake: \"20%\" }\n";
    assert_eq!(one(p, d), "fail");
    let n = notes(p, d);
    assert!(
        n.iter()
            .any(|n| n.starts_with("table `party big`: row `\"CN\"` (test.policy:2:3) gives true")),
        "{n:?}"
    );
}

#[test]
fn evidence_names_the_row_and_its_line() {
    let n = notes(RVC, &deal("2023-08-01", "72%"));
    assert!(
        n.contains(
            &"table `rvc floor`: row `from 2023-07-01` (test.policy:5:3) gives 75%".to_string()
        ),
        "{n:?}"
    );
}

#[test]
fn cells_may_name_let_definitions() {
    let p = "let start = 2021-07-01
let covered = [\"CN\", \"RU\"]
let cap = table by date, sector:
  from start, covered: 1%
  from 2020-01-01 until start, any: 2%
rule r: cap < 5%
";
    let d =
        |date: &str, sector: &str| format!("proposal: \"t\"\ndate: {date}\nsector: \"{sector}\"\n");
    assert_eq!(one(p, &d("2021-07-01", "CN")), "pass");
    assert_eq!(one(p, &d("2021-07-01", "US")), "incomplete");
    assert_eq!(one(p, &d("2021-06-30", "US")), "pass");
}

fn check_json(policy: &str, deal: &str) -> Value {
    let (_, out, err) = covenant(&["check", "-p", policy, deal, "--format", "json"]);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"))
}

#[test]
fn json_evidence_has_the_table_row_shape() {
    let v = check_json(
        "tests/fixtures/tables/usmca.policy",
        "tests/fixtures/tables/usmca-2023-short.yaml",
    );
    let rule = &v["deals"][0]["rules"][0];
    assert_eq!(rule["outcome"], "fail");
    let row = rule["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "table-row")
        .unwrap_or_else(|| panic!("{rule:#}"));
    assert_eq!(row["table"], "rvc floor");
    assert_eq!(row["row"], "from 2023-07-01");
    assert_eq!(row["at"], "tests/fixtures/tables/usmca.policy:12:3");
    assert_eq!(row["value"], "75%");
}

#[test]
fn every_report_format() {
    for deal in [
        "usmca-2023-short.yaml",
        "usmca-2019.yaml",
        "usmca-2022.yaml",
    ] {
        let d = format!("tests/fixtures/tables/{deal}");
        for format in ["human", "json", "markdown"] {
            let (code, out, err) = covenant(&[
                "check",
                "-p",
                "tests/fixtures/tables/usmca.policy",
                &d,
                "--format",
                format,
                "--color",
                "never",
            ]);
            insta::assert_snapshot!(
                format!("{format}_{deal}"),
                format!("exit {code}\n{err}---\n{out}")
            );
        }
    }
}

#[test]
fn explain_shows_which_row_matched() {
    let (code, out, err) = covenant(&[
        "explain",
        "-p",
        "tests/fixtures/tables/usmca.policy",
        "tests/fixtures/tables/usmca-2022.yaml",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("row `from 2022-07-01`"), "{out}");
    insta::assert_snapshot!("explain_usmca-2022", out);
}

#[test]
fn as_of_does_not_move_a_table_keyed_on_the_deal_date() {
    // A phrase reads the deal (SPEC §3.1): `date` is the deal's date under `--as-of` too.
    let d = deal("2021-08-01", "70%");
    assert_eq!(outcomes_as_of(RVC, &d, Some("2024-01-01")), ["rvc=pass"]);
}

#[test]
fn a_key_in_another_currency_than_the_cells_is_unknown() {
    let p = "let fee = table by investment:
  from USD 0 until USD 1B: 1%
  from USD 1B: 2%
rule r: fee < 5%
";
    assert_eq!(one(p, "proposal: \"t\"\ninvestment: \"USD 2B\"\n"), "pass");
    let eur = "proposal: \"t\"\ninvestment: \"EUR 2B\"\n";
    assert_eq!(one(p, eur), "incomplete");
    assert_eq!(reasons(p, eur), ["unit-mismatch"]);
}

#[test]
fn only_the_matching_row_value_is_read() {
    // The automotive row reads the board, which the deal lacks; the chips row does not.
    let p = "let cap = table by sector:
  \"automotive\": board seats * 10%
  \"chips\": 49%
rule r: every party: stake <= cap
";
    let d = |sector: &str| {
        format!("proposal: \"t\"\nsector: \"{sector}\"\nparties:\n  - {{ name: \"A\", country: \"US\", stake: \"40%\" }}\n")
    };
    assert_eq!(one(p, &d("chips")), "pass");
    assert_eq!(one(p, &d("automotive")), "incomplete");
}

#[test]
fn a_table_of_lists_is_a_list_that_never_distributes() {
    let p = "let allowed = table by sector:
  \"automotive\": [\"US\", \"MX\", \"CA\"]
  otherwise: [\"US\"]
rule r: every party: country in allowed
";
    let d = "proposal: \"t\"\nsector: \"automotive\"\nparties:\n  - { name: \"A\", country: \"MX\", stake: \"40%\" }\n";
    assert_eq!(one(p, d), "pass");
    let p = "let allowed = table by sector:\n  any: [\"US\"]\nrule r: allowed = \"US\"\n";
    assert_eq!(compile_errors(p)[0], "covenant::type::list-comparison");
}

#[test]
fn an_until_may_end_a_row_before_the_next_starts() {
    // An explicit `until` is the row's end, also when later rows follow; the gap matches none.
    let p = "let v = table by date:
  from 2020-01-01 until 2020-06-01: 1
  from 2021-01-01: 2
  otherwise: 0
rule r: v = 1
";
    let d = |date: &str| format!("proposal: \"t\"\ndate: {date}\n");
    assert_eq!(one(p, &d("2020-05-31")), "pass");
    assert_eq!(one(p, &d("2020-06-01")), "fail");
    assert_eq!(one(p, &d("2019-12-31")), "fail");
    // An `until` past the next row's start overlaps it.
    let p = p.replace("until 2020-06-01", "until 2021-06-01");
    assert_eq!(compile_errors(&p), ["covenant::table::overlap"]);
}

/// The floor of [`RVC`] computed apart from Covenant: None before the first row.
fn reference_floor(date: jiff::civil::Date) -> Option<i64> {
    let steps = [
        ((2020, 7, 1), 66),
        ((2021, 7, 1), 70),
        ((2022, 7, 1), 72),
        ((2023, 7, 1), 75),
    ];
    steps
        .iter()
        .rev()
        .find(|((y, m, d), _)| date >= jiff::civil::date(*y, *m, *d))
        .map(|(_, floor)| *floor)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(crate::support::cases(64, 1_024)))]

    /// On random dates around the phase-in (or none) and random contents (or none), the rule's
    /// outcome is the one the phase-in gives: unknown before the first row and without a date,
    /// never another row's floor.
    #[test]
    fn the_phase_in_agrees_with_a_reference(
        day in proptest::option::of(0i32..(6 * 366)),
        content in proptest::option::of(60i64..80),
    ) {
        let date = day.map(|d| {
            jiff::civil::date(2019, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(d)))
                .unwrap()
        });
        let mut yaml = String::from("proposal: \"t\"\n");
        if let Some(d) = date {
            yaml.push_str(&format!("date: {d}\n"));
        }
        match content {
            Some(c) => yaml.push_str(&format!("plants:\n  - {{ country: \"US\", local_content: \"{c}%\" }}\n")),
            None => yaml.push_str("plants:\n  - { country: \"US\" }\n"),
        }
        let expected = match (date.and_then(reference_floor), content) {
            (Some(floor), Some(c)) if c >= floor => "pass",
            (Some(_), Some(_)) => "fail",
            _ => "incomplete",
        };
        proptest::prop_assert_eq!(one(RVC, &yaml), expected, "{}", yaml);
    }
}

/// A table keyed on `evaluation date` (SPEC §8, §9) gives each rule the row of its own
/// evaluation date: the `let` is not kept from one rule to the next when their dates differ,
/// and `--as-of` replaces both.
#[test]
fn a_table_on_the_evaluation_date_follows_each_rule_and_as_of() {
    let policy = "let floor = table by evaluation date:
  from 2020-01-01: 10%
  from 2025-01-01: 50%
rule at-signing {
  effective 2000-01-01 on signing date
  require every party: stake >= floor
}
rule at-closing {
  effective 2000-01-01 on closing date
  require every party: stake >= floor
}
";
    let deal = "proposal: \"t\"\nsigning_date: 2024-06-01\nclosing_date: 2025-06-01\nparties:
  - { name: \"A\", country: \"US\", stake: \"40%\" }
  - { name: \"B\", country: \"CN\", stake: \"60%\" }\n";
    assert_eq!(
        outcomes(policy, deal),
        ["at-signing=pass", "at-closing=fail"]
    );
    // The other order of the rules: the value of one rule's date is never kept for the other.
    let (head, rules) = policy.split_at(policy.find("rule at-signing").unwrap());
    let (signing, closing) = rules.split_at(rules.find("rule at-closing").unwrap());
    let swapped = format!("{head}{closing}{signing}");
    assert_eq!(
        outcomes(&swapped, deal),
        ["at-closing=fail", "at-signing=pass"]
    );
    let as_of = |d| outcomes_as_of(policy, deal, Some(d));
    assert_eq!(as_of("2024-12-31"), ["at-signing=pass", "at-closing=pass"]);
    assert_eq!(as_of("2025-01-01"), ["at-signing=fail", "at-closing=fail"]);
}
