//! Sources in every report (SPEC §12): header cites first, `cite:` lines only under failing,
//! incomplete and exempt outcomes, JSON `cite` and `citations` with `null` parts, SARIF
//! `helpUri`, Markdown footnotes, JUnit `cite:` lines and `explain`.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use serde_json::{json, Value};

use crate::common::covenant;

const POLICY: &str = "tests/fixtures/cite/cite.policy";
const DEAL: &str = "examples/deals/acme-dragon-51-49.yaml";
const ACT: &str = "Investment Act, section 12, version 2024 <https://example.org/act>";

fn check(format: &str) -> String {
    covenant(&["check", "-p", POLICY, DEAL, "--format", format]).1
}

#[test]
fn human_cite_lines_under_failing_and_exempt_outcomes_only() {
    // The findings: a failing and an exempt rule, each with its sources; no pass is listed.
    let out = check("human");
    let pad = " ".repeat(14);
    let lines: Vec<&str> = out.lines().collect();
    let fails = lines.iter().position(|l| l.ends_with("[fails]")).unwrap();
    assert_eq!(
        lines[fails + 2..fails + 4],
        [
            format!("{pad}cite: {ACT}"),
            format!("{pad}cite: Regulation B, section (b)(2) <https://example.org/reg-b>"),
        ],
        "{out}"
    );
    let exempt = lines.iter().position(|l| l.ends_with("[exempt]")).unwrap();
    assert_eq!(lines[exempt + 2], format!("{pad}cite: {ACT}"), "{out}");
    assert_eq!(out.matches("cite: ").count(), 3, "{out}");
    assert!(
        !out.contains("Memo A"),
        "a passing rule's sources are not shown: {out}"
    );

    // `--verbose`: every rule's line, the sources under the failing and exempt ones only.
    let out = covenant(&["check", "-p", POLICY, DEAL, "--verbose"]).1;
    let lines: Vec<&str> = out.lines().collect();
    let start = lines
        .iter()
        .position(|l| l.starts_with("  pass            holds"))
        .unwrap();
    let pad = " ".repeat(18);
    assert_eq!(
        lines[start..start + 6],
        [
            "  pass            holds: holds".to_string(),
            "  fail            fails: `total american partner stake > 99%` does not hold"
                .to_string(),
            format!("{pad}cite: {ACT}"),
            format!("{pad}cite: Regulation B, section (b)(2) <https://example.org/reg-b>"),
            "  not-applicable  not-here: not applicable: `sector = \"shipping\"` is false"
                .to_string(),
            "  exempt          exempt: exempt: `sector = \"automotive\"` holds".to_string(),
        ],
        "{out}"
    );
    assert_eq!(lines[start + 6], format!("{pad}cite: {ACT}"), "{out}");
}

#[test]
fn json_results_carry_cite_and_citations_header_first() {
    let v: Value = serde_json::from_str(&check("json")).unwrap();
    let rules = v["deals"][0]["rules"].as_array().unwrap();
    let act = json!({"text": "Investment Act", "section": "12",
        "url": "https://example.org/act", "version": "2024"});
    // Every result, passes included, carries its sources.
    let holds = &rules[0];
    assert_eq!(holds["cite"], json!(["Investment Act", "Memo A"]));
    assert_eq!(
        holds["citations"],
        json!([act, {"text": "Memo A", "section": null, "url": null, "version": null}])
    );
    let fails = &rules[1];
    assert_eq!(fails["citations"][1]["section"], "(b)(2)");
    assert_eq!(fails["citations"][1]["version"], Value::Null);
    assert_eq!(rules[2]["cite"], json!(["Investment Act"]));
}

#[test]
fn sarif_help_uri_is_the_first_url() {
    let v: Value = serde_json::from_str(&check("sarif")).unwrap();
    let rules = v["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules.iter().filter(|r| r["properties"]["cite"].is_array()) {
        assert_eq!(r["helpUri"], "https://example.org/act", "{}", r["id"]);
        assert_eq!(r["properties"]["citations"][0]["section"], "12");
    }
    assert!(rules.len() >= 4);
}

#[test]
fn markdown_footnotes_and_junit_cite_lines() {
    let md = check("markdown");
    assert!(md.contains("| `fails`[^cite-fails] |"), "{md}");
    assert!(
        md.contains(&format!(
            "\n[^cite-fails]: {ACT}; Regulation B, section (b)(2) <https://example.org/reg-b>\n"
        )),
        "{md}"
    );
    assert!(!md.contains("[^cite-holds]"), "{md}");
    let junit = check("junit");
    assert!(
        junit.contains("cite: Regulation B, section (b)(2) &lt;https://example.org/reg-b&gt;"),
        "{junit}"
    );
    assert!(!junit.contains("Memo A"), "{junit}");
}

#[test]
fn explain_shows_every_rules_sources() {
    let (_, out, _) = covenant(&["explain", "-p", POLICY, DEAL, "--rule", "holds"]);
    assert!(
        out.contains(&format!("  cite: {ACT}\n  cite: Memo A\n")),
        "{out}"
    );
    let (_, out, _) = covenant(&["explain", "-p", POLICY, DEAL, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rules"][0]["cite"], json!(["Investment Act", "Memo A"]));
    assert_eq!(v["rules"][0]["citations"][1]["url"], Value::Null);
}

/// A header cite is a source of every rule: no `missing-cite` for a rule without its own.
#[test]
fn a_header_cite_satisfies_missing_cite() {
    let (_, out, err) = covenant(&["lint", "-p", POLICY]);
    assert!(
        !out.contains("missing-cite") && !err.contains("missing-cite"),
        "{out}{err}"
    );
    let text = std::fs::read_to_string(POLICY).unwrap();
    let without = text.replace(
        "  cite \"Investment Act\" section \"12\" url \"https://example.org/act\" version \"2024\"\n",
        "",
    );
    assert_ne!(without, text);
    let dir = std::env::temp_dir().join(format!("covenant-cite-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("no-header-cite.policy");
    std::fs::write(&path, without).unwrap();
    let (_, out, err) = covenant(&["lint", "-p", path.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.contains("missing-cite") || err.contains("missing-cite"),
        "{out}{err}"
    );
}
