//! The SARIF, JUnit and Markdown reports: snapshots of every shipped example, and structural
//! checks (SARIF 2.1.0 shape, well-formed JUnit XML whose counts match the JSON report,
//! one Markdown table row per deal).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

pub mod xml;

use crate::common;
use common::covenant;
use serde_json::Value;

fn rel(path: &std::path::Path) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root).unwrap().display().to_string()
}

/// `check -p examples/policies DEALS… --format FORMAT`: (exit code, stdout).
fn check(format: &str, deals: &[&str]) -> (u8, String) {
    let mut args = vec!["check", "-p", "examples/policies"];
    args.extend_from_slice(deals);
    args.extend_from_slice(&["--format", format]);
    let (code, out, _) = covenant(&args);
    (code, out)
}

/// The report with JUnit's `timestamp` (the evaluation date: today, without `--as-of`) as
/// `[date]`, for snapshots.
pub fn dated(out: &str) -> String {
    let mut text = String::with_capacity(out.len());
    let mut rest = out;
    while let Some(i) = rest.find("timestamp=\"") {
        let (before, after) = rest.split_at(i + "timestamp=\"".len());
        text.push_str(before);
        let end = after.find('"').unwrap();
        let stamp = &after[..end];
        assert!(stamp.ends_with("T00:00:00") && stamp.len() == 19, "{stamp}");
        text.push_str("[date]");
        rest = &after[end..];
    }
    text.push_str(rest);
    text
}

const FORMATS: [&str; 3] = ["sarif", "junit", "markdown"];

/// Every example deal, the shipped invalid deals, and a valid deal with an unknown-key warning.
const ALL: [&str; 3] = [
    "examples/deals",
    "examples/invalid",
    "tests/fixtures/diagnostics/deal/unknown-key.yaml",
];

#[test]
fn reports_of_every_example() {
    for format in FORMATS {
        insta::glob!("../../examples", "deals/*", |path| {
            let (code, out) = check(format, &[&rel(path)]);
            insta::assert_snapshot!(format, format!("exit {code}\n{}", dated(&out)));
        });
    }
}

#[test]
fn reports_of_the_whole_folders() {
    for format in FORMATS {
        let (code, out) = check(format, &ALL);
        assert_eq!(code, 2);
        insta::assert_snapshot!(format!("all_{format}"), dated(&out));
    }
}

/// The JSON report of the same deals, the reference for counts.
fn json(deals: &[&str]) -> Value {
    serde_json::from_str(&check("json", deals).1).unwrap()
}

fn rules_with(deal: &Value, outcomes: &[&str], severities: &[&str]) -> usize {
    deal["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| outcomes.contains(&r["outcome"].as_str().unwrap()))
        .filter(|r| severities.contains(&r["severity"].as_str().unwrap()))
        .count()
}

/// [`rules_with`], of the rules that count for the verdict.
fn counted_with(deal: &Value, outcomes: &[&str], severities: &[&str]) -> usize {
    deal["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["counted"] == true)
        .filter(|r| outcomes.contains(&r["outcome"].as_str().unwrap()))
        .filter(|r| severities.contains(&r["severity"].as_str().unwrap()))
        .count()
}

fn problems(deal: &Value) -> usize {
    ["errors", "warnings"]
        .iter()
        .map(|k| deal[k].as_array().map_or(0, Vec::len))
        .sum()
}

fn keys_within(v: &Value, allowed: &[&str], what: &str) {
    for k in v
        .as_object()
        .unwrap_or_else(|| panic!("{what} is not an object"))
        .keys()
    {
        assert!(
            allowed.contains(&k.as_str()),
            "{what} has no property `{k}` in SARIF 2.1.0"
        );
    }
}

fn location(l: &Value, need_region: bool) {
    keys_within(
        l,
        &["physicalLocation", "message", "id", "logicalLocations"],
        "location",
    );
    let p = &l["physicalLocation"];
    keys_within(
        p,
        &["artifactLocation", "region", "contextRegion"],
        "physicalLocation",
    );
    let uri = p["artifactLocation"]["uri"]
        .as_str()
        .expect("artifactLocation.uri");
    assert!(
        !uri.is_empty() && !uri.contains(' ') && !uri.contains('\\'),
        "{uri}"
    );
    let region = &p["region"];
    if need_region || !region.is_null() {
        keys_within(
            region,
            &["startLine", "startColumn", "endLine", "endColumn"],
            "region",
        );
        assert!(region["startLine"].as_u64().expect("region.startLine") >= 1);
        for k in ["startColumn", "endLine", "endColumn"] {
            assert!(
                region[k].is_null() || region[k].as_u64().unwrap() >= 1,
                "{k}"
            );
        }
    }
}

#[test]
fn sarif_has_the_shape_of_sarif_2_1_0() {
    let (_, out) = check("sarif", &ALL);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"]
        .as_str()
        .unwrap()
        .ends_with("sarif-schema-2.1.0.json"));
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["tool"]["driver"]["name"], "covenant");
    let levels = ["none", "note", "warning", "error"];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        keys_within(
            r,
            &[
                "id",
                "name",
                "shortDescription",
                "fullDescription",
                "help",
                "helpUri",
                "defaultConfiguration",
                "properties",
            ],
            "rule",
        );
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
        assert!(levels.contains(&r["defaultConfiguration"]["level"].as_str().unwrap()));
        assert!(r["properties"]["cite"].is_array());
    }
    let results = run["results"].as_array().unwrap();
    for r in results {
        keys_within(
            r,
            &[
                "ruleId",
                "ruleIndex",
                "level",
                "message",
                "locations",
                "relatedLocations",
                "partialFingerprints",
                "properties",
            ],
            "result",
        );
        let id = r["ruleId"].as_str().unwrap();
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex of {id}");
        assert!(levels.contains(&r["level"].as_str().unwrap()));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let locations = r["locations"].as_array().unwrap();
        assert_eq!(locations.len(), 1);
        location(&locations[0], true);
        for l in r["relatedLocations"].as_array().into_iter().flatten() {
            location(l, false);
            assert!(l["message"]["text"].is_string());
        }
        assert!(r["properties"]["deal"].is_string() && r["properties"]["verdict"].is_string());
    }
    // One result per failing or incomplete rule per deal, and one per deal problem.
    let reference = json(&ALL);
    let expected: usize = reference["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            rules_with(d, &["fail", "incomplete"], &["error", "warning", "info"]) + problems(d)
        })
        .sum();
    assert_eq!(results.len(), expected);
    let invalid = results
        .iter()
        .filter(|r| r["properties"]["verdict"] == "invalid");
    for r in invalid {
        assert!(r["ruleId"]
            .as_str()
            .unwrap()
            .starts_with("covenant::deal::"));
        assert_eq!(r["level"], "error");
    }
}

#[test]
fn junit_is_well_formed_and_counts_match_the_json_report() {
    let (_, out) = check("junit", &ALL);
    let root = xml::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(root.name, "testsuites");
    let reference = json(&ALL);
    let deals = reference["deals"].as_array().unwrap();
    let suites: Vec<_> = root.children("testsuite").collect();
    assert_eq!(suites.len(), deals.len());
    let mut totals = [0; 4];
    for (suite, deal) in suites.iter().zip(deals) {
        let path = deal["path"].as_str().unwrap();
        assert_eq!(suite.attr("name"), Some(path));
        let cases: Vec<_> = suite.children("testcase").collect();
        let with = |tag: &str| cases.iter().filter(|c| c.child(tag).is_some()).count();
        let counts = [cases.len(), with("failure"), with("error"), with("skipped")];
        let attrs = ["tests", "failures", "errors", "skipped"].map(|a| suite.count(a));
        assert_eq!(counts, attrs, "{path}");
        let expected = if deal["verdict"] == "invalid" {
            assert_eq!(cases[0].attr("name"), Some("load"));
            [1, 0, 1, 0]
        } else {
            let serious = ["error", "warning"];
            let all = ["error", "warning", "info"];
            // A rule that does not count (a `reported` rule of the examples, SPEC §12) is
            // reported in `<system-out>`, not as a failure or an error.
            [
                deal["rules"].as_array().unwrap().len(),
                counted_with(deal, &["fail"], &serious),
                counted_with(deal, &["incomplete"], &serious),
                rules_with(deal, &["not-applicable"], &all),
            ]
        };
        assert_eq!(counts, expected, "{path}");
        for c in &cases {
            assert_eq!(c.attr("classname"), Some(path));
        }
        for (t, c) in totals.iter_mut().zip(counts) {
            *t += c;
        }
    }
    // Totals on `<testsuites>` are not allowed by the Ant schema (tests/it/junit_schema.rs).
    assert!(root.attrs.is_empty(), "{:?}", root.attrs);
    assert!(
        totals[0] > 0 && totals[1] > 0 && totals[3] > 0,
        "{totals:?}"
    );
    let uncounted: usize = deals
        .iter()
        .map(|d| {
            rules_with(d, &["fail", "incomplete"], &["error"])
                - counted_with(d, &["fail", "incomplete"], &["error"])
        })
        .sum();
    assert!(
        uncounted > 0,
        "the examples have uncounted failures: the test must see some"
    );
}

#[test]
fn markdown_has_one_table_row_per_deal_and_one_section_per_deal_with_findings() {
    let (_, out) = check("markdown", &ALL);
    let reference = json(&ALL);
    let deals = reference["deals"].as_array().unwrap();
    let table: Vec<&str> = out
        .lines()
        .skip_while(|l| !l.starts_with("| Deal |"))
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .collect();
    assert_eq!(table.len(), deals.len());
    assert_eq!(
        table.len(),
        reference["summary"]["deals"].as_u64().unwrap() as usize
    );
    for (row, deal) in table.iter().zip(deals) {
        let path = deal["path"].as_str().unwrap();
        assert!(row.starts_with(&format!("| `{path}` |")), "{row}");
        assert!(row.contains(deal["verdict"].as_str().unwrap()), "{row}");
    }
    let with_findings = deals
        .iter()
        .filter(|d| {
            problems(d) + rules_with(d, &["fail", "incomplete"], &["error", "warning", "info"]) > 0
        })
        .count();
    assert_eq!(out.matches("<details>").count(), with_findings);
    assert_eq!(out.matches("</details>").count(), with_findings);
}

/// A deal whose proposal holds every character the three formats must escape.
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let dir = std::env::temp_dir().join(format!("covenant-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let proposal = "A & B <x> \"q\" 'a' | `c` *d* [e]\nnext \u{1}";
    let deal = dir.join("a deal.json");
    let text = serde_json::json!({"proposal": proposal, "jurisdiction": "US", "date": "2026-03-01",
        "parties": [{"name": "X", "country": "CN", "stake": "50%"}]});
    std::fs::write(&deal, text.to_string()).unwrap();
    let path = deal.to_str().unwrap();

    let (_, out) = check("junit", &[path]);
    let root = xml::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let suite = root.child("testsuite").unwrap();
    let props = suite.child("properties").unwrap();
    let value = props
        .children("property")
        .find(|p| p.attr("name") == Some("proposal"));
    assert_eq!(
        value.and_then(|p| p.attr("value")),
        Some(&*proposal.replace('\u{1}', "\u{FFFD}"))
    );

    let (_, out) = check("sarif", &[path]);
    let log: Value = serde_json::from_str(&out).unwrap();
    // The first rule result (a deal warning such as `stakes-not-100` may come before it).
    let result = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| !r["ruleId"].as_str().unwrap().starts_with("covenant::"))
        .unwrap();
    assert_eq!(result["properties"]["proposal"], proposal);
    let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/a%20deal.json"),
        "{uri}"
    );

    let (_, out) = check("markdown", &[path]);
    let row = out.lines().find(|l| l.starts_with("| `")).unwrap();
    assert!(
        row.contains("A &amp; B &lt;x&gt; \"q\" 'a' \\| `c` \\*d\\* \\[e\\]<br>next"),
        "{row}"
    );
    assert!(row.ends_with('|'), "{row}");
    std::fs::remove_dir_all(&dir).ok();
}

/// Levels and JUnit elements of every severity: an info rule that fails, a warning rule that
/// is incomplete, an error rule that passes.
#[test]
fn severities_map_to_levels_and_junit_elements() {
    let dir = std::env::temp_dir().join(format!("covenant-severities-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("p.policy");
    std::fs::write(
        &policy,
        "rule big-board \"A big board\" {\n  severity info\n  require board seats >= 100\n}\n\
         rule named-chair {\n  severity warning\n  require board chair = \"X\"\n}\n\
         rule small-board: board seats < 100\n",
    )
    .unwrap();
    let deal = dir.join("d.yaml");
    std::fs::write(&deal, "proposal: p\nboard:\n  seats: 7\n").unwrap();
    let args = |format| {
        let (p, d) = (policy.to_str().unwrap(), deal.to_str().unwrap());
        covenant(&["check", "-p", p, d, "--format", format])
    };

    let (code, out, err) = args("sarif");
    assert_eq!(code, 0, "{err}");
    let log: Value = serde_json::from_str(&out).unwrap();
    let levels: Vec<(&str, &str)> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["ruleId"].as_str().unwrap(), r["level"].as_str().unwrap()))
        .collect();
    assert_eq!(levels, [("big-board", "note"), ("named-chair", "warning")]);
    let rules = &log["runs"][0]["tool"]["driver"]["rules"];
    assert_eq!(rules[0]["defaultConfiguration"]["level"], "note");
    assert_eq!(rules[1]["shortDescription"]["text"], "board chair = \"X\"");

    let (_, out, _) = args("junit");
    let root = xml::parse(&out).unwrap();
    let suite = root.child("testsuite").unwrap();
    let cases: Vec<_> = suite.children("testcase").collect();
    // The note of a passing info rule is in the suite's `<system-out>` (the Ant schema allows
    // none in a testcase).
    assert!(suite
        .child("system-out")
        .unwrap()
        .text
        .starts_with("big-board: info: fail: "));
    assert!(cases[0].children.is_empty());
    assert_eq!(
        cases[1].child("error").unwrap().attr("type"),
        Some("covenant::rule::incomplete")
    );
    assert!(cases[2].children.is_empty());
    assert_eq!(
        ["tests", "failures", "errors", "skipped"].map(|a| suite.count(a)),
        [3, 0, 1, 0]
    );

    let (_, out, _) = args("markdown");
    assert!(
        out.contains("| compliant | 1 info, 1 incomplete |"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// SPEC §4: every policy entry of the JSON report is `{"path", "title", "version"}`, with its
/// `sha256` (docs/reports.md, "Audit fields"); a file without a `policy` header
/// (`common.policy`) has `null` title and version, not missing keys.
#[test]
fn json_policies_always_have_path_title_and_version() {
    let v = json(&["examples/deals/acme-dragon-51-49.yaml"]);
    let policies = v["policies"].as_array().unwrap();
    assert_eq!(policies.len(), 3, "{v:#}");
    for p in policies {
        let mut keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["path", "sha256", "title", "version"], "{p}");
    }
    let common = policies
        .iter()
        .find(|p| p["path"].as_str().unwrap().ends_with("common.policy"))
        .unwrap();
    assert!(
        common["title"].is_null() && common["version"].is_null(),
        "{common}"
    );
    let top: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    // The tests run `check` with `--deterministic`: no `evaluated_at`.
    assert_eq!(top, ["engine", "as_of", "policies", "deals", "summary"]);
}

/// A rule that is incomplete because a `when` is unknown points at that `when` in every
/// report (its label in the human report, the SARIF location, `unknown_when` in JSON, the
/// `rule:` place in JUnit and Markdown), not at the rule head or its `require`.
#[test]
fn an_unknown_when_is_where_every_report_points() {
    let dir = std::env::temp_dir().join(format!("covenant-unknown-when-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let policy = dir.join("w.policy");
    std::fs::write(
        &policy,
        "rule auto {\n  when sector = \"automotive\"\n  require board seats > 1\n}\n",
    )
    .unwrap();
    let deal = dir.join("nosector.yaml");
    std::fs::write(&deal, "proposal: x\nboard: {seats: 3}\n").unwrap();
    let (p, d) = (policy.to_str().unwrap(), deal.to_str().unwrap());
    let run = |format: &str| {
        let (code, out, _) =
            covenant(&["check", "-p", p, d, "--format", format, "--color", "never"]);
        assert_eq!(code, 1, "{out}");
        out
    };
    let human = run("human");
    assert!(
        human.contains("nosector.yaml:1  sector: missing"),
        "the finding names the missing value: {human}"
    );
    let (_, human, _) = covenant(&["check", "-p", p, d, "--verbose", "--color", "never"]);
    assert!(
        human.contains(
            " 2 │   when sector = \"automotive\"\n   ·        ──────────┬──────────\n   ·                  ╰── unknown for this deal, so rule `auto` may or may not apply"
        ),
        "{human}"
    );
    assert!(!human.contains("required here"), "{human}");
    assert!(!human.contains("rule `auto` is incomplete"), "{human}");
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    // The rule's place is the result's first related location (its primary location is in the
    // deal: docs/reports.md).
    let result = &sarif["runs"][0]["results"][0];
    let deal_uri = &result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert!(
        deal_uri.as_str().unwrap().ends_with("nosector.yaml"),
        "{result}"
    );
    let region = &result["relatedLocations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_u64(), region["startColumn"].as_u64()),
        (Some(2), Some(8))
    );
    assert_eq!(
        (region["endLine"].as_u64(), region["endColumn"].as_u64()),
        (Some(2), Some(29))
    );
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let rule = &json["deals"][0]["rules"][0];
    assert_eq!(
        rule["unknown_when"],
        serde_json::json!([{"text": "sector = \"automotive\"", "file": p, "line": 2, "column": 8}]),
        "{rule}"
    );
    assert!(run("junit").contains(&format!("rule: {p}:2:8")));
    assert!(run("markdown").contains(&format!("{p}:2")));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--format github`: one workflow command per finding of each deal, placed where SARIF places
/// it, then the summary line.
#[test]
fn github_annotations_of_the_whole_folders() {
    let (code, out) = check("github", &ALL);
    assert_eq!(code, 2);
    insta::assert_snapshot!("all_github", out);
    let reference = json(&ALL);
    let expected: usize = reference["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            rules_with(d, &["fail", "incomplete"], &["error", "warning", "info"]) + problems(d)
        })
        .sum();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected + 1, "{out}");
    for line in &lines[..expected] {
        assert!(
            ["::error file=", "::warning file=", "::notice file="]
                .iter()
                .any(|p| line.starts_with(p)),
            "{line}"
        );
        assert!(
            line.contains(",line=") && line.contains(",title="),
            "{line}"
        );
    }
    assert!(
        lines[expected].starts_with("::error title=covenant::"),
        "{}",
        lines[expected]
    );
}

/// Workflow commands cannot be forged or broken by deal text or file names: `%`, CR and LF
/// are escaped in the message, and `:` and `,` too in properties.
#[test]
fn github_annotations_escape_what_would_break_a_command() {
    let dir = crate::support::Dir::new("github-escape");
    let deal = dir.file(
        "a:b,c%.json",
        serde_json::json!({"proposal": "x", "jurisdiction": "US", "date": "2026-03-01",
            "parties": [{"name": "Evil\n::error file=x::forged 100%", "country": "CN",
                         "stake": "50%"}]})
        .to_string(),
    );
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        &deal,
        "--format",
        "github",
    ]);
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines.len() > 1, "{out}");
    // Each finding is one command: the deal's line end is escaped, so no line starts the
    // forged command.
    for line in &lines {
        assert!(line.starts_with("::"), "{line}");
        assert!(!line.starts_with("::error file=x"), "{line}");
    }
    assert!(
        out.contains("file=") && out.contains("a%3Ab%2Cc%25.json,line="),
        "{out}"
    );
    assert!(
        out.contains("Evil%0A::error file=x::forged 100%25"),
        "{out}"
    );
}

/// A batch whose Markdown report would be longer than a pull-request comment: by default it
/// is cut to 65,536 characters, lists only the deals with findings, and ends with what it left
/// out; the summary and the exit code count every deal. `--max-results all` writes it whole.
#[test]
fn a_long_markdown_report_fits_a_comment_and_says_what_it_left_out() {
    let dir = crate::support::Dir::new("markdown-cap");
    let policy = dir.file("board.policy", "rule small-board: board seats < 5\n");
    let text: String = (0..3_000)
        .map(|i| {
            format!(
                "{{\"proposal\":\"JV {i}\",\"board\":{{\"seats\":{}}}}}\n",
                3 + i % 4
            )
        })
        .collect();
    let deals = dir.file("deals.jsonl", text);
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "-p", &policy, &deals, "--format", "markdown"];
        args.extend_from_slice(extra);
        let (code, out, _) = covenant(&args);
        assert_eq!(code, 1);
        out
    };
    let capped = run(&[]);
    assert!(capped.encode_utf16().count() <= 65_536, "{}", capped.len());
    assert!(
        capped.contains("**3000 deals**: 1500 compliant, 1500 non-compliant"),
        "{}",
        &capped[..400]
    );
    assert!(!capped.contains("| **non-compliant** |") || !capped.contains("| compliant |"));
    let shown = capped.matches("<details>").count();
    assert!(shown > 10, "{shown}");
    assert!(
        capped.ends_with(&format!(
            "*… and {} more deals not shown, to keep this report within 65536 characters \
             (`--max-results`): 1500 without findings; {} with findings ({} non-compliant), {} \
             findings in all. The summary above counts every deal.*\n",
            3_000 - shown,
            1_500 - shown,
            1_500 - shown,
            1_500 - shown
        )),
        "{}",
        &capped[capped.len() - 600..]
    );
    let whole = run(&["--max-results", "all"]);
    assert!(whole.len() > 500_000, "{}", whole.len());
    assert_eq!(whole.matches("<details>").count(), 1_500);
    assert!(!whole.contains("more deals not shown"));
    let few = run(&["--max-results", "7"]);
    assert_eq!(few.matches("<details>").count(), 7);
    assert!(few.contains("to show at most 7 findings"), "{few}");
}

#[test]
fn max_results_takes_a_number_or_all() {
    use clap::Parser;
    for bad in ["-1", "many", ""] {
        let parsed = covenant_cli::Cli::try_parse_from([
            "covenant",
            "check",
            "x.yaml",
            "--max-results",
            bad,
        ]);
        assert!(parsed.is_err(), "{bad}");
    }
    let (code, out) = check("sarif", &["examples/deals", "--max-results", "3"]);
    assert_eq!(code, 1);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 3);
    let (_, all) = check("sarif", &["examples/deals", "--max-results", "all"]);
    let all: Value = serde_json::from_str(&all).unwrap();
    let total = all["runs"][0]["results"].as_array().unwrap().len();
    assert_eq!(log["runs"][0]["properties"]["results_omitted"], total - 3);
    assert!(all["runs"][0]["properties"]
        .get("results_omitted")
        .is_none());
}
