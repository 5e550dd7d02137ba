//! Evaluate two fixed policies (the example US auto JV policy and the differential benchmark
//! policy) on arbitrary deals, read as JSON and as YAML: whenever a deal loads, evaluation must
//! not panic or hang and must give exactly one result per rule, in rule order.
#![no_main]

#[path = "common.rs"]
mod common;

use covenant::deal::Format;
use covenant::eval::evaluate;
use covenant::resolve::{compile_str, Policy};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const COMMON: &str = include_str!("../../examples/policies/common.policy");
const US_AUTO_JV: &str = include_str!("../../examples/policies/us-auto-jv.policy");
const JV_BASELINE: &str = include_str!("../../tests/differential/jv-baseline.policy");

fn policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        // `compile_str` reads no other files: splice `common.policy` in where it is used.
        let use_line = US_AUTO_JV
            .lines()
            .find(|l| l.starts_with("use \"common.policy\""))
            .unwrap_or_else(|| panic!("us-auto-jv.policy no longer uses common.policy"));
        let us_auto_jv = US_AUTO_JV.replacen(use_line, COMMON, 1);
        [
            ("us-auto-jv.policy", us_auto_jv.as_str()),
            ("jv-baseline.policy", JV_BASELINE),
        ]
        .into_iter()
        .map(|(name, text)| match compile_str(name, text) {
            Ok(compiled) => compiled.policy,
            Err(e) => panic!("{name} does not compile: {e:?}"),
        })
        .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for (name, format) in [("fuzz.json", Format::Json), ("fuzz.yaml", Format::Yaml)] {
        let Some(loaded) = common::load_deal(text, name, 1, format) else {
            continue;
        };
        for policy in policies() {
            let results = evaluate(policy, &loaded.deal, None);
            assert_eq!(results.len(), policy.rules.len(), "one result per rule");
            for (i, r) in results.iter().enumerate() {
                assert_eq!(r.rule, i, "results in rule order");
            }
        }
    }
});
