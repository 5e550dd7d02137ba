//! Legal status (SPEC §12): `proposed` and `reported` rules are reported, tagged, and not
//! counted unless `--include-proposed`; `repealed` rules count inside their window; every
//! result carries `status` and `counted`, in every report format.

use crate::common::{self, covenant};
use crate::support::Dir;
use covenant::check::{Engine, Settings};
use covenant::deal::Format;
use covenant::eval::outcome::Verdict;
use serde_json::Value;

const POLICY: &str = "tests/fixtures/status/status.policy";
const HEADER: &str = "tests/fixtures/status/header.policy";

fn deal(name: &str) -> String {
    format!("tests/fixtures/status/{name}")
}

/// `covenant check -p POLICY DEAL --format json EXTRA…`: the exit code and the deal's report.
fn check(policy: &str, name: &str, extra: &[&str]) -> (u8, Value) {
    let d = deal(name);
    let mut args = vec!["check", "-p", policy, &d, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = covenant(&args);
    assert!(code < 2, "exit {code}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    (code, v["deals"][0].clone())
}

/// `id outcome status counted` for every rule of a deal's report.
fn rules(report: &Value) -> Vec<String> {
    report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let counted = r["counted"].as_bool().unwrap();
            format!("{} {} {} {counted}", r["id"], r["outcome"], r["status"]).replace('"', "")
        })
        .collect()
}

#[test]
fn failing_proposed_and_reported_rules_do_not_count() {
    let (code, report) = check(POLICY, "jv-2026.yaml", &[]);
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "compliant");
    assert_eq!(
        rules(&report),
        [
            "board-size pass in-force true",
            "foreign-below-40 fail proposed false",
            "source-escrow fail reported false",
            "former-cap not-applicable repealed true",
        ]
    );
}

#[test]
fn include_proposed_counts_them() {
    let (code, report) = check(POLICY, "jv-2026.yaml", &["--include-proposed"]);
    assert_eq!(code, 1);
    assert_eq!(report["verdict"], "non-compliant");
    assert_eq!(
        rules(&report),
        [
            "board-size pass in-force true",
            "foreign-below-40 fail proposed true",
            "source-escrow fail reported true",
            "former-cap not-applicable repealed true",
        ]
    );
}

#[test]
fn a_repealed_rule_counts_inside_its_window() {
    let (code, report) = check(POLICY, "jv-2020.yaml", &[]);
    assert_eq!(
        (code, report["verdict"].as_str()),
        (1, Some("non-compliant"))
    );
    assert_eq!(
        rules(&report),
        [
            "board-size pass in-force true",
            "foreign-below-40 fail proposed false",
            "source-escrow pass reported false",
            "former-cap fail repealed true",
        ]
    );
}

#[test]
fn a_repealed_rule_without_a_deal_date_is_incomplete_and_counted() {
    let (code, report) = check(POLICY, "jv-undated.yaml", &[]);
    assert_eq!((code, report["verdict"].as_str()), (1, Some("incomplete")));
    let former = &report["rules"][3];
    assert_eq!(former["outcome"], "incomplete");
    assert_eq!(former["counted"], true);
    assert_eq!(former["evidence"][0]["reason"], Value::Null);
    assert!(former["message"].as_str().unwrap().contains("no `date`"));
    // With --as-of inside the window, the repealed rule decides: 51/49 is within its cap.
    let (code, report) = check(POLICY, "jv-undated.yaml", &["--as-of", "2021-12-31"]);
    assert_eq!((code, report["verdict"].as_str()), (0, Some("compliant")));
    assert_eq!(report["rules"][3]["outcome"], "pass");
    // The day its window ends, it no longer applies (`until` is exclusive).
    let (_, report) = check(POLICY, "jv-undated.yaml", &["--as-of", "2022-01-01"]);
    assert_eq!(report["rules"][3]["outcome"], "not-applicable");
    assert_eq!(report["rules"][3]["counted"], true);
}

#[test]
fn the_header_status_is_inherited_and_a_rule_status_replaces_it() {
    let (code, report) = check(HEADER, "jv-2026.yaml", &[]);
    assert_eq!(
        rules(&report),
        [
            "framework-cap fail reported false",
            "enacted-cap fail in-force true",
        ]
    );
    assert_eq!(
        (code, report["verdict"].as_str()),
        (1, Some("non-compliant"))
    );
    // A 40/60 deal breaks only the reported cap: compliant, and the line under the verdict
    // says what the reported rule decided.
    let d = "proposal: \"p\"\nparties:\n  - { name: \"A\", country: \"US\", stake: \"58%\" }\n  - { name: \"B\", country: \"CN\", stake: \"42%\" }\n";
    let dir = Dir::new("status-header");
    let path = dir.file("d.yaml", d);
    let (code, out, _) = covenant(&["check", "-p", HEADER, &path, "--color", "never"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains(": compliant\n"), "{out}");
    assert!(
        out.contains(
            "  `framework-cap` (reported) fails: not counted; --include-proposed counts it\n"
        ),
        "{out}"
    );
    assert!(
        out.contains("fail        Framework cap [framework-cap, reported, not counted]\n"),
        "{out}"
    );
    let verbose = [
        "check",
        "-p",
        HEADER,
        &path,
        "--verbose",
        "--color",
        "never",
    ];
    let (_, out, _) = covenant(&verbose);
    assert!(
        out.contains("fail            framework-cap [reported, not counted]:"),
        "{out}"
    );
}

#[test]
fn counted_follows_the_status_whatever_the_outcome() {
    let policy = "rule in-force-na {\n  when sector = \"mining\"\n  require board seats <= 11\n}\n\
        rule proposed-na {\n  status proposed\n  when sector = \"mining\"\n  require board seats <= 11\n}\n\
        rule proposed-pass {\n  status proposed\n  require board seats <= 11\n}\n\
        rule reported-incomplete {\n  status reported\n  require cfius filed\n}\n\
        rule repealed-pass {\n  status repealed\n  effective 2020-01-01 until 2030-01-01\n  require board seats <= 11\n}\n";
    let yaml = "proposal: \"p\"\ndate: 2026-03-01\nsector: \"automotive\"\nboard: { seats: 7 }\n";
    let (p, results) = common::results(policy, yaml, None);
    let shown: Vec<String> = results
        .iter()
        .map(|r| {
            format!(
                "{}={}/{}",
                p.rules[r.rule].id,
                r.outcome.as_str(),
                r.counted
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            "in-force-na=not-applicable/true",
            "proposed-na=not-applicable/false",
            "proposed-pass=pass/false",
            "reported-incomplete=incomplete/false",
            "repealed-pass=pass/true",
        ]
    );
    // An incomplete reported rule leaves the deal compliant.
    let engine = Engine::new(p, Settings::default());
    let report = engine.check_text("d.yaml", yaml, Format::Yaml);
    assert_eq!(report.verdict, Verdict::Compliant);
}

#[test]
fn the_library_settings_include_proposed() {
    let compiled = covenant::resolve::compile(&[POLICY.into()]).unwrap();
    let text = std::fs::read_to_string(deal("jv-2026.yaml")).unwrap();
    let engine = Engine::new(compiled.policy, Settings::default());
    let report = engine.check_text("jv.yaml", &text, Format::Yaml);
    assert_eq!(report.verdict, Verdict::Compliant);
    let counting = engine.with_settings(Settings {
        include_proposed: true,
        ..Settings::default()
    });
    let report = counting.check_text("jv.yaml", &text, Format::Yaml);
    assert_eq!(report.verdict, Verdict::NonCompliant);
    assert!(report.results.iter().all(|r| r.counted));
}

#[test]
fn deny_warnings_does_not_count_a_proposed_warning_rule() {
    let policy =
        "rule seats {\n  severity warning\n  status proposed\n  require board seats <= 5\n}\n";
    let dir = Dir::new("status-warning");
    let p = dir.file("p.policy", policy);
    let d = dir.file("d.yaml", "proposal: \"p\"\nboard: { seats: 7 }\n");
    let (code, _, _) = covenant(&["check", "-p", &p, &d, "--deny-warnings"]);
    assert_eq!(code, 0);
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        &p,
        &d,
        "--deny-warnings",
        "--include-proposed",
        "--color",
        "never",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("fail        Seats [seats, warning, proposed]\n"),
        "{out}"
    );
}

#[test]
fn sarif_and_junit_report_an_uncounted_failure_as_a_note() {
    let d = deal("jv-2026.yaml");
    let (_, out, _) = covenant(&["check", "-p", POLICY, &d, "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&out).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let levels: Vec<(String, String, String, bool)> = results
        .iter()
        .map(|r| {
            let p = &r["properties"];
            (
                r["ruleId"].as_str().unwrap().into(),
                r["level"].as_str().unwrap().into(),
                p["status"].as_str().unwrap().into(),
                p["counted"].as_bool().unwrap(),
            )
        })
        .collect();
    let want = [
        ("foreign-below-40", "note", "proposed", false),
        ("source-escrow", "note", "reported", false),
    ];
    let want: Vec<(String, String, String, bool)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), *d))
        .collect();
    assert_eq!(levels, want);
    let (_, out, _) = covenant(&["check", "-p", POLICY, &d, "--format", "junit"]);
    assert!(
        out.contains("tests=\"4\" failures=\"0\" errors=\"0\" skipped=\"1\""),
        "{out}"
    );
    assert!(
        out.contains("<system-out>foreign-below-40: proposed, not counted: fail:"),
        "{out}"
    );
    let (_, out, _) = covenant(&[
        "check",
        "-p",
        POLICY,
        &d,
        "--format",
        "junit",
        "--include-proposed",
    ]);
    assert!(
        out.contains("tests=\"4\" failures=\"2\" errors=\"0\" skipped=\"1\""),
        "{out}"
    );
}

#[test]
fn explain_tags_the_status() {
    let d = deal("jv-2026.yaml");
    let (code, out, _) = covenant(&["explain", "-p", POLICY, &d]);
    assert_eq!(code, 0);
    assert!(
        out.contains("rule foreign-below-40 [error, proposed, not counted]: fail"),
        "{out}"
    );
    assert!(
        out.contains("rule former-cap [error, repealed]: not-applicable"),
        "{out}"
    );
    assert!(out.contains("rule board-size [error]: pass"), "{out}");
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        POLICY,
        &d,
        "--format",
        "json",
        "--include-proposed",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let escrow = &v["rules"][2];
    assert_eq!(
        (&escrow["status"], &escrow["counted"]),
        (&Value::from("reported"), &Value::from(true))
    );
}

#[test]
fn a_suite_case_may_include_proposed_rules() {
    let dir = Dir::new("status-suite");
    let root = std::env::current_dir().unwrap();
    let policy = root.join(POLICY);
    let jv = root.join(deal("jv-2026.yaml"));
    let suite = format!(
        "policy: {}\ncases:\n  - name: proposed rules do not count\n    deal: {}\n    expect:\n      verdict: compliant\n      rules: {{ foreign-below-40: fail }}\n  - name: counted on request\n    deal: {}\n    include_proposed: true\n    expect:\n      verdict: non-compliant\n",
        policy.display(),
        jv.display(),
        jv.display()
    );
    let path = dir.file("status.test.yaml", suite);
    let (code, out, err) = covenant(&["test", &path, "--color", "never"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 passed, 0 failed"), "{out}");
    // `covenant test --include-proposed` counts them in every case: the first case fails.
    let (code, out, _) = covenant(&["test", &path, "--include-proposed", "--color", "never"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("1 passed, 1 failed"), "{out}");
}

#[test]
fn diff_says_which_rule_stopped_counting() {
    let dir = Dir::new("status-diff");
    let rule = |status: &str| {
        format!("rule seats {{\n  status {status}\n  require board seats <= 5\n}}\n")
    };
    let old = dir.file("old.policy", rule("in-force"));
    let new = dir.file("new.policy", rule("proposed"));
    let d = dir.file("d.yaml", "proposal: \"p\"\nboard: { seats: 7 }\n");
    let (code, out, _) = covenant(&["diff", &old, &new, &d, "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let deal = &v["deals"][0];
    assert_eq!(
        (&deal["old"], &deal["new"]),
        (&"non-compliant".into(), &"compliant".into())
    );
    assert_eq!(deal["rules"][0]["old"], "fail");
    assert_eq!(deal["rules"][0]["new"], "fail (not counted)");
    // Counted under both policies, no deal changes (the rule's text still does).
    let (_, out, _) = covenant(&[
        "diff",
        &old,
        &new,
        &d,
        "--include-proposed",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["deals"], Value::Array(Vec::new()), "{out}");
    assert_eq!(v["summary"]["rules_changed"], 1);
}

#[test]
fn every_report_format_shows_status_and_counted() {
    for format in ["human", "json", "jsonl", "sarif", "junit", "markdown"] {
        for name in ["jv-2026.yaml", "jv-undated.yaml"] {
            let d = deal(name);
            let (code, out, err) = covenant(&[
                "check", "-p", POLICY, &d, "--format", format, "--color", "never",
            ]);
            insta::assert_snapshot!(
                format!("{format}_{name}"),
                format!("exit {code}\n{err}---\n{}", crate::formats::dated(&out))
            );
        }
    }
}
