//! The SARIF of the shipped examples against the official SARIF 2.1.0 JSON schema (OASIS,
//! vendored in `tests/fixtures/sarif/`, provenance in its README), and the rules' help links
//! (SPEC §12).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::sync::OnceLock;

use serde_json::Value;

use crate::common::covenant;

/// The schema, compiled once: draft 7, with `format` (`uri`, `uri-reference`) checked.
fn validator() -> &'static jsonschema::Validator {
    static VALIDATOR: OnceLock<jsonschema::Validator> = OnceLock::new();
    VALIDATOR.get_or_init(|| {
        let text = std::fs::read_to_string("tests/fixtures/sarif/sarif-schema-2.1.0.json").unwrap();
        let mut schema: Value = serde_json::from_str(&text).unwrap();
        // The file's `language` patterns (of `run` and `toolComponent`),
        // `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`, have a stray `]` that the meta-schema's
        // `regex` format rejects, so no validator builds with formats checked. They are mended
        // here, in memory (the file stays as published), to what they mean: a language tag
        // `en` or `en-US`. Covenant never writes `language`.
        for def in ["run", "toolComponent"] {
            let pattern = &mut schema["definitions"][def]["properties"]["language"]["pattern"];
            assert_eq!(pattern, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$");
            *pattern = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".into();
        }
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft7)
            .should_validate_formats(true)
            .build(&schema)
            .unwrap()
    })
}

/// Every way `log` breaks the schema, as `PATH: ERROR`.
fn schema_errors(log: &Value) -> Vec<String> {
    validator()
        .iter_errors(log)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn sarif(args: &[&str]) -> Value {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "sarif"]);
    let (_, out, err) = covenant(&all);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {err}"))
}

fn rules(log: &Value) -> &Vec<Value> {
    log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
}

/// Every descriptor whose rule cites a url has `helpUri`, the first url (SPEC §12); the others
/// have none. Returns how many have one.
fn help_links(log: &Value) -> usize {
    let mut linked = 0;
    for r in rules(log) {
        let first = r["properties"]["citations"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|c| c["url"].as_str());
        assert_eq!(r["helpUri"].as_str(), first, "helpUri of {}", r["id"]);
        linked += usize::from(first.is_some());
    }
    linked
}

#[test]
fn the_examples_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&["-p", "examples/policies", "examples/deals"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 3, "{}", help_links(&log));
}

#[test]
fn the_north_america_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&[
        "-p",
        "examples/north-america",
        "examples/north-america/deals",
    ]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 1, "{}", help_links(&log));
}

#[test]
fn the_canada_sarif_is_valid_sarif_2_1_0_with_help_links() {
    let log = sarif(&["-p", "examples/canada", "examples/canada/deals"]);
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert!(help_links(&log) >= 2, "{}", help_links(&log));
}

/// The checker itself: it finds what the schema forbids.
#[test]
fn the_checker_rejects_what_the_schema_rejects() {
    let log = sarif(&["-p", "examples/policies", "examples/deals"]);
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = log.clone();
        f(&mut v);
        schema_errors(&v)
    };
    let rule = "/runs/0/tool/driver/rules/0";
    assert!(!bad(&|v| v["version"] = "2.2".into()).is_empty());
    assert!(!bad(&|v| v.pointer_mut(rule).unwrap()["helpUri"] = "no scheme".into()).is_empty());
    assert!(!bad(&|v| v.pointer_mut(rule).unwrap()["cite"] = "x".into()).is_empty());
    assert!(!bad(&|v| {
        v.pointer_mut(rule)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .remove("id");
    })
    .is_empty());
    assert!(!bad(&|v| v["runs"][0]["results"][0]["level"] = "fatal".into()).is_empty());
    assert!(!bad(&|v| {
        let region = "/runs/0/results/0/locations/0/physicalLocation/region";
        v.pointer_mut(region).unwrap()["startLine"] = 0.into();
    })
    .is_empty());
    assert!(!bad(&|v| {
        let rules = v.pointer_mut("/runs/0/tool/driver/rules").unwrap();
        let first = rules[0].clone();
        rules.as_array_mut().unwrap().push(first);
    })
    .is_empty());
}
