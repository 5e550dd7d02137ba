//! Snapshots of the human and JSON reports of every shipped example, colour off.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use common::covenant;

fn rel(path: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap().display().to_string()
}

#[test]
fn human_reports_of_every_example() {
    insta::glob!("../../examples", "deals/*", |path| {
        let deal = rel(path);
        let (code, out, err) = covenant(&[
            "check",
            "-p",
            "examples/policies",
            &deal,
            "--color",
            "never",
        ]);
        insta::assert_snapshot!(format!("exit {code}\n{err}{out}"));
    });
}

#[test]
fn json_reports_of_every_example() {
    insta::glob!("../../examples", "deals/*", |path| {
        let deal = rel(path);
        let (code, out, _) = covenant(&[
            "check",
            "-p",
            "examples/policies",
            &deal,
            "--format",
            "json",
        ]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        insta::assert_snapshot!(format!(
            "exit {code}\n{}",
            serde_json::to_string_pretty(&json).unwrap()
        ));
    });
}

#[test]
fn invalid_examples_are_reported_and_exit_2() {
    insta::glob!("../../examples", "invalid/*", |path| {
        let deal = rel(path);
        let (code, out, _) = covenant(&[
            "check",
            "-p",
            "examples/policies",
            &deal,
            "--color",
            "never",
        ]);
        assert_eq!(code, 2, "{deal}");
        assert!(out.contains(": invalid"), "{out}");
        insta::assert_snapshot!(out);
    });
}

#[test]
fn the_readme_command_shows_findings_and_exits_1() {
    let (code, out, err) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        "examples/deals",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1, "{err}");
    for verdict in ["compliant", "non-compliant", "incomplete"] {
        assert!(
            out.contains(&format!(": {verdict}\n")),
            "no {verdict} deal:\n{out}"
        );
    }
    assert!(!out.contains(": invalid"), "{out}");
}

#[test]
fn every_outcome_appears_in_the_examples() {
    let (_, out, _) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        "examples/deals",
        "--format",
        "jsonl",
    ]);
    let mut seen = std::collections::BTreeSet::new();
    for line in out.lines() {
        let deal: serde_json::Value = serde_json::from_str(line).unwrap();
        for r in deal["rules"].as_array().unwrap() {
            seen.insert(r["outcome"].as_str().unwrap().to_string());
            if r["exempt"] == true {
                seen.insert("exempt".into());
            }
        }
    }
    let want = ["pass", "fail", "not-applicable", "incomplete", "exempt"];
    for w in want {
        assert!(
            seen.contains(w),
            "no `{w}` outcome in the examples: {seen:?}"
        );
    }
}

#[test]
fn a_batch_goes_on_after_an_invalid_deal() {
    let dir = std::env::temp_dir().join(format!("covenant-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let batch = dir.join("b.jsonl");
    std::fs::write(&batch, "{\"proposal\": \"a\"}\n{not json\n\n{\"proposal\": \"c\", \"parties\": 3}\n{\"proposal\": \"d\"}\n").unwrap();
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        batch.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<String> = json["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            d["path"]
                .as_str()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(paths, ["1", "2", "4", "5"]);
    let verdicts: Vec<&str> = json["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts[1], "invalid");
    assert_eq!(verdicts[2], "invalid");
    assert_eq!(json["summary"]["deals"], 4);
    assert_eq!(json["summary"]["invalid"], 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_policy_with_two_parse_errors_counts_two_problems() {
    let dir = std::env::temp_dir().join(format!("covenant-two-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("bad.policy");
    std::fs::write(
        &policy,
        "policy \"bad\" version \"1\"\nrule a { require ( }\nrule b { require ) }\n",
    )
    .unwrap();
    let (code, _, err) = covenant(&["check", "-p", policy.to_str().unwrap(), "examples/deals"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(": 2 errors"), "{err}");
    assert!(
        err.trim_end()
            .ends_with("error: the policy does not compile (2 problems)"),
        "{err}"
    );
}

/// The exit code, human report and JSON report of `deal` checked against `policy`.
fn human_and_json(policy: &str, deal: &str) -> String {
    let (code, out, err) = covenant(&["check", "-p", policy, deal, "--color", "never"]);
    let (_, json, _) = covenant(&["check", "-p", policy, deal, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    format!(
        "exit {code}\n{err}{out}\n{}",
        serde_json::to_string_pretty(&json).unwrap()
    )
}

#[test]
fn human_and_json_reports_of_the_north_american_examples() {
    insta::glob!("../../examples", "north-america/deals/*", |path| {
        insta::assert_snapshot!(human_and_json("examples/north-america", &rel(path)));
    });
}

#[test]
fn human_and_json_reports_of_the_canadian_examples() {
    insta::glob!("../../examples", "canada/deals/*", |path| {
        insta::assert_snapshot!(human_and_json("examples/canada", &rel(path)));
    });
}

/// The shipped US framework is a press report (`status reported`, SPEC §12): a deal that fails
/// only its rules is compliant by default, with the line under its verdict that says what those
/// rules decided, and non-compliant when `--include-proposed` counts them.
#[test]
fn a_deal_failing_only_reported_rules_is_compliant_unless_they_are_included() {
    let deal = "examples/deals/liberty-pearl-50-50.json";
    let check = |extra: &[&str]| {
        let mut args = vec!["check", "-p", "examples/policies", deal, "--color", "never"];
        args.extend_from_slice(extra);
        covenant(&args)
    };
    let (code, out, err) = check(&[]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("examples/deals/liberty-pearl-50-50.json (Liberty Auto–Pearl River Tech 50/50 JV): compliant")
    );
    let uncounted = lines.next().unwrap();
    for rule in [
        "american-control",
        "foreign-minority",
        "board-majority",
        "data-must-stay-onshore",
    ] {
        assert!(
            uncounted.contains(&format!("`{rule}` (reported) fails")),
            "{uncounted}"
        );
    }
    assert!(
        uncounted.ends_with(": not counted; --include-proposed counts them"),
        "{uncounted}"
    );
    assert!(
        out.contains(
            "fail        Each foreign partner stays a minority [foreign-minority, reported, not counted]"
        ),
        "{out}"
    );

    let (code, out, err) = check(&["--include-proposed"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.starts_with("examples/deals/liberty-pearl-50-50.json (Liberty Auto–Pearl River Tech 50/50 JV): non-compliant\n  16 rules: 8 pass, 6 fail, 2 not applicable\n"),
        "{out}"
    );
    assert!(!out.contains("not counted"), "{out}");
    assert!(
        out.contains(
            "fail        Each foreign partner stays a minority [foreign-minority, reported]\n"
        ),
        "{out}"
    );
    let (_, out, _) = check(&["--include-proposed", "--verbose"]);
    assert!(
        out.contains("fail            foreign-minority [reported]"),
        "{out}"
    );
}

/// The count lines the README quotes for its first command, with and without
/// `--include-proposed`.
#[test]
fn the_readme_count_lines() {
    for (extra, last) in [
        (
            None,
            "16 deals: 10 compliant, 3 non-compliant, 3 incomplete, 0 invalid; no rule applies to 1",
        ),
        (
            Some("--include-proposed"),
            "16 deals: 5 compliant, 6 non-compliant, 5 incomplete, 0 invalid; no rule applies to 1",
        ),
    ] {
        let mut args = vec!["check", "-p", "examples/policies", "examples/deals"];
        args.extend(extra);
        let (code, out, err) = covenant(&args);
        assert_eq!(code, 1, "{err}");
        assert_eq!(out.lines().last(), Some(last), "{extra:?}");
        let readme = std::fs::read_to_string("README.md").unwrap();
        assert!(readme.contains(last), "README.md does not quote `{last}`");
    }
}
