//! `covenant explain` on the shipped examples: the human tree and the JSON tree.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use common::covenant;

#[test]
fn explains_every_example() {
    insta::glob!("../../examples", "deals/*.{yaml,json,toml}", |path| {
        let deal = format!(
            "examples/deals/{}",
            path.file_name().unwrap().to_str().unwrap()
        );
        let (code, out, err) = covenant(&["explain", "-p", "examples/policies", &deal]);
        // `explain` exits as `check` does for the deal (docs/cli.md).
        let (check, _, _) = covenant(&["check", "-p", "examples/policies", &deal]);
        assert_eq!(code, check, "{err}");
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
    // The ownership policy's 8 rules, then the framework's 8 (files in path order).
    assert_eq!(rules.len(), 16);
    let minority = rules
        .iter()
        .find(|r| r["id"] == "foreign-minority")
        .unwrap();
    assert_eq!(minority["outcome"], "fail");
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
    let _ = std::fs::remove_file(&deal);
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

/// SPEC §2.4: an implicit each over an empty list holds vacuously "and `explain` says so",
/// for a comparison and a membership as for a must-form (which says it once).
#[test]
fn says_an_implicit_each_over_an_empty_list_holds_vacuously() {
    let dir = std::env::temp_dir().join(format!("covenant-vacuous-each-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("p.policy");
    std::fs::write(
        &policy,
        "rule cmp: party stake < 50%\nrule mem: party country in [\"US\"]\nrule must: party stake must be less than 50%\n",
    )
    .unwrap();
    let deal = dir.join("d.yaml");
    std::fs::write(&deal, "proposal: \"no parties\"\nparties: []\n").unwrap();
    let (code, out, _) = covenant(&[
        "explain",
        "-p",
        policy.to_str().unwrap(),
        deal.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    for (rule, phrase) in [
        ("cmp", "party stake"),
        ("mem", "party country"),
        ("must", "party stake"),
    ] {
        let part = out
            .split(&format!("rule {rule} [error]: pass\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no rule {rule}: {out}"));
        let part = part.split("\n\n").next().unwrap();
        let note = format!("holds vacuously: `{phrase}` is empty");
        assert!(part.starts_with(&format!("  {note}\n")), "{rule}: {part}");
        assert_eq!(
            part.matches(&format!("· {note}")).count(),
            1,
            "{rule}: {part}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_total_of_an_empty_list_is_shown_with_its_unit() {
    let deal =
        std::env::temp_dir().join(format!("covenant-empty-total-{}.yaml", std::process::id()));
    std::fs::write(
        &deal,
        "proposal: \"empty\"\njurisdiction: \"US\"\nparties: []\n",
    )
    .unwrap();
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        deal.to_str().unwrap(),
        "--rule",
        "american-control",
    ]);
    assert!(out.contains("total american partner stake → 0%"), "{out}");
    // The evidence under it says the same: a zero of the unit it is compared with.
    assert!(
        out.contains("`total american partner stake` is 0%, not > 50%"),
        "{out}"
    );
    // Money's currency is known only at run time: the zero says where it comes from.
    let policy = deal.with_extension("policy");
    std::fs::write(&policy, "rule subsidies: total party subsidies <= USD 1M\n").unwrap();
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        policy.to_str().unwrap(),
        deal.to_str().unwrap(),
    ]);
    std::fs::remove_file(&deal).unwrap();
    std::fs::remove_file(&policy).unwrap();
    assert!(
        out.contains("total party subsidies → 0 (empty list)"),
        "{out}"
    );
}

/// `explain` on 8,000 parties: every list is shown by its first elements and a count, so the
/// output grows with the deal, not with its square (it was 960 MB of text, 4.2 GB of memory:
/// each party's line of `equal-profit` listed all 8,000 parties). Text and JSON stay under
/// 1 MB; the parties past the first ten are counted, and the one that decides is still named.
#[test]
fn explaining_eight_thousand_parties_writes_under_a_megabyte() {
    const N: usize = 8_000;
    let dir = std::env::temp_dir().join(format!("covenant-explain-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // The last party is foreign with 52% of the profit: it alone breaks `equal-profit`.
    let parties: Vec<String> = (0..N)
        .map(|i| {
            let (country, profit) = match i {
                _ if i == N - 1 => ("CN", "52%"),
                _ => ("US", "0.0125%"),
            };
            format!(
                r#"{{"name":"P{i}","country":"{country}","stake":"0.0125%","voting":"0.0125%","board_seats":1,"government_stake":"0%","profit_share":"{profit}","subsidies":"USD 0"}}"#
            )
        })
        .collect();
    let deal = dir.join("big.json");
    std::fs::write(
        &deal,
        format!(
            r#"{{"proposal":"big","date":"2026-03-01","jurisdiction":"US","cfius_filed":true,"investment":"USD 1B","board":{{"seats":7}},"parties":[{}],"technology":[],"data":[],"plants":[]}}"#,
            parties.join(",")
        ),
    )
    .unwrap();
    let deal = deal.to_str().unwrap();
    let (code, text, err) = covenant(&["explain", "-p", "examples/policies", deal]);
    assert_eq!(code, 0, "{err}");
    assert!(text.len() < 1_000_000, "{} bytes of text", text.len());
    let (code, json, err) = covenant(&[
        "explain",
        "-p",
        "examples/policies",
        deal,
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(json.len() < 1_000_000, "{} bytes of JSON", json.len());
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rule = json["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "equal-profit")
        .unwrap();
    assert_eq!(rule["outcome"], "fail");
    let every = &rule["require"][0];
    let shown = every["children"].as_array().unwrap();
    assert!(shown.len() <= 11, "{} elements listed", shown.len());
    assert_eq!(
        shown.len() as u64 + every["more"].as_u64().unwrap(),
        N as u64
    );
    let decided = format!("decided by party \"P{}\"", N - 1);
    let notes = every["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n == &decided), "{notes:?}");
    assert!(
        notes
            .iter()
            .any(|n| n == &format!("{} more not listed (of `party`): {} true", N - 11, N - 11)),
        "{notes:?}"
    );
    assert!(
        shown
            .iter()
            .any(|c| c["expr"] == format!("party \"P{}\"", N - 1)),
        "the deciding party is listed"
    );
    assert!(text.contains(&decided));
    let _ = std::fs::remove_dir_all(&dir);
}

/// A must-form over each element and a list with elements that may or may not belong list
/// ten elements, then those that fail (ten at most), and count the others.
#[test]
fn a_must_form_and_maybe_members_list_ten_elements_and_count_the_others() {
    let dir = std::env::temp_dir().join(format!("covenant-explain-must-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("p.policy");
    std::fs::write(
        &policy,
        "let american = parties where country = \"US\"\nrule must: party stake must be less than 50%\nrule maybe: total american stake <= 100%\n",
    )
    .unwrap();
    // 40 parties of 2.5%, the last one at 60%; no party has a country.
    let parties: Vec<String> = (0..40)
        .map(|i| {
            format!(
                "  - {{name: \"P{i}\", stake: \"{}\"}}\n",
                if i == 39 { "60%" } else { "1%" }
            )
        })
        .collect();
    let deal = dir.join("d.yaml");
    std::fs::write(
        &deal,
        format!("proposal: \"x\"\nparties:\n{}", parties.concat()),
    )
    .unwrap();
    let (code, out, err) = covenant(&[
        "explain",
        "-p",
        policy.to_str().unwrap(),
        deal.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "the rule does not pass: {err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let must = &json["rules"][0]["require"][0];
    assert_eq!(must["value"], "false");
    let listed: Vec<&str> = must["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["expr"].as_str().unwrap())
        .collect();
    // The subject's values, ten parties, and the one that fails.
    assert_eq!(listed.len(), 12, "{listed:?}");
    assert_eq!(listed[11], "party \"P39\" 60%");
    assert_eq!(must["more"], 29);
    let maybe = out
        .matches("may or may not belong: `country` is missing")
        .count();
    assert_eq!(maybe, 10, "{out}");
    assert!(
        out.contains("30 more not listed (of `american stake`): 30 may or may not belong"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
