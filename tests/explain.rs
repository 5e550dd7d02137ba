//! `covenant explain` on the shipped examples: the human tree and the JSON tree.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

mod common;
use common::covenant;

#[test]
fn explains_every_example() {
    insta::glob!("../examples", "deals/*.{yaml,json,toml}", |path| {
        let deal = format!(
            "examples/deals/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        let (code, out, err) = covenant(&["explain", "-p", "examples/policies", &deal]);
        assert_eq!(code, 0, "{err}");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn explains_as_json() {
    let (code, out, _) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        "examples/deals/liberty-pearl-50-50.json",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules = json["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 8);
    assert_eq!(rules[1]["id"], "foreign-minority");
    assert_eq!(rules[1]["outcome"], "fail");
    insta::assert_json_snapshot!(json);
}

#[test]
fn says_why_a_rule_holds_vacuously_and_why_it_is_not_applicable() {
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        "examples/deals/acme-dragon-51-49.yaml",
        "--rule",
        "connected-vehicle",
    ]);
    assert!(out.contains("window effective 2026-09-01 → false"), "{out}");
    let deal = std::env::temp_dir().join(format!("covenant-vacuous-{}.yaml", std::process::id()));
    std::fs::write(
        &deal,
        "proposal: \"no data\"\njurisdiction: \"US\"\nplants: []\n",
    )
    .unwrap();
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        "tests/fixtures/jv-baseline.policy",
        deal.to_str().unwrap(),
        "--rule",
        "local-content",
    ]);
    assert!(out.contains("holds vacuously: no plant"), "{out}");
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        deal.to_str().unwrap(),
        "--rule",
        "data-must-stay-onshore",
    ]);
    assert!(out.contains("holds vacuously: `data` is empty"), "{out}");
}

#[test]
fn names_the_missing_field_and_one_batch_line() {
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        "examples/deals/batch.jsonl:5",
        "--rule",
        "feoc",
    ]);
    assert!(out.contains("`parties` is missing"), "{out}");
    assert!(out.contains("examples/deals/batch.jsonl:5:1"), "{out}");
}

#[test]
fn unknown_rule_is_bad_usage() {
    let (code, _, err) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        "examples/deals/acme-dragon-51-49.yaml",
        "--rule",
        "nope",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("no rule `nope`"));
}
