//! `is missing` / `is present` and projections (SPEC §8), on small deals.

use crate::common::*;
use covenant::report::prose;

/// The notes of a single rule's evidence.
fn notes(policy_text: &str, yaml: &str) -> Vec<String> {
    let (_, r) = results(policy_text, yaml, None);
    r[0].evidence.iter().map(prose::note).collect()
}

const PARTIES: &str = "proposal: \"t\"\nparties:\n  \
    - { name: \"Liberty\", country: \"US\", stake: \"60%\" }\n  \
    - { name: \"Pearl River\", country: \"CN\", stake: \"40%\", owners: [{ name: \"PR Holding\", stake: \"100%\" }] }\n\
    entities:\n  - { name: \"PR Holding\", kind: individual, country: \"CN\" }\n";

#[test]
fn a_root_field_is_missing_or_present() {
    let dated = "proposal: \"t\"\ndate: 2026-03-01\n";
    let undated = "proposal: \"t\"\n";
    for (rule, on_dated, on_undated) in [
        ("rule r: date is missing", "fail", "pass"),
        ("rule r: date is present", "pass", "fail"),
        ("rule r: date is not missing", "pass", "fail"),
        ("rule r: date is not present", "fail", "pass"),
        ("rule r: date must be present", "pass", "fail"),
        ("rule r: date must not be present", "fail", "pass"),
        ("rule r: date must be missing", "fail", "pass"),
    ] {
        assert_eq!(one(rule, dated), on_dated, "{rule} on a dated deal");
        assert_eq!(one(rule, undated), on_undated, "{rule} on an undated deal");
    }
}

#[test]
fn presence_is_never_unknown_for_one_value() {
    // `cfius filed` alone would be incomplete; whether it is there is known.
    assert_eq!(
        one("rule r: cfius filed is missing", "proposal: \"t\"\n"),
        "pass"
    );
    assert_eq!(
        one("rule r: cfius filed", "proposal: \"t\"\n"),
        "incomplete"
    );
    // `null` is missing too.
    assert_eq!(
        one("rule r: date is missing", "proposal: \"t\"\ndate: null\n"),
        "pass"
    );
}

#[test]
fn an_absent_record_on_the_way_makes_the_field_missing() {
    let no_board = "proposal: \"t\"\n";
    assert_eq!(one("rule r: board chair is missing", no_board), "pass");
    assert_eq!(
        notes("rule r: board chair is present", no_board),
        ["`board` is missing"]
    );
    let no_chair = "proposal: \"t\"\nboard: { seats: 7 }\n";
    assert_eq!(
        notes("rule r: board chair is present", no_chair),
        ["`chair` is missing"]
    );
    let chair = "proposal: \"t\"\nboard: { seats: 7, chair: \"Liberty\" }\n";
    assert_eq!(one("rule r: board chair is present", chair), "pass");
}

#[test]
fn defaults_count_as_present() {
    // `waivers` defaults to an empty list (SPEC §1); `owners` has no default (§7.1).
    assert_eq!(
        one("rule r: waivers is present", "proposal: \"t\"\n"),
        "pass"
    );
    assert_eq!(
        one("rule r: parties is missing", "proposal: \"t\"\n"),
        "pass"
    );
}

#[test]
fn over_a_mapped_list_each_record_is_tested_before_flattening() {
    // Liberty lists no owners, Pearl River does: each party's `owners` is tested.
    assert_eq!(one("rule r: party owners is missing", PARTIES), "fail");
    assert_eq!(
        notes("rule r: party owners is missing", PARTIES),
        ["`owners` is present for party \"Pearl River\""]
    );
    assert_eq!(one("rule r: party owners is present", PARTIES), "fail");
    assert_eq!(
        notes("rule r: party owners is present", PARTIES),
        ["`owners` is missing for party \"Liberty\""]
    );
    assert_eq!(
        one("rule r: some party where owners is missing", PARTIES),
        "pass"
    );
    assert_eq!(
        one("rule r: party stake must not be missing", PARTIES),
        "pass"
    );
    // Vacuous over no parties, like any implicit each; a missing list is missing.
    assert_eq!(
        one(
            "rule r: party owners is present",
            "proposal: \"t\"\nparties: []\n"
        ),
        "pass"
    );
    assert_eq!(
        one("rule r: party owners is present", "proposal: \"t\"\n"),
        "fail"
    );
    assert_eq!(
        one("rule r: party owners is missing", "proposal: \"t\"\n"),
        "pass"
    );
    // Deeper: each owner's `voting` (not flattened further).
    assert_eq!(
        one("rule r: party owner voting is missing", PARTIES),
        "pass"
    );
}

#[test]
fn maybe_members_of_a_filter_stay_maybe() {
    // Sakura's country is missing: it may be an American partner, whose stake is missing.
    let d = "proposal: \"t\"\nparties:\n  \
        - { name: \"Liberty\", country: \"US\", stake: \"60%\" }\n  \
        - { name: \"Sakura\" }\n";
    let lets = "let american partner = parties where country = \"US\"\n";
    assert_eq!(
        one(
            &format!("{lets}rule r: american partner stake is present"),
            d
        ),
        "incomplete"
    );
    assert_eq!(
        one(
            &format!("{lets}rule r: american partner name is present"),
            d
        ),
        "pass"
    );
}

#[test]
fn a_list_valued_presence_test_is_not_a_guard() {
    assert!(
        compile_errors("rule r {\n  when party owners is missing\n  require cfius filed\n}")
            .contains(&"covenant::type::list-in-guard".to_string())
    );
}

#[test]
fn only_deal_fields_can_be_missing() {
    let code = "covenant::type::presence-of-computed".to_string();
    for text in [
        "rule r: total party stake is present",
        "rule r: party controller is present",
        "rule r: party owner country is missing",
        "let foreign partner = parties where country != \"US\"\nrule r: foreign partner is missing",
        "rule r: (parties where stake > 0%) name is missing",
    ] {
        assert!(compile_errors(text).contains(&code), "{text}");
    }
}

#[test]
fn projections_read_a_phrase_on_the_items() {
    let d = PARTIES;
    assert_eq!(
        one(
            "rule r: total (parties where country = \"US\") stake > 50%",
            d
        ),
        "pass"
    );
    assert_eq!(
        one(
            "rule r: total (parties where country = \"CN\") stake > 50%",
            d
        ),
        "fail"
    );
    // An element side: each foreign stake.
    assert_eq!(
        one("rule r: (parties where country != \"US\") stake < 50%", d),
        "pass"
    );
    assert_eq!(
        one("rule r: \"Liberty\" in (parties where stake > 50%) name", d),
        "pass"
    );
    // Mapped steps flatten a list of lists: every owner of the filtered parties.
    assert_eq!(
        one(
            "rule r: \"PR Holding\" in (parties where country = \"CN\") owner name",
            d
        ),
        "pass"
    );
}

#[test]
fn a_total_over_maybe_members_of_a_projection_is_unknown() {
    let d = "proposal: \"t\"\nparties:\n  \
        - { name: \"Liberty\", country: \"US\", stake: \"60%\" }\n  \
        - { name: \"Sakura\", stake: \"40%\" }\n";
    assert_eq!(
        one(
            "rule r: total (parties where country = \"US\") stake > 50%",
            d
        ),
        "incomplete"
    );
    assert_eq!(
        one(
            "rule r: total (parties where country = \"US\") stake < 50%",
            d
        ),
        "incomplete"
    );
}

#[test]
fn a_projection_needs_records() {
    assert!(compile_errors("rule r: ([1, 2]) name = 1")
        .contains(&"covenant::resolve::unknown-phrase".to_string()));
    assert!(
        compile_errors("rule r: total (parties where stake > 0%) stak > 0%")
            .contains(&"covenant::resolve::unknown-phrase".to_string())
    );
}
