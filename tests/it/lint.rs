//! `covenant lint` beyond its fixtures (`tests/fixtures/diagnostics/lint/`, one policy per
//! finding kind, run by `diagnostics.rs`): the JSON and SARIF formats, the exit codes, and the
//! shipped examples.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::{Path, PathBuf};

use clap::Parser;
use covenant::lint::{self, output, sarif, LintReport, Severity};
use covenant_cli::{self as cli, lint::LintArgs, lint::LintFormat, Cli};
use serde_json::Value;

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from("tests/fixtures/diagnostics/lint").join(name)
}

fn lint_fixture(name: &str) -> LintReport {
    lint::lint(&[fixture(name)], today())
}

#[test]
fn severities_and_exit_codes() {
    let r = lint_fixture("never-passes.policy");
    let sev: Vec<Severity> = r.findings.iter().map(|f| f.severity).collect();
    assert_eq!(sev, [Severity::Error, Severity::Error, Severity::Warning]);
    assert_eq!(r.exit_code(), 1);
    assert_eq!(lint_fixture("never-fails.policy").exit_code(), 0);
    assert_eq!(lint_fixture("missing-cite.policy").exit_code(), 0);
    assert_eq!(lint_fixture("clean.policy").exit_code(), 0);
    assert!(lint_fixture("clean.policy").findings.is_empty());
    // Compile errors are reported with their own codes, but a policy that does not compile
    // is invalid input (SPEC §4): exit 2.
    let r = lint_fixture("unknown-phrase.policy");
    assert!(!r.fatal);
    assert_eq!(r.exit_code(), 2);
    // A policy that does not parse: exit 2.
    let r = lint_fixture("parse-syntax.policy");
    assert!(r.fatal);
    assert_eq!(r.exit_code(), 2);
    assert_eq!(r.findings[0].line, Some(4));
    assert_eq!(r.findings[0].column, Some(26));
    // A missing file cannot be loaded either.
    let r = lint::lint(&[fixture("no-such.policy")], today());
    assert_eq!(r.exit_code(), 2);
    assert_eq!(r.findings[0].code, "covenant::policy::unreadable");
}

#[test]
fn expired_windows_depend_on_today() {
    let early = lint::lint(
        &[fixture("expired-window.policy")],
        jiff::civil::date(2025, 12, 31),
    );
    assert!(early.findings.is_empty(), "{:?}", early.findings);
    let on_until = lint::lint(
        &[fixture("expired-window.policy")],
        jiff::civil::date(2026, 1, 1),
    );
    assert_eq!(on_until.findings.len(), 1);
}

#[test]
fn json_format() {
    let r = lint_fixture("never-passes.policy");
    let v: Value = serde_json::from_str(&output::json(&r)).unwrap();
    assert_eq!(
        v["policies"][0],
        "tests/fixtures/diagnostics/lint/never-passes.policy"
    );
    assert_eq!(v["loaded"], true);
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["warnings"], 1);
    assert_eq!(v["summary"]["infos"], 0);
    let f = &v["findings"][0];
    assert_eq!(f["code"], "covenant::lint::never-passes");
    assert_eq!(f["severity"], "error");
    assert_eq!(
        f["file"],
        "tests/fixtures/diagnostics/lint/never-passes.policy"
    );
    assert_eq!(f["line"], 9);
    assert_eq!(f["column"], 11);
    assert_eq!(f["end_line"], 9);
    assert_eq!(f["end_column"], 27);
    let text = std::fs::read_to_string(fixture("never-passes.policy")).unwrap();
    let (start, end) = (
        f["span"]["start"].as_u64().unwrap() as usize,
        f["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[start..end], "board seats > 11");
    assert!(f["message"].as_str().unwrap().contains("can never pass"));
    assert!(f["help"].is_string());
}

#[test]
fn sarif_format() {
    let r = lint::lint(
        &[
            fixture("never-passes.policy"),
            fixture("missing-cite.policy"),
        ],
        today(),
    );
    let v: Value = serde_json::from_str(&sarif::report(&r)).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["$schema"], sarif::SCHEMA);
    let run = &v["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "covenant");
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for code in lint::codes().map(|c| c.code) {
        assert!(ids.contains(&code), "{code} missing from the rules");
    }
    for rule in rules {
        assert!(rule["shortDescription"]["text"].is_string());
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), r.findings.len());
    for (res, f) in results.iter().zip(&r.findings) {
        assert_eq!(res["ruleId"], f.code.as_str());
        let index = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], f.code.as_str());
        let level = res["level"].as_str().unwrap();
        assert!(["error", "warning", "note"].contains(&level));
        assert!(res["message"]["text"]
            .as_str()
            .unwrap()
            .starts_with(&f.message));
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f.file.as_deref().unwrap());
        let region = &loc["region"];
        assert_eq!(region["startLine"], f.line.unwrap());
        assert_eq!(region["startColumn"], f.column.unwrap());
        assert_eq!(region["endLine"], f.end_line.unwrap());
        assert_eq!(region["endColumn"], f.end_column.unwrap());
    }
    let levels: Vec<(&str, &str)> = results
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(
        levels,
        [
            ("covenant::lint::never-passes", "error"),
            ("covenant::lint::never-passes", "error"),
            ("covenant::lint::never-passes", "warning"),
            ("covenant::lint::missing-cite", "note"),
            ("covenant::lint::missing-cite", "note"),
            ("covenant::lint::missing-cite", "note"),
        ]
    );
    // Compile errors keep their codes, and get a rule entry of their own.
    let r = lint_fixture("unknown-phrase.policy");
    let v: Value = serde_json::from_str(&sarif::report(&r)).unwrap();
    let run = &v["runs"][0];
    let result = &run["results"][0];
    assert_eq!(result["ruleId"], "covenant::resolve::unknown-phrase");
    assert_eq!(result["level"], "error");
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["rules"][index]["id"],
        "covenant::resolve::unknown-phrase"
    );
}

fn run(args: &[&str]) -> (u8, String, String) {
    let cli = Cli::try_parse_from(std::iter::once("covenant").chain(args.iter().copied())).unwrap();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::run(cli, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

#[test]
fn shipped_examples_have_no_lint_errors() {
    let args = LintArgs {
        policy: vec![PathBuf::from("examples/policies")],
        format: LintFormat::Json,
        color: cli::style::ColorWhen::Never,
        deny_warnings: false,
        expiring: None,
        deals: Vec::new(),
        limits: Default::default(),
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = cli::lint::run_at(&args, today(), &mut out, &mut err);
    let v: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["summary"]["errors"], 0, "{v:#}");
    assert_eq!(code, 0);
    // Known and accepted: two rules are written in forms that cannot hold a `cite`.
    let codes: Vec<(&str, &str)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["code"].as_str().unwrap(), f["severity"].as_str().unwrap()))
        .collect();
    assert_eq!(
        codes,
        [
            ("covenant::lint::missing-cite", "info"),
            ("covenant::lint::missing-cite", "info")
        ]
    );
    // The shared definitions file alone holds no rule and nothing uses it: checking deals
    // against it alone would pass them all, so it is a `no-rules` error (lint it together
    // with the files that use it, as above); its definitions are unused.
    let common = lint::lint(&[PathBuf::from("examples/policies/common.policy")], today());
    assert_eq!(common.count(Severity::Error), 1);
    assert_eq!(common.findings[0].code, "covenant::lint::no-rules");
    assert!(common.findings[1..]
        .iter()
        .all(|f| f.code == "covenant::lint::unused-definition"));
}

#[test]
fn command_line() {
    let path = fixture("never-passes.policy");
    let p = path.to_str().unwrap();
    let (code, out, _) = run(&["lint", "-p", p, "--format", "sarif"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    let (code, out, _) = run(&["lint", "-p", p, "--color", "never"]);
    assert_eq!(code, 1);
    assert!(out.contains("covenant::lint::never-passes"), "{out}");
    assert!(
        out.ends_with("lint: 1 policy file, 2 errors, 1 warning, 0 infos\n"),
        "{out}"
    );
    let (code, out, _) = run(&[
        "lint",
        "-p",
        "tests/fixtures/diagnostics/lint/parse-syntax.policy",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["loaded"], false);
    assert_eq!(v["findings"][0]["code"], "covenant::parse::syntax");
    assert!(Cli::try_parse_from(["covenant", "lint", "-p", p, "--format", "junit"]).is_err());
    assert!(Path::new("examples/policies").is_dir());
}

#[test]
fn a_file_that_reaches_no_rule_and_is_used_by_none_is_an_error() {
    let dir = std::env::temp_dir().join(format!("covenant-lint-no-rules-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let defs = write("defs.policy", "let quorum = 5\n");
    let rules = write(
        "rules.policy",
        "use \"defs.policy\"\nrule five {\n  cite \"x\"\n  require board seats >= quorum\n}\n",
    );
    let all = write("all.policy", "use \"rules.policy\"\n");
    let lone = write("lone.policy", "let home = \"US\"\n");
    let codes = |paths: &[PathBuf]| -> Vec<(String, Option<String>)> {
        lint::lint(paths, today())
            .findings
            .iter()
            .map(|f| (f.code.clone(), f.file.clone()))
            .collect()
    };
    // Definitions used by a file with rules, and a file that only uses such files: clean.
    assert_eq!(codes(&[defs.clone(), rules.clone(), all.clone()]), []);
    // A file of definitions that nothing uses: an error, and exit 1 (its definition is
    // unused as well).
    let lone_name = lone.display().to_string();
    assert_eq!(
        codes(&[rules.clone(), lone.clone()]),
        [
            (
                "covenant::lint::no-rules".to_string(),
                Some(lone_name.clone())
            ),
            (
                "covenant::lint::unused-definition".to_string(),
                Some(lone_name.clone())
            )
        ]
    );
    let report = lint::lint(std::slice::from_ref(&lone), today());
    assert_eq!(report.exit_code(), 1);
    assert_eq!(report.findings.len(), 2, "{:?}", report.findings);
    assert_eq!(
        report.findings[0].underlined.as_deref(),
        Some("let home = \"US\"")
    );
    // An empty file: the error points at its start.
    let empty = write("empty.policy", "");
    assert_eq!(
        codes(&[empty]),
        [(
            "covenant::lint::no-rules".to_string(),
            Some(dir.join("empty.policy").display().to_string())
        )]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
