//! The baseline-v2 benchmark workload (`benches/baseline-v2/`): its policy compiles, and on 50
//! generated deals (fixed seed) every outcome is the expected one: the 12 baseline rules as
//! `tests/differential/ref_eval.py` computes them, the four v2 rules (look-through, per bloc,
//! table, conversion) as the generator computes them with exact fractions. The counts below
//! were checked by hand on the deals that fail each v2 rule (BENCHMARKS.md, "Issue 18").

use std::collections::BTreeMap;
use std::process::Command;

use crate::support::{check_jsonl, repo, Dir};

const DEALS: usize = 50;
const V2_RULES: [&str; 4] = [
    "covered-state-votes",
    "bloc-profit",
    "state-cap",
    "foreign-debt",
];
const BASELINE_RULES: &str = "american-control,foreign-minority,board-control,equal-profit,\
    data-onshore,feoc,sensitive-data-review,local-content,tech-escrow,connected-vehicle,\
    us-plant,subsidy-cap";

fn generate(dir: &Dir) {
    let status = Command::new("python3")
        .arg(repo("benches/baseline-v2/gen.py"))
        .arg(DEALS.to_string())
        .arg("--out")
        .arg(&dir.0)
        .stderr(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "benches/baseline-v2/gen.py failed");
}

/// `(deal, rule)` → outcome, from covenant's JSON lines.
fn outcomes(reports: &[serde_json::Value]) -> BTreeMap<(usize, String), String> {
    let mut all = BTreeMap::new();
    for (deal, report) in reports.iter().enumerate() {
        assert_ne!(report["verdict"], "invalid", "deal {deal}: {report}");
        for r in report["rules"].as_array().unwrap() {
            let outcome = r["outcome"].as_str().unwrap().to_string();
            all.insert((deal, r["id"].as_str().unwrap().to_string()), outcome);
        }
    }
    all
}

fn count<'a>(values: impl Iterator<Item = &'a str>) -> BTreeMap<&'a str, usize> {
    let mut counts = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    counts
}

#[test]
fn baseline_v2_outcomes_are_the_expected_ones() {
    let dir = Dir::new("baseline-v2");
    generate(&dir);
    let policy = repo("benches/baseline-v2/baseline-v2.policy");
    let (code, reports, err) = check_jsonl(&policy, &[&dir.path("deals.jsonl")], &[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(reports.len(), DEALS);
    let verdicts = count(reports.iter().map(|r| r["verdict"].as_str().unwrap()));
    let expected_verdicts = BTreeMap::from([("compliant", 29), ("non-compliant", 21)]);
    assert_eq!(verdicts, expected_verdicts);

    let got = outcomes(&reports);
    let failing = |rule: &str| {
        got.iter()
            .filter(|((_, id), outcome)| id == rule && *outcome == "fail")
            .count()
    };
    let fails: Vec<usize> = V2_RULES.iter().map(|r| failing(r)).collect();
    assert_eq!(fails, [1, 4, 3, 1], "fails of {V2_RULES:?}");

    // Every v2 outcome is the generator's.
    let text = std::fs::read_to_string(dir.path("expected-v2.json")).unwrap();
    let expected: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(expected.len(), DEALS * V2_RULES.len());
    for e in &expected {
        let deal = e["deal"].as_u64().unwrap() as usize;
        let rule = e["rule"].as_str().unwrap().to_string();
        let outcome = got.get(&(deal, rule.clone()));
        assert_eq!(
            outcome.map(String::as_str),
            e["outcome"].as_str(),
            "deal {deal} {rule}"
        );
    }

    // Every baseline outcome is the reference evaluator's.
    let results: Vec<serde_json::Value> = got
        .iter()
        .filter(|((_, rule), _)| !V2_RULES.contains(&rule.as_str()))
        .map(|((deal, rule), outcome)| {
            serde_json::json!({"deal": deal, "rule": rule, "outcome": outcome})
        })
        .collect();
    let results_path = dir.file("results.json", serde_json::to_string(&results).unwrap());
    let output = Command::new("python3")
        .arg(repo("tests/differential/ref_eval.py"))
        .arg(dir.path("twins.jsonl"))
        .args(["--check", &results_path, "--rules", BASELINE_RULES])
        .output()
        .expect("python3 runs");
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{report}");
    let matched = format!("{}/{} outcomes match", DEALS * 12, DEALS * 12);
    assert!(report.contains(&matched), "{report}");
}
