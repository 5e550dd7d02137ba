//! No superlinear path in reports and diagnostics (issue 9, item 7): inputs with tens of
//! thousands of diagnostics or failing elements print a bounded number of them, with an
//! "and N more" count, and run through the CLI in-process in linear time.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use covenant::report::{MAX_EVIDENCE_SHOWN, MAX_PROBLEMS_SHOWN};
use support::{check_jsonl, covenant, repo, Dir};

/// 32,000 unknown keys and 20,000 policy errors (the sizes of issue 9) in the soak; a tenth in
/// CI.
fn unknown_keys() -> usize {
    support::size(3_200, 32_000)
}

fn policy_errors() -> usize {
    support::size(2_000, 20_000)
}

const FAILING_ELEMENTS: usize = 10_000;

/// The baseline example deal with `n` unknown top-level keys after it.
fn deal_with_unknown_keys(n: usize) -> String {
    let mut text = std::fs::read_to_string(repo("examples/deals/acme-dragon-51-49.yaml")).unwrap();
    for i in 0..n {
        text.push_str(&format!("unknown_key_{i}: {i}\n"));
    }
    text
}

#[test]
fn tens_of_thousands_of_unknown_keys_report_a_bounded_number_and_count_the_rest() {
    let dir = Dir::new("unknown-keys");
    let deal = dir.file("many.yaml", deal_with_unknown_keys(unknown_keys()));
    let json_deal = dir.file(
        "many.json",
        serde_json::to_string_pretty(&serde_json::Value::Object(
            (0..unknown_keys())
                .map(|i| (format!("unknown_key_{i}"), serde_json::json!(i)))
                .chain([("proposal".to_string(), serde_json::json!("x"))])
                .collect(),
        ))
        .unwrap(),
    );
    let policy = repo("examples/policies");
    let (_, reports, _) = check_jsonl(&policy, &[&deal, &json_deal], &[]);
    for r in &reports {
        let warnings = r["warnings"].as_array().unwrap();
        assert_eq!(warnings.len(), MAX_PROBLEMS_SHOWN, "{}", r["path"]);
        assert!(warnings
            .iter()
            .all(|w| w["code"] == "covenant::deal::unknown-key"));
        assert_eq!(
            r["warnings_omitted"],
            unknown_keys() - MAX_PROBLEMS_SHOWN,
            "{}",
            r["path"]
        );
        assert!(r.get("errors_omitted").is_none());
    }
    // The last key shown is the 100th: the first ones are kept, in order.
    assert!(reports[0]["warnings"][MAX_PROBLEMS_SHOWN - 1]["message"]
        .as_str()
        .unwrap()
        .contains(&format!("unknown_key_{}`", MAX_PROBLEMS_SHOWN - 1)));

    // --strict: the same keys are errors, capped the same way.
    let (code, reports, _) = check_jsonl(&policy, &[&deal], &["--strict"]);
    assert_eq!(code, 2);
    assert_eq!(reports[0]["verdict"], "invalid");
    assert_eq!(
        reports[0]["errors"].as_array().unwrap().len(),
        MAX_PROBLEMS_SHOWN
    );
    assert_eq!(
        reports[0]["errors_omitted"],
        unknown_keys() - MAX_PROBLEMS_SHOWN
    );

    let (_, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &deal]);
    assert_eq!(
        out.matches("covenant::deal::unknown-key").count(),
        MAX_PROBLEMS_SHOWN
    );
    let more = format!(
        "… and {} more warnings not shown",
        unknown_keys() - MAX_PROBLEMS_SHOWN
    );
    assert_eq!(
        out.matches(&more).count(),
        1,
        "{}",
        &out[out.len() - 2000..]
    );
    // Bounded output: the diagnostics shown, each a few lines, and the rule lines.
    assert!(out.len() < 200_000, "{} bytes", out.len());
}

/// `covenant check`, then `covenant lint`, of a policy that does not compile: what each
/// prints, which must end with the count of problems.
/// `last_line`: the line of the last error.
fn compile_errors(name: &str, policy_text: String, last_line: usize) -> (String, String) {
    let dir = Dir::new(name);
    let policy = dir.file(&format!("{name}.policy"), policy_text);
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    let (code, out, err) = covenant(&["check", "-p", &policy, "--color", "never", &deal]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.ends_with(&format!(
            "error: the policy does not compile ({} problems)\n",
            policy_errors()
        )),
        "{}",
        &err[err.len().saturating_sub(500)..]
    );
    let (code, lint, _) = covenant(&["lint", "-p", &policy, "--color", "never"]);
    assert_eq!(code, 2);
    let (_, json, _) = covenant(&["lint", "-p", &policy, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let findings = json["findings"].as_array().unwrap();
    // The JSON report of `lint` keeps every finding, each placed in its file.
    assert!(findings.len() >= policy_errors(), "{}", findings.len());
    let last = findings.iter().rfind(|f| f["severity"] == "error").unwrap();
    assert_eq!(last["line"], last_line, "{last}");
    (err, lint)
}

#[test]
fn tens_of_thousands_of_parse_errors_print_a_bounded_number_and_count_the_rest() {
    let text: String = (0..policy_errors())
        .map(|i| format!("rule r{i}:\n  require ((\n"))
        .collect();
    let (err, lint) = compile_errors("parse-errors", text, 2 * policy_errors());
    assert_eq!(
        err.matches("covenant::parse::unclosed-delimiter").count(),
        MAX_PROBLEMS_SHOWN
    );
    let more = format!(
        "… and {} more not shown",
        policy_errors() - MAX_PROBLEMS_SHOWN
    );
    assert_eq!(err.matches(&more).count(), 1);
    assert!(err.len() < 200_000, "{} bytes", err.len());
    assert_eq!(
        lint.matches("covenant::parse::unclosed-delimiter").count(),
        MAX_PROBLEMS_SHOWN
    );
    assert!(lint.contains(&format!(
        "… and {} more findings in `",
        policy_errors() - MAX_PROBLEMS_SHOWN
    )));
    assert!(lint.ends_with(&format!(
        "lint: the policy could not be loaded ({} errors)\n",
        policy_errors()
    )));
}

/// A phrase that names no field for each `n`: `frobnicate zqa`, `frobnicate zqb`, …
fn unknown_phrase(mut n: usize) -> String {
    let mut word = String::new();
    loop {
        word.insert(0, char::from(b'a' + (n % 26) as u8));
        n /= 26;
        if n == 0 {
            break;
        }
    }
    format!("frobnicate zq{word}")
}

#[test]
fn tens_of_thousands_of_unknown_phrases_print_a_bounded_number_and_count_the_rest() {
    let text: String = (0..policy_errors())
        .map(|i| format!("rule r{i}: {} > 1\n", unknown_phrase(i)))
        .collect();
    let (err, lint) = compile_errors("unknown-phrases", text, policy_errors());
    assert_eq!(
        err.matches("covenant::resolve::unknown-phrase").count(),
        MAX_PROBLEMS_SHOWN
    );
    assert!(err.contains(&format!(
        "… and {} more problems in `",
        policy_errors() - MAX_PROBLEMS_SHOWN
    )));
    assert!(err.len() < 200_000, "{} bytes", err.len());
    assert!(
        lint.matches("covenant::resolve::unknown-phrase").count() <= MAX_PROBLEMS_SHOWN,
        "{}",
        &lint[..2000]
    );
    assert!(lint.len() < 200_000, "{} bytes", lint.len());
}

#[test]
fn ten_thousand_failing_elements_show_a_bounded_number_of_labels_in_the_human_report() {
    let dir = Dir::new("failing-elements");
    let policy = dir.file("p.policy", "rule small: party board seats < 5\n");
    let mut text = String::from("proposal: x\ndate: 2026-03-01\njurisdiction: US\nparties:\n");
    for i in 0..FAILING_ELEMENTS {
        text.push_str(&format!(
            "  - name: P{i}\n    country: US\n    board_seats: 10\n"
        ));
    }
    let deal = dir.file("d.yaml", text);
    // The finding: three values in its sentence, the count of all the others, ten deal values.
    let (code, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &deal]);
    assert_eq!(code, 1);
    assert!(
        out.contains(&format!(
            "`board_seats` is 10 for P0, 10 for P1, 10 for P2 and {} more; the rule requires less than 5 for each",
            FAILING_ELEMENTS - 3
        )),
        "{out}"
    );
    assert_eq!(
        out.matches("  parties[").count(),
        MAX_EVIDENCE_SHOWN,
        "{out}"
    );
    // `--verbose`: the diagnostic draws ten elements under the deal's source.
    let verbose = [
        "check",
        "-p",
        &policy,
        "--verbose",
        "--color",
        "never",
        &deal,
    ];
    let (code, out, _) = covenant(&verbose);
    assert_eq!(code, 1);
    assert_eq!(
        out.matches("for party \"P").count(),
        MAX_EVIDENCE_SHOWN,
        "{out}"
    );
    // The evaluator names ten elements and counts the others (docs/limits.md).
    assert!(
        out.contains(&format!("{} more", FAILING_ELEMENTS - MAX_EVIDENCE_SHOWN)),
        "{out}"
    );
    // The JSON report keeps every piece of evidence the evaluator gives.
    let (_, reports, _) = check_jsonl(&policy, &[&deal], &[]);
    let evidence = reports[0]["rules"][0]["evidence"].as_array().unwrap().len();
    assert!(evidence > MAX_EVIDENCE_SHOWN, "{evidence}");
}
