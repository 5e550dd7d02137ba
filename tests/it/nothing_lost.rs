//! Nothing is lost: every deal given to `check` appears exactly once in every report format,
//! in order, whatever happens to it; the output does not depend on `--jobs`.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::formats::xml;
use crate::support;

use std::process::Command;

use serde_json::Value;
use support::{covenant, repo, Dir};

const FORMATS: [&str; 6] = ["human", "json", "jsonl", "sarif", "junit", "markdown"];

/// The deal paths a report names, in order, read the way each format writes them.
fn deal_paths(format: &str, out: &str) -> Vec<String> {
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|d| d["path"].as_str().unwrap().to_string())
            .collect()
    };
    match format {
        "human" => out
            .lines()
            .filter(|l| !l.starts_with(' ') && !l.starts_with(|c: char| c.is_ascii_digit()))
            .filter_map(|l| {
                ["compliant", "non-compliant", "incomplete", "invalid"]
                    .iter()
                    .find_map(|v| l.strip_suffix(&format!(": {v}")))
            })
            .map(|head| head.split(" (").next().unwrap().to_string())
            .collect(),
        "json" => strings(&serde_json::from_str::<Value>(out).unwrap()["deals"]),
        "jsonl" => out
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["path"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect(),
        "sarif" => {
            let log: Value = serde_json::from_str(out).unwrap();
            strings(&log["runs"][0]["properties"]["deals"])
        }
        "junit" => xml::parse(out)
            .unwrap()
            .children("testsuite")
            .map(|s| s.attr("name").unwrap().to_string())
            .collect(),
        "markdown" => out
            .lines()
            .skip_while(|l| !l.starts_with("| Deal |"))
            .skip(2)
            .take_while(|l| l.starts_with("| `"))
            .map(|l| l.split('`').nth(1).unwrap().to_string())
            .collect(),
        _ => unreachable!(),
    }
}

#[test]
fn every_deal_appears_once_in_every_format_whatever_fails() {
    let dir = Dir::new("nothing-lost");
    let good = std::fs::read_to_string(repo("examples/deals/acme-dragon-51-49.yaml")).unwrap();
    let good_json =
        r#"{"proposal": "One line", "jurisdiction": "US", "date": "2026-03-01", "parties": []}"#;
    let deals = vec![
        dir.file("01-valid.yaml", &good),
        dir.file(
            "02-invalid.yaml",
            "proposal: x\nparties: [{name: A, stake: 51}]\n",
        ),
        dir.path("03-missing.yaml"),
        dir.file("04-not-utf8.yaml", b"proposal: \"\xff\xfe\"\n"),
        dir.file(
            "05-batch.jsonl",
            [
                good_json.as_bytes(),
                b"\n{\"proposal\": \"\xff\"}\n\n   \n",
                b"{\"proposal\": \"a\", \"proposal\": \"b\"}\n",
                b"{\"proposal\": \"last\"}",
            ]
            .concat(),
        ),
        dir.file("06-empty.yaml", ""),
        dir.file("07-empty.json", "  \n"),
        dir.file("08-blank.jsonl", "\n\n  \n"),
        dir.file("09-duplicate.yaml", "proposal: x\nproposal: y\n"),
        dir.file(
            "10-duplicate.toml",
            "proposal = \"x\"\n[board]\nseats = 1\n[board]\nseats = 2\n",
        ),
        dir.file(
            "11-duplicate.json",
            r#"{"proposal": "x", "board": {"seats": 1, "seats": 2}}"#,
        ),
        dir.file(
            "12-stakes.yaml",
            "proposal: x\nparties: [{name: A, stake: \"50%\"}, {name: B, stake: \"40%\"}]\n",
        ),
        dir.file("13-not-a-deal.txt", "proposal: x\n"),
    ];
    let batch = |line: usize| format!("{}:{line}", deals[4]);
    let mut expected: Vec<String> = deals[..4].to_vec();
    expected.extend([batch(1), batch(2), batch(5), batch(6)]);
    expected.extend(deals[5..].iter().cloned());

    // The shipped framework is `reported` (SPEC §12); counting its rules keeps a non-compliant
    // deal among the verdicts below.
    let policy = repo("examples/policies");
    let mut args = vec![
        "check",
        "-p",
        &policy,
        "--color",
        "never",
        "--format",
        "json",
        "--include-proposed",
    ];
    args.extend(deals.iter().map(String::as_str));
    for format in FORMATS {
        args[6] = format;
        let (code, out, err) = covenant(&args);
        assert_eq!(code, 2, "{format}: {err}");
        assert_eq!(deal_paths(format, &out), expected, "{format}:\n{out}");
    }

    // What each deal became, in the JSON report.
    args[6] = "json";
    let (_, out, _) = covenant(&args);
    let report: Value = serde_json::from_str(&out).unwrap();
    let seen: Vec<(String, String)> = report["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let first = d["errors"][0]["code"]
                .as_str()
                .or(d["warnings"][0]["code"].as_str())
                .unwrap_or("-");
            (d["verdict"].as_str().unwrap().into(), first.into())
        })
        .collect();
    let want = [
        ("compliant", "-"),
        ("invalid", "covenant::deal::bare-number"),
        ("invalid", "covenant::deal::unreadable"),
        ("invalid", "covenant::deal::unreadable"),
        ("non-compliant", "-"),
        ("invalid", "covenant::deal::unreadable"),
        ("invalid", "covenant::deal::duplicate-key"),
        ("incomplete", "-"),
        ("invalid", "covenant::deal::empty"),
        ("invalid", "covenant::deal::empty"),
        ("invalid", "covenant::deal::empty"),
        ("invalid", "covenant::deal::duplicate-key"),
        ("invalid", "covenant::deal::duplicate-key"),
        ("invalid", "covenant::deal::duplicate-key"),
        ("incomplete", "covenant::deal::stakes-not-100"),
        ("invalid", "covenant::deal::unreadable"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(seen, want);
    assert_eq!(report["summary"]["deals"], expected.len());
    assert_eq!(report["summary"]["invalid"], 12);
}

/// `gen.py N` into a fresh folder: (the folder, its `deals.jsonl`, its folder of YAML deals).
fn generated(n: usize) -> (Dir, String, String) {
    let dir = Dir::new("jobs");
    let status = Command::new("python3")
        .arg(repo("tests/differential/gen.py"))
        .arg(n.to_string())
        .arg("--out")
        .arg(&dir.0)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs");
    assert!(status.success(), "gen.py failed");
    let jsonl = dir.path("deals.jsonl");
    let yaml = dir.path("yaml");
    (dir, jsonl, yaml)
}

#[test]
fn output_is_byte_identical_for_any_number_of_jobs() {
    let n = support::size(500, 2_000);
    let (_dir, jsonl, yaml) = generated(n);
    let policy = repo("tests/differential/jv-baseline.policy");
    for format in FORMATS {
        let run = |jobs: &str| {
            covenant(&[
                "check",
                "-p",
                &policy,
                "--color",
                "never",
                "--format",
                format,
                "--jobs",
                jobs,
                // Every deal and result, past GitHub's limits (`docs/ci.md`).
                "--max-results",
                "all",
                &jsonl,
                &yaml,
            ])
        };
        let one = run("1");
        let four = run("4");
        assert!(one.0 <= 1, "{format}: {}", one.2);
        assert_eq!(deal_paths(format, &one.1).len(), 2 * n, "{format}");
        assert!(one == four, "{format}: --jobs 1 and --jobs 4 differ");
    }
}
