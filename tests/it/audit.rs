//! The audit fields of the JSON, JSON-lines and SARIF reports (docs/reports.md, "Audit
//! fields"): the engine, the time of the run (left out with `--deterministic`), the evaluation
//! date, and the sha256 of each policy file's text as read.

use clap::Parser;
use serde_json::Value;

use crate::support::Dir;

/// `covenant ARGS…` as given (the helpers add `--deterministic` to every `check`; these tests
/// must see the clock): exit code and standard output.
fn covenant_as_given(args: &[&str]) -> (u8, String) {
    let cli =
        covenant_cli::Cli::parse_from(std::iter::once("covenant").chain(args.iter().copied()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = covenant_cli::run(cli, &mut out, &mut err);
    let err = String::from_utf8(err).unwrap();
    assert!(code <= 1, "{err}");
    (code, String::from_utf8(out).unwrap())
}

/// Two policy files, given `b` first: one with a byte-order mark, CRLF line ends and a lone
/// CR, which the compiler reads without the mark and with the CR as a line end; the digest is
/// of the bytes as read all the same.
fn policies(dir: &Dir) -> (String, String, Vec<u8>, Vec<u8>) {
    let b = b"\xEF\xBB\xBFpolicy \"B\" version \"7\"\r\nrule seats: board seats > 1\r# a lone CR\n"
        .to_vec();
    let a = b"rule chair: board seats < 30\n".to_vec();
    (dir.file("b.policy", &b), dir.file("a.policy", &a), a, b)
}

fn sha256(bytes: &[u8]) -> String {
    covenant::digest::sha256_hex(bytes)
}

fn the_audit_fields(v: &Value) -> Vec<&str> {
    v.as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| ["engine", "evaluated_at", "as_of", "policies"].contains(k))
        .collect()
}

#[test]
fn every_machine_report_names_the_engine_the_time_the_date_and_the_policy_digests() {
    let dir = Dir::new("audit");
    let (b, a, a_bytes, b_bytes) = policies(&dir);
    let deal = dir.file("jv.yaml", "proposal: JV\nboard: { seats: 5 }\n");
    let run = |format: &str| {
        let args = [
            "check",
            "-p",
            &b,
            "-p",
            &a,
            &deal,
            "--as-of",
            "2026-03-31",
            "--format",
            format,
        ];
        covenant_as_given(&args).1
    };
    let before = jiff::Timestamp::now().as_second();
    let json: Value = serde_json::from_str(&run("json")).unwrap();
    let line: Value = serde_json::from_str(run("jsonl").trim_end()).unwrap();
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let after = jiff::Timestamp::now().as_second();

    let expected_policies = serde_json::json!([
        { "path": a, "title": null, "version": null, "sha256": sha256(&a_bytes) },
        { "path": b, "title": "B", "version": "7", "sha256": sha256(&b_bytes) },
    ]);
    let run_line = &line["run"];
    let sarif_run = &sarif["runs"][0]["properties"];
    for (what, v) in [("json", &json), ("jsonl", run_line), ("sarif", sarif_run)] {
        assert_eq!(
            the_audit_fields(v),
            ["engine", "evaluated_at", "as_of", "policies"],
            "{what}"
        );
        assert_eq!(v["engine"]["name"], "covenant", "{what}");
        assert_eq!(v["engine"]["version"], covenant::VERSION, "{what}");
        assert_eq!(v["as_of"], "2026-03-31", "{what}");
        assert_eq!(v["policies"], expected_policies, "{what}");
        let at = v["evaluated_at"].as_str().unwrap();
        assert!(
            at.ends_with('Z') && at.len() == 20,
            "{what}: RFC 3339 UTC, to the second: {at}"
        );
        let at: jiff::Timestamp = at.parse().unwrap();
        assert!((before..=after).contains(&at.as_second()), "{what}: {at}");
    }
    // The digest is of the bytes as read, not of the text compiled.
    let text = String::from_utf8(b_bytes[3..].to_vec())
        .unwrap()
        .replace("\r#", "\n#");
    assert_ne!(sha256(&b_bytes), sha256(text.as_bytes()));
    // A JSON line is still the deal's object, its `run` added as the last member.
    assert_eq!(line["path"], deal);
    assert_eq!(line.as_object().unwrap().keys().next_back().unwrap(), "run");
}

#[test]
fn without_as_of_the_evaluation_date_is_null() {
    let (code, out) = covenant_as_given(&[
        "check",
        "-p",
        "examples/policies",
        "examples/deals/acme-dragon-51-49.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert!(v["as_of"].is_null(), "{v}");
    let paths: Vec<&str> = v["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort_unstable();
    assert_eq!(paths, sorted);
}

#[test]
fn deterministic_reports_leave_the_time_out_and_are_the_same_bytes_every_time() {
    let dir = Dir::new("audit-det");
    let (b, a, _, _) = policies(&dir);
    let deal = dir.file("jv.yaml", "proposal: JV\nboard: { seats: 50 }\n");
    for format in ["json", "jsonl", "sarif"] {
        let args = [
            "check",
            "--deterministic",
            "-p",
            &b,
            "-p",
            &a,
            &deal,
            "--format",
            format,
        ];
        let (code, first) = covenant_as_given(&args);
        assert_eq!(code, 1, "{format}: the chair rule fails");
        assert!(!first.contains("evaluated_at"), "{format}: {first}");
        assert!(first.contains("\"as_of\""), "{format}: {first}");
        std::thread::sleep(std::time::Duration::from_millis(1100));
        assert_eq!(covenant_as_given(&args).1, first, "{format}");
    }
}
