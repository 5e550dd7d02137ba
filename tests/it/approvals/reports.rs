//! Every report of a rule exempted by an approval (SPEC §10), and `lint --expiring`.

use super::{FIXTURES, POLICY};
use crate::common::*;

/// `covenant check` of the waived deal in `format`: exit code and output.
fn check(format: &str, deal: &str) -> (u8, String) {
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        POLICY,
        &format!("{FIXTURES}/{deal}"),
        "--format",
        format,
        "--color",
        "never",
    ]);
    (code, out)
}

#[test]
fn every_report_shows_the_approval_of_an_exempt_result() {
    for format in ["human", "json", "sarif", "junit", "markdown"] {
        for deal in ["waived.yaml", "party-scoped.yaml"] {
            let (code, out) = check(format, deal);
            let name = format!("{format}_{}", deal.trim_end_matches(".yaml"));
            insta::assert_snapshot!(
                name,
                format!("exit {code}\n{}", crate::formats::dated(&out))
            );
            for needed in ["2025-08-01", "Mitigation agreement of 1 Aug 2025"] {
                if deal == "waived.yaml" {
                    assert!(out.contains(needed), "{format}: {needed}");
                }
            }
        }
    }
}

#[test]
fn the_json_waiver_object_has_the_shape_of_the_notes() {
    let (_, out) = check("json", "waived.yaml");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rule = &v["deals"][0]["rules"][0];
    assert_eq!(rule["outcome"], "pass");
    assert_eq!(rule["exempt"], true);
    assert!(rule.get("exemption").is_none());
    assert_eq!(
        rule["waiver"],
        serde_json::json!({
            "id": "MIT-2025-031",
            "authority": "US Department of Commerce",
            "granted": "2025-08-01",
            "expires": "2030-08-01",
            "reference": "Mitigation agreement of 1 Aug 2025"
        })
    );
    let (_, out) = check("json", "party-scoped.yaml");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let waiver = &v["deals"][0]["rules"][1]["waiver"];
    assert_eq!(waiver["expires"], "never");
    assert_eq!(waiver["parties"], serde_json::json!(["Dragon Motors"]));
    assert_eq!(
        v["deals"][0]["warnings"][0]["code"],
        "covenant::waiver::not-covered"
    );
}

#[test]
fn explain_shows_the_approval() {
    let deal = format!("{FIXTURES}/waived.yaml");
    let (code, out, _) = covenant(&["explain", "-p", POLICY, &deal, "--rule", "american-control"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!("explain_human", out);
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        POLICY,
        &deal,
        "--rule",
        "american-control",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rule = &v["rules"][0];
    assert_eq!(rule["outcome"], "exempt");
    assert_eq!(rule["waiver"]["authority"], "US Department of Commerce");
    assert_eq!(rule["waiver"]["expires"], "2030-08-01");
}

#[test]
fn a_suite_expects_an_exemption_by_an_approval() {
    let (code, out, err) = covenant(&["test", &format!("{FIXTURES}/approvals.test.yaml")]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("3 passed, 0 failed"), "{out}");
}

fn lint_expiring(args: &[&str], today: &str) -> (u8, String) {
    use clap::Parser;
    let argv = ["covenant", "lint"].into_iter().chain(args.iter().copied());
    let cli = covenant_cli::Cli::parse_from(argv);
    let covenant_cli::Command::Lint(lint) = cli.command else {
        panic!("not lint");
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = covenant_cli::lint::run_at(&lint, today.parse().unwrap(), &mut out, &mut err);
    let text = String::from_utf8(out).unwrap() + &String::from_utf8(err).unwrap();
    (code, text)
}

/// The messages of `lint --expiring` (JSON report) on `args`, as if today were `today`.
fn expiring_messages(args: &[&str], today: &str) -> Vec<String> {
    let args: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let (_, out) = lint_expiring(&args, today);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn lint_lists_the_approvals_that_expire_within_the_span() {
    let folder = &format!("{FIXTURES}/lint");
    let (code, out) = lint_expiring(
        &["--expiring", "90d", folder, "--format", "json"],
        "2026-06-01",
    );
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<(String, String)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                format!(
                    "{}:{}",
                    f["file"].as_str().unwrap().rsplit('/').next().unwrap(),
                    f["line"]
                ),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "covenant::lint::expired-approval".into(),
                "expiring.yaml:11".into()
            ),
            (
                "covenant::lint::expiring-approval".into(),
                "soon.yaml:8".into()
            ),
            (
                "covenant::lint::expired-approval".into(),
                "soon.yaml:13".into()
            ),
        ]
    );
    assert_eq!(v["deals"].as_array().unwrap().len(), 2);
    // A longer span reaches the approval expiring at the end of the year 9999; `never` never.
    let out = expiring_messages(
        &["--expiring", "9000y", &format!("{folder}/expiring.yaml")],
        "2026-06-01",
    )
    .join("\n");
    assert!(out.contains("expires on 9999-12-31"), "{out}");
    assert!(!out.contains("ICA-2025-3"), "{out}");
    insta::assert_snapshot!(
        "lint_expiring_human",
        lint_expiring(
            &[
                "--expiring",
                "90d",
                &format!("{folder}/soon.yaml"),
                "--color",
                "never"
            ],
            "2026-06-01"
        )
        .1
    );
}

#[test]
fn lint_expiring_boundaries_and_usage() {
    let soon = format!("{FIXTURES}/lint/soon.yaml");
    // `soon.yaml` has an approval expiring 2026-08-30: 90 days after 2026-06-01.
    let messages = |args: &[&str], today: &str| expiring_messages(args, today).join("\n");
    let out = messages(&["--expiring", "90d", &soon], "2026-06-01");
    assert!(out.contains("expires on 2026-08-30, in 90 days"), "{out}");
    let out = messages(&["--expiring", "89d", &soon], "2026-06-01");
    assert!(!out.contains("2026-08-30"), "{out}");
    // On its expiry date an approval is expired (it exempts nothing from that day on).
    let out = messages(&["--expiring", "1d", &soon], "2026-08-30");
    assert!(out.contains("expired on 2026-08-30, today"), "{out}");
    // Months count calendar months.
    let out = messages(&["--expiring", "3m", &soon], "2026-05-30");
    assert!(out.contains("2026-08-30"), "{out}");
    // A deal that does not load: exit 2, its errors listed.
    let (code, out) = lint_expiring(
        &[
            "--expiring",
            "90d",
            &format!("{FIXTURES}/unknown-party.yaml"),
        ],
        "2026-06-01",
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("covenant::deal::unknown-entity"), "{out}");
    // Bad usage.
    let bad = |args: &[&str]| {
        let argv = ["covenant", "lint"].iter().chain(args).copied();
        <covenant_cli::Cli as clap::Parser>::try_parse_from(argv).is_err()
    };
    assert!(bad(&["--expiring", "90 days", "x.yaml"]));
    assert!(bad(&["x.yaml"]), "deals need --expiring");
    let (code, out) = lint_expiring(&["--expiring", "90d"], "2026-06-01");
    assert_eq!(code, 2, "{out}");
    // With `-p`, the policy is linted as well; the exit code is lint's.
    let (code, out) = lint_expiring(&["-p", POLICY, "--expiring", "90d", &soon], "2026-06-01");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("1 policy file, 1 deal"), "{out}");
}
