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
pub(crate) fn schema_errors(log: &Value) -> Vec<String> {
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

/// `check --format sarif` of a policy that does not compile: exit 2, and still a valid log,
/// whose invocation did not succeed, with a tool notification and each diagnostic as a result
/// placed in the policy.
#[test]
fn a_policy_that_does_not_compile_still_gives_a_valid_sarif_log() {
    let dir = crate::support::Dir::new("sarif-not-compiled");
    let policy = dir.file(
        "bad.policy",
        "rule r: board seats < \"x\"\nrule q: frobnicate > 1\n",
    );
    let unparsed = dir.file("unparsed.policy", "rule p:\n  require ((\n");
    for (file, errors) in [(&policy, 2), (&unparsed, 1)] {
        let args = [
            "check",
            "-p",
            file.as_str(),
            "examples/deals",
            "--format",
            "sarif",
        ];
        let (code, out, err) = covenant(&args);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("does not compile"), "{err}");
        let log: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
        assert_eq!(schema_errors(&log), Vec::<String>::new());
        let run = &log["runs"][0];
        let invocation = &run["invocations"][0];
        assert_eq!(invocation["executionSuccessful"], false);
        let note = &invocation["toolExecutionNotifications"][0];
        assert_eq!(note["level"], "error");
        assert!(
            note["message"]["text"]
                .as_str()
                .unwrap()
                .ends_with("): no deal was checked"),
            "{note}"
        );
        let results = run["results"].as_array().unwrap();
        assert!(results.len() >= errors, "{out}");
        for r in results {
            let id = r["ruleId"].as_str().unwrap();
            assert!(id.starts_with("covenant::"), "{id}");
            assert_eq!(
                rules(&log)[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
                id
            );
            let place = &r["locations"][0]["physicalLocation"];
            let uri = place["artifactLocation"]["uri"].as_str().unwrap();
            assert!(uri.ends_with(".policy"), "{uri}");
            assert!(place["region"]["startLine"].as_u64().unwrap() >= 1);
        }
        assert!(run.get("properties").is_none());
    }
}

/// A run stopped before it checked a deal by a setting (`--as-of`), or with no policy at all,
/// also writes a valid log that says why; so does a policy with more problems than
/// `--max-results`, which lists the first and counts the others.
#[test]
fn every_run_that_checks_no_deal_gives_a_valid_sarif_log() {
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        "examples/deals",
        "--as-of",
        "2026-13-01",
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    let note = &log["runs"][0]["invocations"][0]["toolExecutionNotifications"][0];
    assert!(
        note["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("--as-of: "),
        "{note}"
    );
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));

    let dir = crate::support::Dir::new("sarif-many-errors");
    let text: String = (0..30)
        .map(|i| format!("rule r{i}: frobnicate{i} > 1\n"))
        .collect();
    let policy = dir.file("many.policy", text);
    let args = [
        "check",
        "-p",
        policy.as_str(),
        "examples/deals",
        "--format",
        "sarif",
        "--max-results",
        "10",
    ];
    let (code, out, _) = covenant(&args);
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(schema_errors(&log), Vec::<String>::new());
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 10);
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(
        notes[1]["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with("10 results are listed and 20 more are not"),
        "{notes:?}"
    );
}

/// `--format github` of a policy that does not compile: an annotation per diagnostic, in the
/// policy, then the reason as an error.
#[test]
fn a_policy_that_does_not_compile_gives_github_annotations() {
    let dir = crate::support::Dir::new("github-not-compiled");
    let policy = dir.file("bad.policy", "rule q: frobnicate > 1\n");
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        &policy,
        "examples/deals",
        "--format",
        "github",
    ]);
    assert_eq!(code, 2);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].starts_with(&format!(
        "::error file={},line=1,col=9,endLine=1,endColumn=19,title=covenant%3A%3Aresolve%3A%3Aunknown-phrase::unknown phrase `frobnicate`",
        policy.replace(':', "%3A").replace(',', "%2C")
    )), "{out}");
    assert_eq!(
        lines[1],
        "::error title=covenant::the policy does not compile (1 problem): no deal was checked"
    );
}
