//! The JUnit reports (`check --format junit`, `test --format junit`) against the two schemas CI
//! servers read: Jenkins' `junit-10.xsd` and the Apache Ant JUnit schema (vendored in
//! `tests/fixtures/junit/`, provenance in its README), validated with Python's `xmlschema`.
//!
//! CI installs it (`.ci/python`). Without python3 and xmlschema these tests fail and say so;
//! `COVENANT_SKIP_XSD=1` skips them, loudly.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::process::Command;

use crate::support::{covenant, Dir};

const SCHEMAS: [&str; 2] = [
    "tests/fixtures/junit/junit-10.xsd",
    "tests/fixtures/junit/ant-junit.xsd",
];

/// Prints one line per error: `SCHEMA DOCUMENT: REASON at PATH`.
const VALIDATE: &str = r#"
import sys, xmlschema
schemas = [xmlschema.XMLSchema(p) for p in sys.argv[1:3]]
for doc in sys.argv[3:]:
    for path, schema in zip(sys.argv[1:3], schemas):
        for e in schema.iter_errors(doc):
            print(f"{path} {doc}: {e.reason} at {e.path}")
"#;

/// Whether the schema tests are to be skipped (`COVENANT_SKIP_XSD=1`), said on stderr.
fn skipped(test: &str) -> bool {
    if std::env::var_os("COVENANT_SKIP_XSD").is_some_and(|v| v == "1") {
        eprintln!("SKIPPED {test}: COVENANT_SKIP_XSD=1, the JUnit reports are NOT validated");
        return true;
    }
    false
}

/// Every way the documents break either schema.
fn schema_errors(docs: &[(&str, String)]) -> Vec<String> {
    let dir = Dir::new("junit-schema");
    let files: Vec<String> = docs
        .iter()
        .map(|(name, text)| dir.file(&format!("{name}.xml"), text))
        .collect();
    let output = Command::new("python3")
        .arg("-c")
        .arg(VALIDATE)
        .args(SCHEMAS)
        .args(&files)
        .output()
        .unwrap_or_else(|e| {
            panic!("python3 cannot be run ({e}): run .ci/python, or set COVENANT_SKIP_XSD=1")
        });
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the validator failed (is xmlschema installed? run .ci/python, or set \
         COVENANT_SKIP_XSD=1):\n{err}"
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn junit(args: &[&str]) -> String {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "junit"]);
    let (_, out, err) = covenant(&all);
    assert!(out.starts_with("<?xml"), "{out}\n{err}");
    out
}

#[test]
fn check_junit_of_every_example_is_valid_against_both_schemas() {
    if skipped("check_junit_of_every_example_is_valid_against_both_schemas") {
        return;
    }
    let docs = [
        (
            "examples",
            junit(&[
                "-p",
                "examples/policies",
                "examples/deals",
                "examples/invalid",
                "tests/fixtures/diagnostics/deal/unknown-key.yaml",
            ]),
        ),
        (
            "north-america",
            junit(&[
                "-p",
                "examples/north-america",
                "examples/north-america/deals",
            ]),
        ),
        (
            "canada",
            junit(&["-p", "examples/canada", "examples/canada/deals"]),
        ),
        (
            "proposed-counted",
            junit(&[
                "-p",
                "examples/policies",
                "examples/deals",
                "--include-proposed",
                "--as-of",
                "2026-10-01",
            ]),
        ),
    ];
    // The timestamp is the evaluation date: `--as-of`, else today (at midnight).
    assert!(docs[3].1.contains(" timestamp=\"2026-10-01T00:00:00\" "));
    let today = format!(
        " timestamp=\"{}T00:00:00\" ",
        jiff::ZonedDateTime::now().date()
    );
    assert!(docs[0].1.contains(&today), "{today}");
    // Every kind of testcase is in there: failures, errors, skipped, notes, invalid deals.
    let all = &docs[0].1;
    for kind in [
        "<failure ",
        "<error ",
        "<skipped ",
        "<system-out>",
        "name=\"load\"",
    ] {
        assert!(all.contains(kind), "no {kind} in the examples' report");
    }
    assert_eq!(schema_errors(&docs), Vec::<String>::new());
}

#[test]
fn hostile_text_and_every_severity_stay_valid() {
    if skipped("hostile_text_and_every_severity_stay_valid") {
        return;
    }
    let dir = Dir::new("junit-hostile");
    let proposal = "A & B <x> \"q\" 'a' ]]> \u{1}\u{FFFE} \r\n  next";
    let deal = dir.file(
        "a deal.json",
        serde_json::json!({"proposal": proposal, "jurisdiction": "US", "date": "2026-03-01",
            "parties": [{"name": "X <&>", "country": "CN", "stake": "50%"}]})
        .to_string(),
    );
    let policy = dir.file(
        "p.policy",
        "rule big-board \"A <big> board\" {\n  severity info\n  require board seats >= 100\n}\n\
         rule named-chair {\n  severity warning\n  require board chair = \"X\"\n}\n\
         rule small-board: board seats < 100\n\
         rule foreign: every party: stake < 50%\n",
    );
    let docs = [
        (
            "examples-policy",
            junit(&["-p", "examples/policies", &deal]),
        ),
        ("severities", junit(&["-p", &policy, &deal])),
        (
            "no-deal-text",
            junit(&["-p", &policy, &dir.file("e.yaml", "proposal: \"\"\n")]),
        ),
    ];
    assert_eq!(schema_errors(&docs), Vec::<String>::new());
}

/// A suite with a failing case, one that cannot be run, and the examples' suites.
#[test]
fn test_junit_is_valid_against_both_schemas() {
    if skipped("test_junit_is_valid_against_both_schemas") {
        return;
    }
    let dir = Dir::new("junit-suites");
    dir.file("p.policy", "rule small: board seats < 5\n");
    dir.file("d.yaml", "proposal: x\nboard: {seats: 7}\n");
    dir.file(
        "fails.test.yaml",
        "policy: p.policy\ncases:\n  - name: a <wrong> \"case\"\n    deal: d.yaml\n    expect:\n      verdict: compliant\n      rules: { small: pass }\n",
    );
    dir.file("broken.policy", "rule r: frobnicate > 1\n");
    dir.file(
        "broken.test.yaml",
        "policy: broken.policy\ncases:\n  - name: n\n    deal: d.yaml\n    expect: { verdict: compliant }\n",
    );
    let (code, own, _) = covenant(&["test", &dir.path(""), "--format", "junit"]);
    assert_eq!(code, 2, "{own}");
    assert!(own.contains("<failure message=\""), "{own}");
    assert!(own.contains("name=\"load\""), "{own}");
    let (code, examples, err) = covenant(&["test", "examples/tests", "--format", "junit"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        schema_errors(&[("own", own), ("examples", examples)]),
        Vec::<String>::new()
    );
}

/// The validator finds what each schema forbids, so a pass above means something.
#[test]
fn the_validator_rejects_what_each_schema_rejects() {
    if skipped("the_validator_rejects_what_each_schema_rejects") {
        return;
    }
    let good = junit(&[
        "-p",
        "examples/policies",
        "examples/deals/acme-dragon-51-49.yaml",
    ]);
    let broken = [
        // Ant: `<testsuites>` takes no attribute.
        (
            "totals",
            good.replace("<testsuites>", "<testsuites tests=\"16\">"),
        ),
        // Ant: a testcase needs its `time`.
        ("no-time", good.replacen(" time=\"0\"/>", "/>", 1)),
        // Ant: a suite needs its `<system-err>`.
        ("no-system-err", good.replace("    <system-err/>\n", "")),
        // Jenkins: `<testsuites>` has no `skipped`.
        (
            "skipped-total",
            good.replace("<testsuites>", "<testsuites skipped=\"2\">"),
        ),
    ];
    let docs: Vec<(&str, String)> = broken.iter().map(|(n, t)| (*n, t.clone())).collect();
    let errors = schema_errors(&docs);
    for (name, _) in &broken {
        assert!(
            errors.iter().any(|e| e.contains(&format!("{name}.xml"))),
            "{name}: no schema rejects it: {errors:?}"
        );
    }
    let jenkins = |name: &str| {
        errors
            .iter()
            .any(|e| e.starts_with(SCHEMAS[0]) && e.contains(&format!("{name}.xml")))
    };
    assert!(jenkins("skipped-total"), "{errors:?}");
    assert!(!jenkins("totals"), "{errors:?}");
}
