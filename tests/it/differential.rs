//! Differential test: the 12-rule baseline policy on generated deals (fixed seed) gives exactly
//! the outcomes of the reference evaluator (`tests/differential/ref_eval.py`).
//! CI runs 2,000 deals, the soak (`COVENANT_SOAK=1`, docs/testing.md) 10,000;
//! `COVENANT_DIFF_DEALS=N` sets the number.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::process::Command;

use clap::Parser;
use covenant_cli::{run, Cli};

#[test]
fn baseline_outcomes_match_the_reference_evaluator() {
    let n: usize = std::env::var("COVENANT_DIFF_DEALS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| crate::support::size(2_000, 10_000));
    let dir = std::env::temp_dir().join(format!("covenant-diff-{}-{n}", std::process::id()));
    let status = Command::new("python3")
        .args([
            "tests/differential/gen.py",
            &n.to_string(),
            "--no-yaml",
            "--out",
        ])
        .arg(&dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen.py failed");

    let deals = dir.join("deals.jsonl");
    let cli = Cli::parse_from([
        "covenant",
        "check",
        "-p",
        "tests/differential/jv-baseline.policy",
        deals.to_str().unwrap(),
        "--format",
        "jsonl",
    ]);
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(cli, &mut out, &mut err);
    assert!(code <= 1, "check failed: {}", String::from_utf8_lossy(&err));

    // The results shape ref_eval.py --check reads: {deal, rule, outcome}.
    let mut results = Vec::new();
    let mut seen = 0;
    for line in String::from_utf8(out).unwrap().lines() {
        let deal: serde_json::Value = serde_json::from_str(line).unwrap();
        let path = deal["path"].as_str().unwrap();
        let index: usize = path.rsplit(':').next().unwrap().parse::<usize>().unwrap() - 1;
        assert!(
            deal["verdict"] != "invalid",
            "deal {path} is invalid: {deal}"
        );
        for r in deal["rules"].as_array().unwrap() {
            results
                .push(serde_json::json!({"deal": index, "rule": r["id"], "outcome": r["outcome"]}));
        }
        seen += 1;
    }
    assert_eq!(seen, n, "every deal is reported once");
    let results_path = dir.join("covenant-results.json");
    std::fs::write(&results_path, serde_json::to_string(&results).unwrap()).unwrap();

    let output = Command::new("python3")
        .arg("tests/differential/ref_eval.py")
        .arg(dir.join("twins.jsonl"))
        .arg("--check")
        .arg(&results_path)
        .output()
        .expect("python3 runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "outcomes differ from the reference:\n{report}"
    );
    assert!(
        report.contains(&format!("{}/{} outcomes match", n * 12, n * 12)),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
