//! `look-through M of S in T [by control …]` (SPEC §7.2), one test per bullet, on the worked
//! example of spec-v2-notes A.1 and variants of it.

use crate::common;
use common::*;
use covenant::report::written::written;

/// The deal of spec-v2-notes A.1, with `X_NORTHERN_KIND` and `X_FAW_OWNERS` to vary. SASAC's
/// `state` is written out (it defaults to its `country`, SPEC §7.1).
pub const A1: &str = r#"proposal: "Acme–Dragon Motors JV"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme Motors", country: US, kind: public, stake: "51%", voting: "51%" }
  - { name: "Dragon Motors", country: CN, kind: company, stake: "49%", voting: "49%",
      owners: [{ name: "Northern Auto HK", stake: "100%", voting: "100%" }] }
entities:
  - { name: "Northern Auto HK", kind: X_NORTHERN_KIND, country: HK,
      owners: [{ name: "FAW Group", stake: "60%", voting: "60%" }] }
  - { name: "FAW Group", kind: state-owned, country: CN, state: CN,
      X_FAW_OWNERS }
  - { name: "SASAC", kind: state, country: CN, state: CN }
"#;

pub fn a1() -> String {
    a1_with(
        "public",
        r#"owners: [{ name: "SASAC", stake: "100%", voting: "100%" }]"#,
    )
}

pub fn a1_with(northern_kind: &str, faw_owners: &str) -> String {
    A1.replace("X_NORTHERN_KIND", northern_kind)
        .replace("X_FAW_OWNERS", faw_owners)
}

pub const LETS: &str = r#"let covered nation = ["CN", "RU", "IR", "KP"]
let covered state = entities where kind = "state" and state in covered nation
let covered state entity = entities where kind in ["state", "state-owned"] and state in covered nation
let chinese entity = entities where country in ["CN", "HK"]
"#;

/// The outcome of `rule r: BODY` after the definitions of A.1, on `deal`.
pub fn outcome(body: &str, deal: &str) -> String {
    one(&format!("{LETS}rule r: {body}"), deal)
}

/// The one-line message of `rule r: BODY` on `deal`.
pub fn message(body: &str, deal: &str) -> String {
    let (_, r) = results(&format!("{LETS}rule r: {body}"), deal, None);
    written(&r[0]).message
}

#[test]
fn proportional_multiplies_along_paths_and_adds_over_them() {
    let d = a1();
    let v = "look-through voting of covered state in deal";
    assert_eq!(outcome(&format!("{v} = 29.4%"), &d), "pass");
    assert_eq!(outcome(&format!("{v} < 25%"), &d), "fail");
    // The stake is measured the same way, on its own edges.
    assert_eq!(
        outcome("look-through stake of covered state in deal = 29.4%", &d),
        "pass"
    );
}

#[test]
fn by_control_counts_an_edge_over_the_threshold_as_100_percent_except_into_the_target() {
    let d = a1();
    let v = "(look-through voting of covered state in deal by control)";
    assert_eq!(outcome(&format!("{v} = 49%"), &d), "pass");
    let more = "(look-through voting of covered state in deal by control more than 50%)";
    assert_eq!(outcome(&format!("{more} = 49%"), &d), "pass");
    // 60% is not over 70%: the edge into Northern Auto HK keeps its value.
    let high = "(look-through voting of covered state in deal by control more than 70%)";
    assert_eq!(outcome(&format!("{high} = 29.4%"), &d), "pass");
}

#[test]
fn at_least_counts_an_edge_at_the_threshold() {
    let d = a1();
    let at = |p: &str| format!("(look-through voting of covered state in deal by control {p})");
    assert_eq!(
        outcome(&format!("{} = 49%", at("at least 60%")), &d),
        "pass"
    );
    assert_eq!(
        outcome(&format!("{} = 29.4%", at("more than 60%")), &d),
        "pass"
    );
}

#[test]
fn controls_true_counts_100_percent_by_control() {
    let d = a1().replace(
        r#"{ name: "FAW Group", stake: "60%", voting: "60%" }"#,
        r#"{ name: "FAW Group", stake: "20%", voting: "20%", controls: true }"#,
    );
    let v = "(look-through voting of covered state in deal by control)";
    assert_eq!(outcome(&format!("{v} = 49%"), &d), "pass");
    let p = "look-through voting of covered state in deal";
    assert_eq!(outcome(&format!("{p} = 9.8%"), &d), "pass");
}

#[test]
fn the_threshold_may_be_a_definition() {
    let d = a1();
    let p = format!(
        "{LETS}let control threshold = 55%\nrule r: (look-through voting of covered state in deal by control more than control threshold) = 49%"
    );
    assert_eq!(one(&p, &d), "pass");
}

#[test]
fn a_target_list_maps_one_value_per_target() {
    let d = a1();
    // Acme Motors 0%, Dragon Motors 60%.
    assert_eq!(
        outcome(
            "every party: look-through voting of covered state in party < 25%",
            &d
        ),
        "fail"
    );
    assert_eq!(
        outcome("look-through voting of covered state in parties < 25%", &d),
        "fail"
    );
    assert_eq!(
        outcome("look-through voting of covered state in parties <= 60%", &d),
        "pass"
    );
    assert_eq!(
        outcome(
            "every party where name = \"Acme Motors\": look-through voting of covered state in party = 0%",
            &d
        ),
        "pass"
    );
    assert_eq!(
        outcome(
            "max (look-through voting of covered state in parties) = 60%",
            &d
        ),
        "pass"
    );
}

#[test]
fn a_list_target_is_an_element_side_and_names_each_failing_target() {
    let d = a1();
    let (_, r) = results(
        &format!("{LETS}rule r: look-through voting of covered state in parties < 25%"),
        &d,
        None,
    );
    let w = written(&r[0]);
    assert_eq!(w.outcome, "fail");
    let test = &w.evidence[0];
    assert_eq!(test.element.as_deref(), Some("party \"Dragon Motors\""));
    assert_eq!(test.value.as_deref(), Some("60%"));
    assert_eq!(
        w.help.as_deref(),
        Some("reduce `look-through voting of covered state in parties` for party \"Dragon Motors\" by more than 35 percentage points")
    );
    assert!(
        w.evidence.iter().any(|e| e.note
            == "`look-through voting of covered state in parties` is 60% for party \"Dragon Motors\": \
                SASAC → 100% → FAW Group → 60% → Northern Auto HK → 100% → Dragon Motors = 60%"),
        "{:#?}",
        w.evidence
    );
}

#[test]
fn holders_absorb_so_nothing_counts_twice() {
    let d = a1();
    let v = |s: &str| format!("look-through voting of {s} in deal");
    assert_eq!(
        outcome(&format!("{} = 29.4%", v("covered state entity")), &d),
        "pass"
    );
    assert_eq!(
        outcome(&format!("{} = 49%", v("chinese entity")), &d),
        "pass"
    );
}

#[test]
fn one_entity_may_hold_and_be_held() {
    let d = a1();
    assert_eq!(
        outcome(
            "every party: look-through voting of party in deal = voting",
            &d
        ),
        "pass"
    );
    assert_eq!(
        outcome(
            "every party: look-through voting of party controller in party = 100%",
            &d
        ),
        "fail"
    );
}

#[test]
fn empty_holders_hold_nothing() {
    let d = a1();
    assert_eq!(
        outcome(
            "look-through voting of (entities where kind = \"fund\") in deal = 0%",
            &d
        ),
        "pass"
    );
}

#[test]
fn owners_short_of_100_percent_are_unknown_unless_the_entity_is_public() {
    let d = a1_with(
        "company",
        r#"owners: [{ name: "SASAC", stake: "100%", voting: "100%" }]"#,
    );
    let v = "look-through voting of covered state in deal";
    for rule in [format!("{v} < 25%"), format!("{v} >= 25%")] {
        assert_eq!(outcome(&rule, &d), "incomplete", "{rule}");
    }
    assert_eq!(
        message(&format!("{v} < 25%"), &d),
        "cannot decide: the owners of Northern Auto HK add up to 60% of its voting; the other 40% is held by holders not listed"
    );
    let (_, r) = results(&format!("{LETS}rule r: {v} < 25%"), &d, None);
    let at = written(&r[0]).evidence[0].location.clone().unwrap();
    assert_eq!((at.line, at.column), (9, 5));
}

#[test]
fn a_known_zero_wins_over_an_unknown_holder() {
    // FAW Group lists no owners (its holders are unknown), but holds 0% of Northern Auto HK.
    let d = a1_with("public", "").replace(
        r#"{ name: "FAW Group", stake: "60%", voting: "60%" }"#,
        r#"{ name: "FAW Group", stake: "0%", voting: "0%" }"#,
    );
    let v = "look-through voting of covered state in deal";
    assert_eq!(outcome(&format!("{v} = 0%"), &d), "pass");
    // With the edge at 60%, FAW Group's unknown holders make the value unknown.
    let d = a1_with("public", "");
    assert_eq!(outcome(&format!("{v} = 0%"), &d), "incomplete");
    assert!(message(&format!("{v} = 0%"), &d).contains("`owners` is missing"));
}

#[test]
fn a_maybe_member_of_the_holders_makes_the_value_unknown() {
    // SASAC's `country` is missing: whether it is a Chinese state is unknown.
    let d = a1().replace(
        r#"{ name: "SASAC", kind: state, country: CN, state: CN }"#,
        r#"{ name: "SASAC", kind: state, state: CN }"#,
    );
    let v = "look-through voting of (entities where kind = \"state\" and country = \"CN\") in deal";
    assert_eq!(outcome(&format!("{v} < 25%"), &d), "incomplete");
    assert_eq!(
        message(&format!("{v} < 25%"), &d),
        "cannot decide: `country` is missing for entity \"SASAC\""
    );
    // A maybe-member that holds nothing of the target changes nothing.
    let d = d.replace(
        r#"{ name: "FAW Group", stake: "60%", voting: "60%" }"#,
        r#"{ name: "FAW Group", stake: "0%", voting: "0%" }"#,
    );
    assert_eq!(outcome(&format!("{v} = 0%"), &d), "pass");
}

#[test]
fn parties_over_100_percent_leave_the_deal_valid_and_the_look_through_unknown() {
    let d = a1().replace(
        r#"stake: "51%", voting: "51%""#,
        r#"stake: "71%", voting: "71%""#,
    );
    let v = "look-through voting of covered state in deal";
    assert_eq!(outcome(&format!("{v} < 25%"), &d), "incomplete");
    assert_eq!(
        message(&format!("{v} < 25%"), &d),
        "cannot decide: the parties' voting adds up to 120%, over 100%: who holds the JV is unknown"
    );
    // Into an entity, the parties' total does not matter.
    assert_eq!(
        outcome(
            "every party where name = \"Dragon Motors\": look-through voting of covered state in party = 60%",
            &d
        ),
        "pass"
    );
}

#[test]
fn a_value_past_exact_arithmetic_is_unknown_as_an_overflow() {
    // Eleven links of 33.33%: the exact value needs a denominator of 10^44.
    let mut entities = String::new();
    for i in 0..11 {
        entities.push_str(&format!(
            "  - {{ name: \"E{i}\", kind: public, country: US, owners: [{{ name: \"E{}\", stake: \"33.33%\", voting: \"33.33%\" }}] }}\n",
            i + 1
        ));
    }
    entities.push_str("  - { name: \"E11\", kind: state, country: CN, state: CN }\n");
    let d = format!(
        "proposal: \"deep\"\nparties:\n  - {{ name: \"P\", kind: company, country: US, stake: \"100%\", voting: \"100%\", owners: [{{ name: \"E0\", stake: \"100%\", voting: \"100%\" }}] }}\nentities:\n{entities}"
    );
    let v = "look-through voting of covered state in deal";
    assert_eq!(outcome(&format!("{v} < 1%"), &d), "incomplete");
    assert!(message(&format!("{v} < 1%"), &d).contains("overflow"));
}

#[test]
fn evidence_lists_the_paths_largest_first_with_their_places() {
    // Two paths into the JV: through Dragon Motors (29.4%) and a direct 10% of SASAC's.
    let d = a1().replace(
        r#"{ name: "Acme Motors", country: US, kind: public, stake: "51%", voting: "51%" }"#,
        r#"{ name: "Acme Motors", country: US, kind: public, stake: "41%", voting: "41%" }
  - { name: "SASAC Fund", country: CN, kind: fund, stake: "10%", voting: "10%",
      owners: [{ name: "SASAC", stake: "100%", voting: "100%" }] }"#,
    );
    let (_, r) = results(
        &format!("{LETS}rule r: look-through voting of covered state in deal < 25%"),
        &d,
        None,
    );
    let w = written(&r[0]);
    let paths = w
        .evidence
        .iter()
        .find(|e| e.note.contains("→"))
        .expect("the paths")
        .note
        .clone();
    assert_eq!(
        paths,
        "`look-through voting of covered state in deal` is 39.4%: \
         SASAC → 100% → FAW Group → 60% → Northern Auto HK → 100% → Dragon Motors → 49% → JV = 29.4%; \
         SASAC → 100% → SASAC Fund → 10% → JV = 10%"
    );
}
