//! The sentences and deal values of the human report's findings, on deals checked by the
//! engine.

use super::*;
use crate::check::{Engine, Settings};
use crate::deal::Format;
use crate::report::deal_values::{merge, value_lines, values, DealValue};
use crate::report::words::phrase;
use crate::report::DealReport;
use crate::report::MAX_EVIDENCE_SHOWN;

/// `deal` (YAML) checked against `policy`.
fn check(policy: &str, deal: &str) -> (Engine, DealReport) {
    let compiled = crate::resolve::compile_str("p.policy", policy);
    let Ok(compiled) = compiled else {
        panic!("the policy does not compile")
    };
    let engine = Engine::new(compiled.policy, Settings::default());
    let report = engine.check_text("d.yaml", deal, Format::Yaml);
    (engine, report)
}

/// The sentence of each result that does not pass, with its rule's id.
fn sentences(policy: &str, deal: &str) -> Vec<(String, String)> {
    let (engine, report) = check(policy, deal);
    report
        .results
        .iter()
        .filter(|r| r.outcome != Outcome::Pass && r.outcome != Outcome::NotApplicable)
        .map(|r| {
            let rule = &engine.policy().rules[r.rule];
            (rule.id.clone(), sentence(rule, r, 1))
        })
        .collect()
}

const FIFTY_FIFTY: &str = r#"
proposal: "Liberty–Pearl 50/50 JV"
parties:
  - { name: "Liberty Auto", country: "US", stake: "50%", profit_share: "50%" }
  - { name: "Pearl River Tech", country: "CN", stake: "10%", profit_share: "25%" }
  - { name: "Pearl Two", country: "CN", profit_share: "25%" }
"#;

#[test]
fn a_failing_comparison_says_whose_value_what_the_rule_requires_and_how_to_fix_it() {
    let found = sentences(
        "rule foreign-minority \"Each foreign partner stays a minority\": every party where country != \"US\": stake < 50%\n",
        "proposal: \"x\"\nparties:\n  - { name: \"Liberty Auto\", country: \"US\", stake: \"49%\" }\n  - { name: \"Pearl River Tech\", country: \"CN\", stake: \"51%\" }\n",
    );
    assert_eq!(
        found,
        [(
            "foreign-minority".to_string(),
            "Pearl River Tech's `stake` is 51%; the rule requires less than 50% — reduce it by \
             more than 1 percentage point."
                .to_string()
        )]
    );
}

#[test]
fn several_elements_failing_one_test_are_said_in_one_sentence_with_the_rules_help() {
    let found = sentences(
        "rule equal-profit {\n  require every party: profit share = 100% / count of parties\n  help \"split the profit shares evenly\"\n}\n",
        FIFTY_FIFTY,
    );
    assert_eq!(found.len(), 1);
    assert_eq!(
        found[0].1,
        "`profit_share` is 50% for Liberty Auto, 25% for Pearl River Tech and 25% for Pearl \
         Two; the rule requires ≈33.3333% for each — split the profit shares evenly."
    );
}

#[test]
fn a_missing_value_says_whose_and_asks_for_it_and_a_group_says_how_many_rules() {
    let policy = "rule foreign-minority: every party where country != \"US\": stake < 50%\n";
    let found = sentences(policy, FIFTY_FIFTY);
    assert_eq!(
        found[0].1,
        "Pearl Two's `stake` is missing, so the rule cannot be decided — add it to the deal."
    );
    let (engine, report) = check(policy, FIFTY_FIFTY);
    let r = &report.results[0];
    assert_eq!(
        sentence(&engine.policy().rules[0], r, 5),
        "Pearl Two's `stake` is missing, so these 5 rules cannot be decided — add it to the \
         deal."
    );
    let lines = value_lines(&values(r), "d.yaml");
    assert_eq!(lines, ["d.yaml:6  parties[2].stake: missing"]);
}

#[test]
fn a_missing_field_of_the_deal_itself_and_a_yes_no_test() {
    let found = sentences(
        "rule filed \"Large data holdings need a filing\": cfius filed\nrule seats: board seats <= 11\n",
        "proposal: \"x\"\ncfius_filed: false\n",
    );
    assert_eq!(
        found,
        [
            (
                "filed".to_string(),
                "The deal's `cfius_filed` is false; the rule requires true.".to_string()
            ),
            (
                "seats".to_string(),
                "The deal has no `board`, so the rule cannot be decided — add it to the deal."
                    .to_string()
            ),
        ]
    );
}

#[test]
fn a_match_the_rule_forbids_names_the_element_and_its_values() {
    let found = sentences(
        "rule no-cn-software: no technology where origin in [\"CN\", \"RU\"] and category = \"vcs\"\n",
        "proposal: \"x\"\ntechnology:\n  - { name: \"DragonLink\", owner: \"Dragon\", origin: \"CN\", category: \"vcs\" }\n",
    );
    assert_eq!(
        found[0].1,
        "Technology \"DragonLink\" has `origin` \"CN\" and `category` \"vcs\"."
    );
}

#[test]
fn a_rule_with_a_window_and_a_deal_without_a_date() {
    let found = sentences(
        "rule cap {\n  effective 2026-09-01 until 2028-01-01\n  require total party stake <= 100%\n}\n",
        FIFTY_FIFTY,
    );
    assert_eq!(
        found[0].1,
        "The deal has no `date`, and the rule is in effect from 2026-09-01 until 2028-01-01, so \
         whether it applies cannot be decided — give the deal a date, or pass --as-of."
    );
}

#[test]
fn a_rule_without_a_title_is_named_by_its_id_in_words() {
    let compiled = crate::resolve::compile_str(
        "p.policy",
        "rule data-must-stay-onshore: board seats <= 11\nrule b \"A workable board\": board seats <= 11\n",
    );
    let Ok(compiled) = compiled else {
        panic!("the policy does not compile")
    };
    let titles: Vec<String> = compiled.policy.rules.iter().map(title).collect();
    assert_eq!(titles, ["Data must stay onshore", "A workable board"]);
}

#[test]
fn value_lines_name_paths_leave_out_notes_at_the_same_line_and_count_the_rest() {
    let at = |line: usize, text: &str, by_path: bool| DealValue {
        line,
        text: text.into(),
        by_path,
    };
    let mut values = vec![
        at(4, "`voting` is missing for party \"P\"", false),
        at(4, "parties[1].voting: missing", true),
    ];
    merge(&mut values, vec![at(4, "parties[1].voting: missing", true)]);
    assert_eq!(values.len(), 2);
    assert_eq!(
        value_lines(&values, "b.jsonl"),
        ["b.jsonl:4  parties[1].voting: missing"]
    );
    let many: Vec<DealValue> = (1..=13).map(|i| at(i, &format!("v{i}"), true)).collect();
    let lines = value_lines(&many, "d.yaml");
    assert_eq!(lines.len(), MAX_EVIDENCE_SHOWN + 1);
    assert_eq!(lines.last().map(String::as_str), Some("… and 3 more"));
}

#[test]
fn lists_of_more_than_four_are_cut_at_three() {
    let items: Vec<String> = ["a", "b", "c", "d", "e"].map(String::from).to_vec();
    assert_eq!(listed(&items), "a, b, c and 2 more");
    assert_eq!(listed(&items[..4]), "a, b, c and d");
    assert_eq!(listed(&items[..1]), "a");
    // Items left out of the evidence are counted with those not listed.
    assert_eq!(listed_more(&items, 9990), "a, b, c and 9992 more");
    assert_eq!(listed_more(&items[..2], 5), "a, b and 5 more");
}

#[test]
fn a_computed_value_is_named_by_its_phrase_unless_it_holds_syntax() {
    assert_eq!(
        phrase("total american partner stake"),
        "the total american partner stake"
    );
    assert_eq!(
        phrase("(look-through voting of covered state in deal by control)"),
        "the look-through voting of covered state in deal by control"
    );
    assert_eq!(
        phrase("total (parties where country = home) stake"),
        "the total"
    );
    assert_eq!(phrase("(a) + (b)"), "the value the rule computes");
}
