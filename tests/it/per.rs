//! `AGG X per K` (SPEC §7.3): one value per key, in order of first appearance, as an element
//! side; unknown items, keys and memberships; an empty X.

use crate::common;
use common::*;
use covenant::report::written::written;

const BLOCS: &str = r#"proposal: "blocs"
parties:
  - { name: "A", kind: company, country: US, stake: "10%", voting: "10%", government_stake: "0%" }
  - { name: "B", kind: company, country: CN, stake: "20%", voting: "20%", government_stake: "0%" }
  - { name: "C", kind: company, country: CN, stake: "30%", voting: "30%", government_stake: "0%" }
  - { name: "D", kind: company, country: US, stake: "40%", voting: "40%", government_stake: "0%" }
groups:
  - { name: "G1", kind: concert, members: ["A", "B"] }
  - { name: "G2", kind: concert, members: ["B", "C"] }
"#;

fn outcome(body: &str, deal: &str) -> String {
    one(&format!("rule r: {body}"), deal)
}

fn message(body: &str, deal: &str) -> String {
    let (_, r) = results(&format!("rule r: {body}"), deal, None);
    written(&r[0]).message
}

#[test]
fn one_value_per_key_is_an_element_side() {
    // By country: US 50%, CN 50% (no groups needed).
    assert_eq!(
        outcome("total party voting per country = 50%", BLOCS),
        "pass"
    );
    assert_eq!(
        outcome("total party voting per country < 50%", BLOCS),
        "fail"
    );
    assert_eq!(
        outcome("count of (total party voting per country) = 2", BLOCS),
        "pass"
    );
    assert_eq!(outcome("count of parties per country = 2", BLOCS), "pass");
    assert_eq!(outcome("max party stake per country = 40%", BLOCS), "fail");
    assert_eq!(
        outcome("average party stake per country = 25%", BLOCS),
        "pass"
    );
}

#[test]
fn per_bloc_totals_the_groups_linked_by_shared_members() {
    // Blocs: G1 = {A, B, C} 60%, D 40%.
    assert_eq!(
        outcome("max (total party voting per bloc) = 60%", BLOCS),
        "pass"
    );
    assert_eq!(
        outcome("min (total party voting per bloc) = 40%", BLOCS),
        "pass"
    );
    assert_eq!(outcome("total party voting per bloc < 50%", BLOCS), "fail");
}

#[test]
fn the_key_is_read_on_each_item_of_the_last_list_x_maps_over() {
    let p = "let non us party = parties where country != \"US\"\nrule r: total non us party voting per bloc = 50%";
    // B and C, both in bloc G1.
    assert_eq!(one(p, BLOCS), "pass");
}

#[test]
fn evidence_gives_each_key_with_its_members_and_value_in_order_of_first_appearance() {
    let (_, r) = results("rule r: total party voting per country < 50%", BLOCS, None);
    let w = written(&r[0]);
    let groups: Vec<&str> = w
        .evidence
        .iter()
        .map(|e| e.note.as_str())
        .filter(|n| n.contains(": "))
        .collect();
    assert_eq!(
        groups,
        [
            "`total party voting per country` is 50% for \"US\": A, D",
            "`total party voting per country` is 50% for \"CN\": B, C",
        ]
    );
}

#[test]
fn a_maybe_member_makes_its_group_unknown() {
    // B's government stake is missing: whether B is eligible is unknown.
    let d = BLOCS.replace(
        r#"voting: "20%", government_stake: "0%""#,
        r#"voting: "20%""#,
    );
    let p = |cmp: &str| {
        format!("let eligible = parties where government stake = 0%\nrule r: total eligible voting per country {cmp}")
    };
    // CN's total is 30% or 50%: unknown; US's is 50%.
    assert_eq!(one(&p("<= 50%"), &d), "incomplete");
    assert_eq!(one(&p("< 50%"), &d), "fail");
    let (_, r) = results(&p("<= 50%"), &d, None);
    assert!(
        written(&r[0])
            .message
            .contains("`government_stake` is missing for party \"B\""),
        "{}",
        written(&r[0]).message
    );
}

#[test]
fn an_unknown_key_makes_every_value_unknown_and_is_never_empty() {
    let d = BLOCS.replace(
        r#"name: "D", kind: company, country: US,"#,
        r#"name: "D", kind: company,"#,
    );
    for body in [
        "total party voting per country < 90%",
        "total party voting per country > 90%",
        "count of (total party voting per country) >= 1",
    ] {
        assert_eq!(outcome(body, &d), "incomplete", "{body}");
    }
    assert!(message("total party voting per country < 90%", &d).contains("`country` is missing"));
}

#[test]
fn an_empty_x_gives_an_empty_result() {
    let d = "proposal: \"none\"\nparties: []\n";
    assert_eq!(outcome("total party voting per country < 10%", d), "pass");
    assert_eq!(
        outcome("count of (total party voting per country) = 0", d),
        "pass"
    );
    // A missing list is unknown, not empty.
    let d = "proposal: \"none\"\n";
    assert_eq!(
        outcome("count of (total party voting per country) = 0", d),
        "incomplete"
    );
}

#[test]
fn an_entity_key_groups_by_entity() {
    let d = r#"proposal: "common control"
parties:
  - { name: "X", kind: company, country: US, voting: "30%", owners: [{ name: "Parent", voting: "100%" }] }
  - { name: "Y", kind: company, country: US, voting: "30%", owners: [{ name: "Parent", voting: "60%" }, { name: "Other", voting: "40%" }] }
  - { name: "Z", kind: public, country: US, voting: "40%" }
entities:
  - { name: "Parent", kind: individual, country: US }
  - { name: "Other", kind: individual, country: US }
"#;
    // Parent controls X and Y: 60%; Z controls itself: 40%.
    assert_eq!(
        outcome("max (total party voting per controller) = 60%", d),
        "pass"
    );
    let (_, r) = results("rule r: total party voting per controller < 50%", d, None);
    let notes: Vec<String> = written(&r[0])
        .evidence
        .into_iter()
        .map(|e| e.note)
        .collect();
    assert!(
        notes.contains(
            &"`total party voting per controller` is 60% for \"Parent\": X, Y".to_string()
        ),
        "{notes:#?}"
    );
}

#[test]
fn per_is_typed() {
    assert_eq!(
        compile_errors("rule r: total party voting per owners < 50%"),
        ["covenant::type::bad-key"]
    );
    assert_eq!(
        compile_errors("rule r: total party voting per deal board < 50%"),
        ["covenant::type::bad-key"]
    );
    assert_eq!(
        compile_errors("rule r: total investment per bloc < 50%"),
        ["covenant::type::not-a-list"]
    );
    // A list of values compared with one value: an element side, so not in a guard.
    assert_eq!(
        compile_errors("rule r { when total party voting per bloc < 50%\n require true }"),
        ["covenant::type::list-in-guard"]
    );
}

#[test]
fn a_key_is_read_on_each_owner_when_x_maps_over_the_owners() {
    let d = r#"proposal: "owners"
parties:
  - { name: "A", kind: company, country: US, owners: [{ name: "X", stake: "60%" }, { name: "Y", stake: "40%" }] }
  - { name: "B", kind: company, country: US, owners: [{ name: "Z", stake: "100%" }] }
entities:
  - { name: "X", kind: individual, country: US }
  - { name: "Y", kind: individual, country: CN }
  - { name: "Z", kind: individual, country: CN }
"#;
    // US 60%; CN 40% + 100%.
    assert_eq!(
        outcome("max (total party owner stake per owner country) = 140%", d),
        "pass"
    );
    assert_eq!(
        outcome("min (total party owner stake per owner country) = 60%", d),
        "pass"
    );
}

#[test]
fn a_list_of_values_is_keyed_by_each_value() {
    let d = |waivers: &str| format!("proposal: \"w\"\nwaivers: {waivers}\n");
    let rule = "count of waivers per waiver <= 1";
    assert_eq!(outcome(rule, &d(r#"["A", "B"]"#)), "pass");
    assert_eq!(outcome(rule, &d(r#"["A", "B", "A"]"#)), "fail");
}
