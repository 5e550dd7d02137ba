//! Item definitions (SPEC §8): `define SINGULAR WORDS: EXPR` as a field of the items SINGULAR
//! names, on real deals: the outcomes it decides, `use`, cycles, collisions, visibility, and
//! the evidence it gives.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use common::*;
use covenant::report::written::written;

/// The §8 example: a party controls the JV by votes, by the casting vote or by a veto outside
/// the minority protections.
const CONTROLS: &str = r#"
let home = "US"
let foreign partner = parties where country != home
let minority protection = ["annual budget", "new shares"]
define party controls: voting > 50% or name = deal board casting vote or some veto where veto not in minority protection
rule no-foreign-control: no foreign partner controls
"#;

/// Acme holds the casting vote unless `board` says otherwise.
fn jv(dragon: &str, board: &str) -> String {
    let board = match board {
        "" => ", casting_vote: \"Acme Motors\"",
        b => b,
    };
    format!(
        "proposal: \"t\"\nboard: {{ seats: 7{board} }}\nparties:\n  - {{ name: \"Acme Motors\", country: US, kind: public, stake: \"51%\", voting: \"51%\" }}\n  - {{ name: \"Dragon Motors\", country: CN, kind: company, stake: \"49%\"{dragon} }}\n"
    )
}

#[test]
fn a_definition_decides_pass_fail_and_incomplete() {
    let minority = jv(", voting: \"49%\", vetoes: [\"annual budget\"]", "");
    assert_eq!(one(CONTROLS, &minority), "pass");
    let veto = jv(
        ", voting: \"49%\", vetoes: [\"annual budget\", \"CEO\"]",
        "",
    );
    assert_eq!(one(CONTROLS, &veto), "fail");
    let casting = jv(", voting: \"49%\"", ", casting_vote: \"Dragon Motors\"");
    assert_eq!(one(CONTROLS, &casting), "fail");
    let majority = jv(", voting: \"60%\"", "");
    assert_eq!(one(CONTROLS, &majority), "fail");
    // Dragon's voting is missing and nothing else makes it control: unknown, never a pass.
    let unknown = jv("", "");
    assert_eq!(one(CONTROLS, &unknown), "incomplete");
    // So is a board that does not say who has the casting vote.
    let no_casting_vote = jv(", voting: \"49%\"", ", chair: \"Acme Motors\"");
    assert_eq!(one(CONTROLS, &no_casting_vote), "incomplete");
    // … unless another disjunct decides it.
    let decided = jv(", vetoes: [\"CEO\"]", "");
    assert_eq!(one(CONTROLS, &decided), "fail");
}

#[test]
fn a_definition_is_a_field_in_every_phrase_form() {
    // Dragon controls (60% of the votes, and the casting vote); Acme does not.
    let d = jv(", voting: \"60%\"", ", casting_vote: \"Dragon Motors\"")
        .replace("voting: \"51%\"", "voting: \"40%\"");
    let p = |rule: &str| format!("{CONTROLS}rule r2: {rule}\n");
    let second = |rule: &str| outcomes(&p(rule), &d)[1].clone();
    assert_eq!(second("some party controls"), "r2=pass");
    assert_eq!(
        second("some party where country = home: controls"),
        "r2=fail"
    );
    assert_eq!(
        second("every party where country = home: not controls"),
        "r2=pass"
    );
    assert_eq!(second("count of (parties where controls) = 1"), "r2=pass");
    assert_eq!(
        second("some party where party controls and country = \"CN\""),
        "r2=pass"
    );
    assert_eq!(second("every party: controls"), "r2=fail");
    // A mapped phrase is an element side in `require` (implicit each).
    assert_eq!(second("party controls = false"), "r2=fail");
    assert_eq!(second("foreign partner controls = true"), "r2=pass");
}

#[test]
fn aggregates_over_a_per_item_expression() {
    let policy = "define party state share: stake * government stake\nrule r: total party state share < 25%\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"60%\" }\n";
    // 49% × 60% = 29.4%.
    assert_eq!(one(policy, d), "fail");
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"40%\" }\n";
    assert_eq!(one(policy, d), "pass");
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\" }\n  - { name: B, stake: \"49%\", government_stake: \"40%\" }\n";
    assert_eq!(one(policy, d), "incomplete");
    let exact = "define party state share: stake * government stake\nrule r: total party state share = 29.4%\n";
    let d = "proposal: t\nparties:\n  - { name: A, stake: \"51%\", government_stake: \"0%\" }\n  - { name: B, stake: \"49%\", government_stake: \"60%\" }\n";
    assert_eq!(one(exact, d), "pass");
}

#[test]
fn entity_definitions_cover_parties() {
    let policy = "define entity covered: country in [\"CN\", \"RU\"]\nrule r: no party covered\n";
    assert_eq!(one(policy, &jv(", voting: \"49%\"", "")), "fail");
    let d = "proposal: t\nparties:\n  - { name: A, country: US }\n";
    assert_eq!(one(policy, d), "pass");
}
