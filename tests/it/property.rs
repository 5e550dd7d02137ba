//! Property: random deals (missing fields, wrong types, odd numbers) never make loading or
//! evaluation panic, and every rule gets exactly one outcome; a presence test on deal fields
//! (SPEC §8) is never unknown.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use covenant::deal::{self, Format, LoadOptions};
use covenant::source::SourceFile;
use proptest::prelude::*;

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"51%\"".to_string()),
        Just("\"49.99%\"".to_string()),
        Just("\"-5%\"".to_string()),
        Just("\"150%\"".to_string()),
        Just("\"USD 3.5B\"".to_string()),
        Just("\"EUR 120M\"".to_string()),
        Just("\"USD 0\"".to_string()),
        Just("\"US\"".to_string()),
        Just("\"CN\"".to_string()),
        Just("\"\"".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("0".to_string()),
        Just("7".to_string()),
        Just("123456789012345678901234567890".to_string()),
        Just("2026-09-01".to_string()),
        Just("\"2026-02-30\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        "[a-z]{0,6}".prop_map(|s| format!("\"{s}\"")),
        (0u32..200).prop_map(|n| format!("\"{n}%\"")),
    ]
}

fn record(fields: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::option::of(scalar()), fields.len()).prop_map(move |vals| {
        let body: Vec<String> = fields
            .iter()
            .zip(vals)
            .filter_map(|(f, v)| v.map(|v| format!("\"{f}\": {v}")))
            .collect();
        format!("{{{}}}", body.join(", "))
    })
}

const PARTY: &[&str] = &[
    "name",
    "country",
    "stake",
    "voting",
    "board_seats",
    "government_stake",
    "profit_share",
    "subsidies",
];
const TECH: &[&str] = &[
    "name",
    "owner",
    "origin",
    "category",
    "transfer",
    "source_code_escrow",
];
const DATA: &[&str] = &["name", "category", "location", "subjects", "transfers"];
const PLANT: &[&str] = &["country", "region", "capacity", "local_content"];
const ROOT: &[&str] = &[
    "date",
    "jurisdiction",
    "sector",
    "cfius_filed",
    "investment",
    "waivers",
];

fn deal_json() -> impl Strategy<Value = String> {
    (
        record(ROOT),
        proptest::option::of(proptest::collection::vec(record(PARTY), 0..4)),
        proptest::collection::vec(record(TECH), 0..3),
        proptest::collection::vec(record(DATA), 0..3),
        proptest::collection::vec(record(PLANT), 0..3),
        proptest::option::of(record(&["seats", "chair"])),
    )
        .prop_map(|(root, parties, tech, data, plants, board)| {
            let mut s = root.trim_end_matches('}').to_string();
            let sep = |s: &String| if s.len() > 1 { ", " } else { "" };
            let list = |v: &Vec<String>| format!("[{}]", v.join(", "));
            s += &format!("{}\"proposal\": \"p\"", sep(&s));
            if let Some(p) = parties {
                s += &format!(", \"parties\": {}", list(&p));
            }
            if let Some(b) = board {
                s += &format!(", \"board\": {b}");
            }
            s += &format!(
                ", \"technology\": {}, \"data\": {}, \"plants\": {}}}",
                list(&tech),
                list(&data),
                list(&plants)
            );
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(100, 1_000)))]
    #[test]
    fn random_deals_never_panic(json in deal_json()) {
        let policy = covenant::resolve::compile(&["examples/policies".into()]).unwrap().policy;
        let baseline = covenant::resolve::compile_str("jv-baseline.policy", include_str!("../fixtures/jv-baseline.policy")).unwrap().policy;
        for p in [&policy, &baseline] {
            let loaded = deal::load(SourceFile::new("d.json", json.clone()), "d.json".into(), 1, Format::Json, &p.schema, &LoadOptions::default());
            if let Ok(l) = loaded {
                let results = covenant::eval::evaluate(p, &l.deal, None);
                prop_assert_eq!(results.len(), p.rules.len());
            }
        }
    }
}

/// Presence tests, each decided on every deal that loads (never `incomplete`), and `as` names
/// and projections beside them.
const PRESENCE_POLICY: &str = "rule p-date: date is missing
rule p-chair: board chair is present
rule p-stakes: party stake is missing
rule p-must: party stake must not be missing
rule p-not: board seats is not present
rule a-tiers: every party: no [25%, 50%] as tier: stake < tier and voting >= tier
rule a-projection: total (parties where country = \"US\") stake > 50%
";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(100, 1_000)))]
    #[test]
    fn presence_tests_are_never_unknown(json in deal_json()) {
        let p = covenant::resolve::compile_str("presence.policy", PRESENCE_POLICY).unwrap().policy;
        let loaded = deal::load(SourceFile::new("d.json", json), "d.json".into(), 1, Format::Json, &p.schema, &LoadOptions::default());
        if let Ok(l) = loaded {
            let results = covenant::eval::evaluate(&p, &l.deal, None);
            prop_assert_eq!(results.len(), p.rules.len());
            for r in &results {
                let id = &p.rules[r.rule].id;
                if id.starts_with("p-") {
                    prop_assert!(matches!(r.outcome.as_str(), "pass" | "fail"), "{} is {}", id, r.outcome.as_str());
                }
            }
        }
    }
}
