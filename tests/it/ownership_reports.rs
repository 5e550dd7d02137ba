//! Every report shape of ownership evidence (SPEC §7.2, §7.3; spec-v2-notes F): the look-through
//! paths, the chain of control, the groups of `per`, and the unknown reasons `unlisted-owners`
//! and `joint-control`, in the human, JSON, Markdown, SARIF and JUnit reports and in `explain`.

use crate::common;
use common::covenant;
use serde_json::Value;

const POLICY: &str = "tests/fixtures/ownership/ownership.policy";
const DEALS: [&str; 3] = ["a1.yaml", "a1-unlisted.yaml", "joint.json"];

fn deal(name: &str) -> String {
    format!("tests/fixtures/ownership/{name}")
}

#[test]
fn every_report_format() {
    for format in ["human", "json", "markdown", "sarif", "junit"] {
        for name in DEALS {
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

#[test]
fn explain_shows_the_chains() {
    for name in DEALS {
        let d = deal(name);
        let (code, out, err) = covenant(&["explain", "-p", POLICY, &d]);
        let (check, _, _) = covenant(&["check", "-p", POLICY, &d]);
        assert_eq!(code, check, "explain exits as check does: {err}");
        insta::assert_snapshot!(format!("explain_{name}"), out);
    }
}

fn json_rules(name: &str) -> Vec<Value> {
    let d = deal(name);
    let (_, out, _) = covenant(&["check", "-p", POLICY, &d, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    v["deals"][0]["rules"].as_array().unwrap().clone()
}

fn evidence_of_kind(rule: &Value, kind: &str) -> Value {
    rule["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == kind)
        .unwrap_or_else(|| panic!("no `{kind}` evidence in {rule:#}"))
        .clone()
}

#[test]
fn json_look_through_evidence_has_the_shape_of_the_notes() {
    let rules = json_rules("a1.yaml");
    let lt = evidence_of_kind(&rules[0], "look-through");
    assert_eq!(lt["measure"], "voting");
    assert_eq!(lt["mode"], "proportional");
    assert_eq!(lt["value"], "29.4%");
    assert_eq!(lt["more_paths"], 0);
    assert_eq!(lt["more_value"], "0%");
    let path = &lt["paths"][0];
    assert_eq!(path["contribution"], "29.4%");
    let edges: Vec<(String, String, String, String)> = path["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap().to_string();
            (s("from"), s("to"), s("value"), s("at"))
        })
        .collect();
    let a1 = "tests/fixtures/ownership/a1.yaml";
    assert_eq!(
        edges,
        [
            ("SASAC", "FAW Group", "100%", format!("{a1}:12:56")),
            (
                "FAW Group",
                "Northern Auto HK",
                "60%",
                format!("{a1}:10:59")
            ),
            (
                "Northern Auto HK",
                "Dragon Motors",
                "100%",
                format!("{a1}:7:67")
            ),
            ("Dragon Motors", "JV", "49%", format!("{a1}:6:80")),
        ]
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), c.to_string(), d))
    );
    // By control, the edge into Northern Auto HK counted 100%.
    let lt = evidence_of_kind(&rules[1], "look-through");
    assert_eq!(lt["mode"], "control");
    assert_eq!(lt["value"], "49%");
    assert_eq!(lt["paths"][0]["edges"][1]["counted"], "100%");
    assert!(lt["paths"][0]["edges"][0].get("counted").is_none());
}

#[test]
fn json_controller_and_group_evidence() {
    let rules = json_rules("a1.yaml");
    let c = evidence_of_kind(&rules[3], "controller");
    assert_eq!(c["entity"], "Dragon Motors");
    assert_eq!(
        c["chain"],
        serde_json::json!(["Northern Auto HK", "FAW Group", "SASAC"])
    );
    assert_eq!(c["controller"], "SASAC");
    let g = evidence_of_kind(&rules[4], "group");
    assert_eq!(g["key"], "Acme Motors");
    assert_eq!(g["members"], serde_json::json!(["Acme Motors"]));
    assert_eq!(g["value"], "51%");
}

#[test]
fn unknown_ownership_says_why() {
    let rules = json_rules("a1-unlisted.yaml");
    assert_eq!(rules[0]["outcome"], "incomplete");
    assert_eq!(
        rules[0]["message"],
        "cannot decide: the owners of Northern Auto HK add up to 60% of its voting; the other 40% is held by holders not listed"
    );
    assert_eq!(rules[0]["evidence"][0]["line"], 9);
    assert_eq!(rules[0]["evidence"][0]["reason"], "unlisted-owners");
    let rules = json_rules("joint.json");
    assert_eq!(
        rules[3]["message"],
        "cannot decide: HoldCo is jointly controlled by Renault and Geely"
    );
    assert_eq!(rules[3]["evidence"][0]["reason"], "joint-control");
}

#[test]
fn json_evidence_names_the_reason_of_every_unknown() {
    let (_, out, _) = covenant(&[
        "check",
        "-p",
        "examples/policies",
        "examples/deals/liberty-pearl-missing-stake.yaml",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let reasons: Vec<&str> = v["deals"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["evidence"].as_array().unwrap())
        .filter_map(|e| e["reason"].as_str())
        .collect();
    assert!(
        !reasons.is_empty() && reasons.iter().all(|r| *r == "missing"),
        "{reasons:?}"
    );
}
