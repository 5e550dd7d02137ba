//! `covenant test`: the shipped example suite with its snapshots, a suite with wrong
//! expectations, suites that cannot be run, and snapshots that differ, are missing or stale.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;

use crate::common;
use common::covenant;

#[test]
fn example_suite_passes_with_its_snapshots() {
    let (code, out, err) = covenant(&["test", "examples/tests", "--snapshot"]);
    assert_eq!(code, 0, "{out}\n{err}");
    let cases = out.lines().filter(|l| l.contains('✓')).count();
    assert!(cases >= 18, "{out}");
    assert!(
        out.lines()
            .any(|l| l == format!("{cases} passed, 0 failed")),
        "{out}"
    );
}

#[test]
fn the_example_suite_covers_every_example_deal() {
    let suite = std::fs::read_to_string("examples/tests/us-auto-jv.test.yaml").unwrap();
    for entry in std::fs::read_dir("examples/deals").unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name.ends_with(".jsonl") {
            let text = std::fs::read_to_string(format!("examples/deals/{name}")).unwrap();
            for (i, line) in text.lines().enumerate() {
                if !line.trim().is_empty() {
                    let want = format!("deal: ../deals/{name}:{}", i + 1);
                    assert!(suite.contains(&want), "no case for {name}:{}", i + 1);
                }
            }
        } else {
            assert!(
                suite.contains(&format!("deal: ../deals/{name}\n")),
                "no case for {name}"
            );
        }
    }
}

#[test]
fn wrong_expectations_show_expected_and_actual() {
    let (code, out, err) = covenant(&[
        "test",
        "tests/fixtures/suites/wrong-expectation.suite.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.ends_with("1 passed, 3 failed\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn a_path_that_does_not_exist_is_an_error() {
    let (code, _, err) = covenant(&["test", "tests/fixtures/suites/nowhere", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(err.contains("no such file or folder"), "{err}");
}

#[test]
fn a_folder_without_suites_is_an_error() {
    let (code, _, err) = covenant(&["test", "examples/deals", "--color", "never"]);
    assert_eq!(code, 2);
    assert!(err.contains("no test suite"), "{err}");
}

/// A scratch copy of a suite with absolute paths, in a fresh folder under the temp dir.
fn scratch(name: &str, suite: &str) -> (PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("covenant-suites-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let path = dir.join(format!("{name}.test.yaml"));
    std::fs::write(&path, suite.replace("ROOT", root)).unwrap();
    (dir, path.display().to_string())
}

const TWO_CASES: &str = "\
policy: ROOT/examples/policies/us-auto-jv.policy
cases:
  - name: the 51/49 deal
    deal: ROOT/examples/deals/acme-dragon-51-49.yaml
    expect: { verdict: compliant }
  - name: the waiver deal
    deal: ROOT/examples/deals/acme-dragon-us-control-waiver.toml
    expect: { rules: { american-control: exempt } }
";

#[test]
fn snapshots_are_missing_written_compared_and_pruned() {
    let (dir, suite) = scratch("cycle", TWO_CASES);
    let snaps = dir.join("cycle.snapshots");

    // No snapshot yet: every case fails and says how to write it; nothing is written.
    let (code, out, _) = covenant(&["test", &suite, "--snapshot", "--color", "never"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("no snapshot"), "{out}");
    assert!(out.contains("--accept"), "{out}");
    assert!(out.ends_with("0 passed, 2 failed\n"), "{out}");
    assert!(!snaps.exists());

    // --accept writes them (and implies --snapshot).
    let (code, out, _) = covenant(&["test", &suite, "--accept", "--color", "never"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("(snapshot written)").count(), 2, "{out}");
    let file = snaps.join("the-51-49-deal.json");
    let stored = std::fs::read_to_string(&file).unwrap();
    assert!(stored.contains("\"verdict\": \"compliant\""), "{stored}");
    assert!(snaps.join("the-waiver-deal.json").exists());

    // Unchanged: passes.
    let (code, out, _) = covenant(&["test", &suite, "--snapshot", "--color", "never"]);
    assert_eq!(code, 0, "{out}");

    // A stored snapshot that differs: a line diff, stored (-) against actual (+).
    std::fs::write(&file, stored.replace("\"pass\"", "\"fail\"")).unwrap();
    let (code, out, _) = covenant(&["test", &suite, "--snapshot", "--color", "never"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("differs from snapshot"), "{out}");
    assert!(out.contains("@@ -"), "{out}");
    assert!(out.contains("-      \"outcome\": \"fail\","), "{out}");
    assert!(out.contains("+      \"outcome\": \"pass\","), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");

    // --accept rewrites it and removes the snapshot of a case that no longer exists.
    std::fs::write(snaps.join("old-case.json"), "{}\n").unwrap();
    let (code, out, _) = covenant(&["test", &suite, "--accept", "--color", "never"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("(snapshot updated)"), "{out}");
    assert!(out.contains("removed stale snapshot"), "{out}");
    assert!(!snaps.join("old-case.json").exists());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), stored);
    // No temporary file is left behind.
    let left: Vec<_> = std::fs::read_dir(&snaps)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "{left:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn colour_only_when_asked() {
    let (_, plain, _) = covenant(&["test", "examples/tests", "--color", "never"]);
    assert!(!plain.contains('\x1b'));
    let (_, coloured, _) = covenant(&["test", "examples/tests", "--color", "always"]);
    assert!(coloured.contains("\x1b[32m✓\x1b[0m"), "{coloured}");
}

#[test]
fn folders_are_searched_recursively_in_order() {
    let (dir, _) = scratch("search", TWO_CASES);
    let nested = dir.join("b/nested");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::create_dir_all(dir.join(".hidden")).unwrap();
    let suite = std::fs::read_to_string(dir.join("search.test.yaml")).unwrap();
    std::fs::write(nested.join("z.test.yaml"), &suite).unwrap();
    std::fs::write(dir.join("a.test.yaml"), &suite).unwrap();
    std::fs::write(dir.join(".hidden/h.test.yaml"), &suite).unwrap();
    std::fs::write(dir.join("not-a-suite.yaml"), "x: 1\n").unwrap();
    let shown = dir.display().to_string();
    let (code, out, _) = covenant(&["test", &shown, "--color", "never"]);
    assert_eq!(code, 0, "{out}");
    let headings: Vec<&str> = out
        .lines()
        .filter(|l| l.ends_with(".test.yaml"))
        .map(|l| l.strip_prefix(shown.as_str()).unwrap_or(l))
        .collect();
    assert_eq!(
        headings,
        ["/a.test.yaml", "/b/nested/z.test.yaml", "/search.test.yaml"]
    );
    assert!(out.ends_with("6 passed, 0 failed\n"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// SPEC §3.1: an `unless` that holds gives `pass`, marked exempt. A case expecting `pass`
/// accepts an exempt pass; a case expecting `exempt` insists on the exemption.
#[test]
fn an_exempt_rule_meets_an_expected_pass() {
    let (dir, suite) = scratch(
        "exempt-pass",
        "\
policy: ROOT/examples/policies/us-auto-jv.policy
cases:
  - name: pass accepts an exempt pass
    deal: ROOT/examples/deals/acme-dragon-us-control-waiver.toml
    expect: { rules: { american-control: pass } }
  - name: exempt accepts an exempt pass
    deal: ROOT/examples/deals/acme-dragon-us-control-waiver.toml
    expect: { rules: { american-control: exempt } }
  - name: exempt rejects a plain pass
    deal: ROOT/examples/deals/acme-dragon-51-49.yaml
    expect: { rules: { american-control: exempt } }
",
    );
    let (code, out, _) = covenant(&["test", &suite, "--color", "never"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("✓ pass accepts an exempt pass"), "{out}");
    assert!(out.contains("✓ exempt accepts an exempt pass"), "{out}");
    assert!(out.contains("✗ exempt rejects a plain pass"), "{out}");
    assert!(out.ends_with("2 passed, 1 failed\n"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `covenant test --format json`: one document with every suite, case and mismatch, and the
/// counts of the human listing's last line; the exit code is the same in every format.
#[test]
fn the_json_format_lists_every_case_and_mismatch() {
    let suite = "tests/fixtures/suites/wrong-expectation.suite.yaml";
    let (code, out, err) = covenant(&["test", suite, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["summary"],
        serde_json::json!({"passed": 1, "failed": 3, "errors": 0})
    );
    let suites = v["suites"].as_array().unwrap();
    assert_eq!(suites.len(), 1);
    assert_eq!(suites[0]["path"], suite);
    assert!(suites[0]["error"].is_null());
    let cases = suites[0]["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 4);
    assert_eq!(cases[0]["passed"], true);
    assert_eq!(cases[0]["mismatches"], serde_json::json!([]));
    assert_eq!(cases[0]["detail"], "");
    let wrong = &cases[1];
    assert_eq!(wrong["name"], "wrong about the 50/50 boundary deal");
    assert_eq!(wrong["passed"], false);
    assert_eq!(wrong["verdict"], "non-compliant");
    let mismatches = wrong["mismatches"].as_array().unwrap();
    assert!(mismatches.contains(&serde_json::json!(
        {"kind": "verdict", "expected": "compliant", "actual": "non-compliant"}
    )));
    assert!(mismatches
        .iter()
        .any(|m| m["kind"] == "rule" && m["expected"] == "pass"));
    assert!(
        wrong["detail"].as_str().unwrap().contains("rule"),
        "{wrong}"
    );
    let (human_code, human, _) = covenant(&["test", suite, "--color", "never"]);
    assert_eq!(human_code, code);
    assert!(human.ends_with("1 passed, 3 failed\n"));

    // Snapshots: their status and file per case.
    let (dir, two) = scratch("json-snapshots", TWO_CASES);
    let (code, out, _) = covenant(&["test", &two, "--snapshot", "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let case = &v["suites"][0]["cases"][0];
    assert_eq!(case["snapshot"]["status"], "missing", "{case}");
    assert!(
        case["snapshot"]["file"]
            .as_str()
            .unwrap()
            .ends_with(".json"),
        "{case}"
    );
    let _ = std::fs::remove_dir_all(dir);

    // A suite that cannot be run: its error and problems, exit 2.
    let (dir, broken) = scratch(
        "json-broken",
        "policy: ROOT/tests/fixtures/suites/none.policy\ncases: []\n",
    );
    let (code, out, _) = covenant(&["test", &broken, "--format", "json"]);
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(v["suites"][0]["error"]
        .as_str()
        .unwrap()
        .starts_with("the suite cannot be run"));
    assert!(
        !v["suites"][0]["problems"].as_array().unwrap().is_empty(),
        "{v}"
    );
    assert_eq!(v["summary"]["errors"], 1);
    let _ = std::fs::remove_dir_all(dir);
}
