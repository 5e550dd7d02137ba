//! The human report a reader without the policy language reads (docs/reports.md, "The human
//! report"): findings without policy text, `--verbose` for the rule source, a shared cause
//! shown once, batch lines given by field; `--quiet`, `--failures-only`, and the deals to which
//! no rule applies (`"applicable"`, `--require-applicable`) in every format.

use clap::Parser;
use serde_json::Value;

use crate::common::covenant;
use crate::support::Dir;

const POLICIES: &str = "examples/policies";
const DEALS: &str = "examples/deals";
const BATCH: &str = "examples/deals/batch.jsonl";
const MEXICO: &str = "examples/deals/liberty-dragon-mexico.toml";

fn check(args: &[&str]) -> (u8, String, String) {
    let mut all = vec!["check", "-p", POLICIES, "--color", "never"];
    all.extend_from_slice(args);
    covenant(&all)
}

#[test]
fn without_verbose_no_policy_text_is_printed() {
    let (code, out, err) = check(&[DEALS]);
    assert_eq!(code, 1, "{err}");
    for policy_text in [
        "examples/policies/",
        "covenant::rule::",
        "╭─[",
        "does not hold",
        "`foreign partner stake < 50%`",
        "require ",
        "  pass            ",
    ] {
        assert!(!out.contains(policy_text), "`{policy_text}` in:\n{out}");
    }
    // Each finding: its title, tags, sentence, citations and deal values.
    let finding = "  fail        Covered-nation states hold less than 25% of the JV's votes, directly or indirectly [covered-state-control, reported, not counted]\n              The look-through voting of covered state in deal is 29.4%; the rule requires less than 25% — reduce it by more than 4.4 percentage points; bring the votes that covered-nation states hold through the partners below 25%.\n              cite: Reported framework, 2026-02-14, section state-controlled partners\n              examples/deals/acme-dragon-hk-chain.yaml:46  SASAC → 100% → FAW Group\n";
    assert!(out.contains(finding), "{out}");
    // The report is short enough to read: 1,697 lines before findings (docs/reports.md).
    assert!(out.lines().count() < 300, "{} lines", out.lines().count());
}

#[test]
fn verbose_adds_every_rules_line_and_the_rules_source() {
    let deal = "examples/deals/liberty-pearl-50-50.json";
    let (_, brief, _) = check(&[deal]);
    let (code, out, _) = check(&[deal, "--verbose"]);
    assert_eq!(code, 0);
    // The brief report first, then the rule lines and the diagnostics.
    let findings = brief.trim_end().rsplit_once("\n\n").unwrap().0;
    assert!(out.starts_with(findings), "{out}");
    assert!(out.contains("  pass            covered-state-control [reported, not counted]: holds"));
    assert!(out.contains("covenant::rule::failed"), "{out}");
    assert!(
        out.contains(" 23 │ rule foreign-minority \"Each foreign partner stays a minority\": foreign partner stake < 50%"),
        "{out}"
    );
    // `-v` is `--verbose`; `--quiet` and `--verbose` do not go together.
    assert_eq!(check(&[deal, "-v"]).1, out);
    let bad = covenant_cli::Cli::try_parse_from(["covenant", "check", "-q", "-v", deal]);
    assert!(bad.is_err());
}

#[test]
fn a_cause_shared_by_several_rules_is_shown_once_with_the_rules() {
    let (_, out, _) = check(&[BATCH]);
    let from = out.find("examples/deals/batch.jsonl:5 (").unwrap();
    let to = out.find("examples/deals/batch.jsonl:6 (").unwrap();
    let line5 = &out[from..to];
    assert_eq!(line5.matches("`parties`").count(), 1, "{line5}");
    assert_eq!(
        line5.matches("batch.jsonl:5  parties: missing").count(),
        1,
        "{line5}"
    );
    assert!(
        line5.contains("  incomplete  The deal has no `parties`, so these 13 rules cannot be decided — add it to the deal.\n              examples/deals/batch.jsonl:5  parties: missing\n              · Covered-nation states hold less than 25% of the JV's votes, directly or indirectly [covered-state-control, reported, not counted]\n"),
        "{line5}"
    );
    assert_eq!(line5.matches("\n              · ").count(), 13, "{line5}");
    // `--verbose` draws the deal's values once and points back to them.
    let (_, out, _) = check(&[BATCH, "--verbose"]);
    assert_eq!(
        out.matches("in deal examples/deals/batch.jsonl:5: the same values as for rule")
            .count(),
        11,
        "{out}"
    );
}

#[test]
fn a_batch_line_gives_the_field_and_its_line_never_the_whole_line() {
    let dir = Dir::new("human-batch");
    let batch = dir.file(
        "b.jsonl",
        "\n{\"proposal\": \"a\", \"jurisdiction\": \"US\", \"parties\": [{\"name\": \"A\", \"country\": \"US\", \"stake\": \"50%\", \"voting\": \"50%\", \"colour\": \"red\"}, {\"name\": \"B\", \"country\": \"CN\", \"voting\": \"50%\", \"stake\": \"50%\"}]}\n",
    );
    for verbose in [false, true] {
        let mut args = vec![BATCH, batch.as_str()];
        if verbose {
            args.push("--verbose");
        }
        let (_, out, _) = check(&args);
        for line in out.lines() {
            assert!(!line.contains("{\"proposal\""), "verbose {verbose}: {line}");
        }
        assert!(
            out.contains("examples/deals/batch.jsonl:4  parties[0].kind: missing"),
            "{out}"
        );
        // A deal problem of a batch line is written with its place.
        assert!(
            out.contains(&format!(
                "  warning covenant::deal::unknown-key: unknown key `colour` ({}:2:",
                batch
            )),
            "{out}"
        );
        if verbose {
            assert!(
                out.contains(
                    "examples/deals/batch.jsonl:4:171  `kind` is missing for party \"Acme Motors\""
                ),
                "{out}"
            );
        }
    }
}

#[test]
fn quiet_prints_the_summary_line_only_and_is_for_the_human_report() {
    let (code, out, _) = check(&[DEALS, "--quiet"]);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "16 deals: 10 compliant, 3 non-compliant, 3 incomplete, 0 invalid; no rule applies to 1\n"
    );
    assert_eq!(check(&[DEALS, "-q"]).1, out);
    let (code, out, err) = check(&[DEALS, "--quiet", "--format", "json"]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("--quiet is for the human report"), "{err}");
}

/// The deals of the README command that fail the run (exit code 1).
const FAILING: [&str; 6] = [
    "examples/deals/acme-dragon-connected-vehicle.yaml",
    "examples/deals/acme-dragon-hk-chain.yaml",
    "examples/deals/acme-dragon-undated.json",
    "examples/deals/batch.jsonl:2",
    "examples/deals/batch.jsonl:4",
    "examples/deals/batch.jsonl:5",
];

#[test]
fn failures_only_leaves_out_the_deals_that_pass_in_every_format() {
    let (code, out, _) = check(&[DEALS, "--failures-only"]);
    assert_eq!(code, 1);
    let heads: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("examples/"))
        .map(|l| l.split(' ').next().unwrap())
        .collect();
    assert_eq!(heads, FAILING);
    assert!(out.ends_with(
        "16 deals: 10 compliant, 3 non-compliant, 3 incomplete, 0 invalid; no rule applies to 1\n"
    ));

    let json = |format: &str| check(&[DEALS, "--failures-only", "--format", format]).1;
    let v: Value = serde_json::from_str(&json("json")).unwrap();
    let paths: Vec<&str> = v["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, FAILING);
    assert_eq!(v["summary"]["deals"], 16);
    let lines: Vec<Value> = json("jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let paths: Vec<&str> = lines.iter().map(|d| d["path"].as_str().unwrap()).collect();
    assert_eq!(paths, FAILING);
    let sarif: Value = serde_json::from_str(&json("sarif")).unwrap();
    let run = &sarif["runs"][0];
    assert_eq!(run["properties"]["deals"].as_array().unwrap().len(), 6);
    assert_eq!(run["properties"]["summary"]["deals"], 16);
    for result in run["results"].as_array().unwrap() {
        let deal = result["properties"]["deal"].as_str().unwrap();
        assert!(FAILING.contains(&deal), "{deal}");
    }
    let junit = json("junit");
    assert_eq!(junit.matches("<testsuite ").count(), 6, "{junit}");
    assert!(!junit.contains("liberty-dragon-mexico"), "{junit}");
    let markdown = json("markdown");
    assert_eq!(markdown.matches("\n| `examples/").count(), 6, "{markdown}");
    assert!(
        markdown.contains("**16 deals**: 10 compliant"),
        "{markdown}"
    );

    // With --require-applicable, a deal to which no rule applies fails, so it is shown.
    let (_, out, _) = check(&[DEALS, "--failures-only", "--require-applicable"]);
    assert!(out.contains(&format!("{MEXICO} (")), "{out}");
}

#[test]
fn a_deal_to_which_no_rule_applies_says_so_in_every_format() {
    let (code, out, _) = check(&[MEXICO]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "examples/deals/liberty-dragon-mexico.toml (Liberty–Dragon Bajío assembly JV): compliant\n  no rule applies: all 16 rules not-applicable\n\n1 deal: 1 compliant, 0 non-compliant, 0 incomplete, 0 invalid; no rule applies to 1\n"
    );
    let (_, out, _) = check(&[MEXICO, "--verbose"]);
    assert!(
        out.contains("covenant::rule::none-applies\n\n  ☞ no rule applies"),
        "{out}"
    );

    // JSON and JSON lines: `applicable` for every deal, the count in the summary.
    let (_, out, _) = check(&[DEALS, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    for d in v["deals"].as_array().unwrap() {
        let applied = d["rules"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["outcome"] != "not-applicable")
            .count();
        assert_eq!(d["applicable"], applied, "{}", d["path"]);
    }
    assert_eq!(v["deals"][12]["path"], MEXICO);
    assert_eq!(v["deals"][12]["applicable"], 0);
    assert_eq!(v["summary"]["no_rule_applies"], 1);
    let (_, out, _) = check(&[MEXICO, "--format", "jsonl"]);
    let line: Value = serde_json::from_str(out.trim_end()).unwrap();
    assert_eq!(
        (&line["verdict"], &line["applicable"]),
        (&Value::from("compliant"), &Value::from(0))
    );
    // An invalid deal: no rule was evaluated.
    let (code, out, _) = check(&["examples/invalid/malformed.json", "--format", "json"]);
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["deals"][0]["applicable"], Value::Null);
    assert!(v["summary"].get("no_rule_applies").is_none(), "{v}");

    // SARIF: the count in the run's summary.
    let (_, out, _) = check(&[MEXICO, "--format", "sarif"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["properties"]["summary"]["no_rule_applies"], 1);

    // Markdown: the Findings cell and the summary line.
    let (_, out, _) = check(&[MEXICO, "--format", "markdown"]);
    assert!(out.contains("**1 deal**: 1 compliant, 0 non-compliant, 0 incomplete, 0 invalid; no rule applies to 1\n"), "{out}");
    assert!(
        out.contains("| compliant | no rule applies: all 16 rules not-applicable |\n"),
        "{out}"
    );
    // JUnit: the property of every deal checked.
    let (_, out, _) = check(&[MEXICO, "--format", "junit"]);
    assert!(
        out.contains("<property name=\"applicable\" value=\"0\"/>"),
        "{out}"
    );
    assert!(
        !out.contains("name=\"applicable\">"),
        "no failing testcase without the flag: {out}"
    );
}

#[test]
fn require_applicable_fails_the_run_on_a_deal_no_rule_applies_to() {
    let (code, out, _) = check(&[MEXICO, "--require-applicable"]);
    assert_eq!(code, 1);
    assert!(out.contains(": compliant\n  no rule applies: all 16 rules not-applicable (--require-applicable: exit 1)\n"), "{out}");
    assert!(
        out.ends_with("; no rule applies to 1 (--require-applicable: exit 1)\n"),
        "{out}"
    );
    let (_, out, _) = check(&[MEXICO, "--require-applicable", "--verbose"]);
    assert!(
        out.contains("  × no rule applies"),
        "an error under the flag: {out}"
    );
    for format in ["json", "jsonl", "sarif", "markdown", "junit"] {
        let (code, out, _) = check(&[MEXICO, "--require-applicable", "--format", format]);
        assert_eq!(code, 1, "{format}");
        if format == "json" || format == "jsonl" {
            assert!(
                out.contains("\"verdict\":\"compliant\"")
                    || out.contains("\"verdict\": \"compliant\""),
                "{out}"
            );
        }
    }
    let (_, junit, _) = check(&[MEXICO, "--require-applicable", "--format", "junit"]);
    assert!(
        junit.contains("tests=\"17\" failures=\"1\" errors=\"0\" skipped=\"16\""),
        "{junit}"
    );
    assert!(
        junit.contains("<testcase classname=\"examples/deals/liberty-dragon-mexico.toml\" name=\"applicable\">\n      <failure message=\"no rule applies: all 16 rules not-applicable\" type=\"covenant::rule::none-applies\">"),
        "{junit}"
    );
    // Invalid input still wins, and a deal some rule applies to is not touched.
    let (code, _, _) = check(&[
        MEXICO,
        "examples/invalid/malformed.json",
        "--require-applicable",
    ]);
    assert_eq!(code, 2);
    let (code, _, _) = check(&[
        "examples/deals/acme-dragon-51-49.yaml",
        "--require-applicable",
    ]);
    assert_eq!(code, 0);
}
