//! No silent pass: adversarial deals, each with the exact outcome of every rule of
//! `examples/policies/us-auto-jv.policy` (the v1 framework; the ownership policy beside it reads
//! v2 data these v1 deals do not have) and of `tests/differential/jv-baseline.policy`, or the
//! diagnostic that
//! makes it invalid. Each case changes one thing in `tests/fixtures/adversarial/base.yaml`,
//! which is compliant with both policies. Decisions: `docs/reliability.md`.
//!
//! The shipped framework is a press report (`status reported`, SPEC §12): its rules would not
//! count by default. These cases test the rules' logic, not their status, so the examples
//! policy is checked with `--include-proposed`, which counts them as law.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use serde_json::Value;
use support::{check_jsonl, repo, Dir};

/// What a deal must give under one policy.
#[derive(Debug, Clone, PartialEq)]
enum Expect {
    /// Invalid, with these problem codes (without `covenant::deal::`), in order.
    Invalid(&'static [&'static str]),
    /// This verdict; these rules do not pass (every other rule passes); these deal warnings.
    Checked(
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static [&'static str],
    ),
}

use Expect::{Checked, Invalid};

/// `connected-vehicle` applies from 2026-09-01; the base deal is dated 2026-03-01.
const NA: (&str, &str) = ("connected-vehicle", "not-applicable");
const OK: Expect = Checked("compliant", &[NA], &[]);

struct Case {
    name: &'static str,
    /// The deal file's extension and text.
    ext: &'static str,
    text: String,
    baseline: Expect,
    examples: Expect,
}

fn base() -> String {
    std::fs::read_to_string(repo("tests/fixtures/adversarial/base.yaml")).unwrap()
}

/// The base deal with `from` replaced by `to` (which must occur).
fn edit(from: &str, to: &str) -> String {
    let text = base();
    assert!(text.contains(from), "`{from}` is not in the base deal");
    text.replacen(from, to, 1)
}

fn yaml(name: &'static str, from: &str, to: &str, baseline: Expect, examples: Expect) -> Case {
    Case {
        name,
        ext: "yaml",
        text: edit(from, to),
        baseline,
        examples,
    }
}

fn both(name: &'static str, from: &str, to: &str, expect: Expect) -> Case {
    yaml(name, from, to, expect.clone(), expect)
}

const US: &str = "  - {name: \"Acme Motors\", country: \"US\", stake: \"51%\", voting: \"51%\", board_seats: 4, government_stake: \"0%\", profit_share: \"50%\", subsidies: \"USD 0\"}\n";
const CN: &str = "  - {name: \"Dragon Motors\", country: \"CN\", stake: \"49%\", voting: \"49%\", board_seats: 3, government_stake: \"10%\", profit_share: \"50%\", subsidies: \"USD 100M\"}\n";

fn cases() -> Vec<Case> {
    let parties = format!("parties:\n{US}{CN}");
    let missing_parties_b: &[(&str, &str)] = &[
        ("american-control", "incomplete"),
        ("foreign-minority", "incomplete"),
        ("board-control", "incomplete"),
        ("equal-profit", "incomplete"),
        ("feoc", "incomplete"),
        NA,
        ("subsidy-cap", "incomplete"),
    ];
    let missing_parties_e: &[(&str, &str)] = &[
        ("american-control", "incomplete"),
        ("foreign-minority", "incomplete"),
        ("board-majority", "incomplete"),
        ("equal-profit", "incomplete"),
        ("feoc", "incomplete"),
        NA,
    ];
    vec![
        both("the base deal", "proposal", "proposal", OK),
        // Missing fields and nulls are unknown, never false, zero or empty.
        yaml(
            "no parties list",
            &parties,
            "",
            Checked("incomplete", missing_parties_b, &[]),
            Checked("incomplete", missing_parties_e, &[]),
        ),
        yaml(
            "parties: null",
            &parties,
            "parties: null\n",
            Checked("incomplete", missing_parties_b, &[]),
            Checked("incomplete", missing_parties_e, &[]),
        ),
        both(
            "the American stake is missing",
            "stake: \"51%\", ",
            "",
            Checked("incomplete", &[("american-control", "incomplete"), NA], &[]),
        ),
        both(
            "the foreign stake is null",
            "stake: \"49%\"",
            "stake: null",
            Checked("incomplete", &[("foreign-minority", "incomplete"), NA], &[]),
        ),
        both(
            "a government stake is missing",
            "government_stake: \"10%\", ",
            "",
            Checked("incomplete", &[("feoc", "incomplete"), NA], &[]),
        ),
        yaml(
            "cfius_filed: null",
            "cfius_filed: true",
            "cfius_filed: null",
            Checked("incomplete", &[("sensitive-data-review", "incomplete"), NA], &[]),
            Checked("incomplete", &[("cfius-filing", "incomplete"), NA], &[]),
        ),
        both(
            "a data item without a location",
            "location: \"US\", ",
            "",
            Checked("incomplete", &[("data-onshore", "incomplete"), NA], &[]),
        ),
        yaml(
            "technology: null",
            "technology:\n  - {name: \"LFP cells\", owner: \"Dragon Motors\", origin: \"CN\", category: \"battery\", transfer: \"license\", source_code_escrow: true}\n",
            "technology: null\n",
            Checked("incomplete", &[("tech-escrow", "incomplete"), NA], &[]),
            OK,
        ),
        both(
            "no jurisdiction: every rule's header guard is unknown",
            "jurisdiction: \"US\"\n",
            "",
            Checked("incomplete", &[], &[]),
        ),
        both(
            "no date: a rule with a window cannot be placed",
            "date: 2026-03-01\n",
            "",
            Checked("incomplete", &[("connected-vehicle", "incomplete")], &[]),
        ),
        // Empty lists: quantifiers hold vacuously, totals are zero.
        yaml(
            "parties: []",
            &parties,
            "parties: []\n",
            Checked("non-compliant", &[("american-control", "fail"), ("board-control", "fail"), NA], &[]),
            Checked("non-compliant", &[("american-control", "fail"), ("board-majority", "fail"), NA], &[]),
        ),
        yaml(
            "data: []",
            "data:\n  - {name: \"telemetry\", category: \"personal\", location: \"US\", subjects: 2000000, transfers: []}\n",
            "data: []\n",
            Checked("compliant", &[("sensitive-data-review", "not-applicable"), NA], &[]),
            Checked("compliant", &[("cfius-filing", "not-applicable"), NA], &[]),
        ),
        both("an absent transfers list is empty", ", transfers: []", "", OK),
        // Wrong types are invalid, with the diagnostic at the value.
        both("a bare-number stake", "stake: \"49%\"", "stake: 49", Invalid(&["bare-number"])),
        both("a stake in words", "stake: \"49%\"", "stake: \"forty-nine\"", Invalid(&["bad-percent"])),
        both("a boolean stake", "stake: \"49%\"", "stake: true", Invalid(&["type-mismatch"])),
        both("a list for a stake", "stake: \"49%\"", "stake: [\"49%\"]", Invalid(&["type-mismatch"])),
        both("a string for the parties", &parties, "parties: \"Acme\"\n", Invalid(&["type-mismatch"])),
        both("cfius_filed: \"yes\"", "cfius_filed: true", "cfius_filed: \"yes\"", Invalid(&["type-mismatch"])),
        both("cfius_filed: NO is a string", "cfius_filed: true", "cfius_filed: NO", Invalid(&["type-mismatch"])),
        both("country: NO is Norway", "country: \"CN\"", "country: NO", OK),
        // Duplicate keys are errors, never "last one wins".
        both("a duplicate top-level key", "sector: \"automotive\"", "sector: \"automotive\"\nsector: \"energy\"", Invalid(&["duplicate-key"])),
        both("a duplicate key in a party", "stake: \"49%\"", "stake: \"49%\", stake: \"10%\"", Invalid(&["duplicate-key"])),
        // Exact numbers: 30 digits are kept exactly; more than 38 are too large.
        Case {
            name: "30-digit stakes on either side of 50%, adding up to exactly 100%",
            ext: "yaml",
            text: edit("stake: \"51%\"", "stake: \"50.000000000000000000000000000001%\"")
                .replacen("stake: \"49%\"", "stake: \"49.999999999999999999999999999999%\"", 1),
            baseline: OK,
            examples: OK,
        },
        yaml(
            "a 30-digit board",
            "seats: 7",
            "seats: 123456789012345678901234567890",
            Checked("non-compliant", &[("board-control", "fail"), NA], &[]),
            Checked("non-compliant", &[("board-majority", "fail"), NA], &[]),
        ),
        both("a 45-digit subject count", "subjects: 2000000", "subjects: 123456789012345678901234567890123456789012345", Invalid(&["too-large"])),
        // A percent is a share between 0% and 100%; money is not negative.
        both("a 150% stake", "stake: \"51%\"", "stake: \"150%\"", Invalid(&["bad-percent"])),
        both("a negative stake", "stake: \"49%\"", "stake: \"-10%\"", Invalid(&["bad-percent"])),
        both("a negative investment", "investment: \"USD 2B\"", "investment: \"USD -2B\"", Invalid(&["bad-money"])),
        // Stakes that do not add up to 100%: a warning that never changes the verdict.
        both("stakes adding up to 90%", "stake: \"49%\"", "stake: \"39%\"", Checked("compliant", &[NA], &["stakes-not-100"])),
        both(
            "stakes adding up to 110%",
            "stake: \"49%\"",
            "stake: \"59%\"",
            Checked("non-compliant", &[("foreign-minority", "fail"), NA], &["stakes-not-100"]),
        ),
        // Currencies: any three capitals; mixing currencies is never computed, so incomplete.
        yaml(
            "an unknown currency XYZ",
            "investment: \"USD 2B\"",
            "investment: \"XYZ 5M\"",
            Checked("incomplete", &[NA, ("us-plant", "incomplete"), ("subsidy-cap", "incomplete")], &[]),
            OK,
        ),
        yaml(
            "EUR investment, USD subsidies",
            "investment: \"USD 2B\"",
            "investment: \"EUR 2B\"",
            Checked("incomplete", &[NA, ("us-plant", "incomplete"), ("subsidy-cap", "incomplete")], &[]),
            OK,
        ),
        both("a lower-case currency", "investment: \"USD 2B\"", "investment: \"usd 2B\"", Invalid(&["bad-money"])),
        // Dates: calendar dates only.
        both("2026-02-30", "date: 2026-03-01", "date: 2026-02-30", Invalid(&["bad-date"])),
        both("\"2026-02-30\"", "date: 2026-03-01", "date: \"2026-02-30\"", Invalid(&["bad-date"])),
        both("a date with a time of day", "date: 2026-03-01", "date: 2026-03-01T10:00:00", Invalid(&["bad-date"])),
        // An unknown key is a warning with a did-you-mean.
        both("an unknown key", "sector: \"automotive\"", "sector: \"automotive\"\nstak: \"5%\"", Checked("compliant", &[NA], &["unknown-key"])),
        // Duplicates and bad values in JSON and TOML too.
        Case {
            name: "a duplicate key in JSON",
            ext: "json",
            text: r#"{"proposal": "x", "board": {"seats": 7, "seats": 9}}"#.into(),
            baseline: Invalid(&["duplicate-key"]),
            examples: Invalid(&["duplicate-key"]),
        },
        Case {
            name: "a duplicate table in TOML",
            ext: "toml",
            text: "proposal = \"x\"\n[board]\nseats = 7\n[board]\nseats = 9\n".into(),
            baseline: Invalid(&["duplicate-key"]),
            examples: Invalid(&["duplicate-key"]),
        },
        Case {
            name: "a duplicate key in TOML",
            ext: "toml",
            text: "proposal = \"x\"\nsector = \"a\"\nsector = \"b\"\n".into(),
            baseline: Invalid(&["duplicate-key"]),
            examples: Invalid(&["duplicate-key"]),
        },
        Case {
            name: "a 30-digit TOML integer",
            ext: "toml",
            text: "proposal = \"x\"\n[board]\nseats = 123456789012345678901234567890\n".into(),
            baseline: Invalid(&["too-large"]),
            examples: Invalid(&["too-large"]),
        },
        Case {
            name: "a JSON number beyond exact range",
            ext: "json",
            text: r#"{"proposal": "x", "board": {"seats": 1e400}}"#.into(),
            baseline: Invalid(&["too-large"]),
            examples: Invalid(&["too-large"]),
        },
        Case {
            name: "a JSON deal that is a list",
            ext: "json",
            text: r#"[{"proposal": "x"}]"#.into(),
            baseline: Invalid(&["not-a-mapping"]),
            examples: Invalid(&["not-a-mapping"]),
        },
        Case {
            name: "a deal without a proposal",
            ext: "json",
            text: r#"{"sector": "automotive"}"#.into(),
            baseline: Invalid(&["missing-required"]),
            examples: Invalid(&["missing-required"]),
        },
    ]
}

/// A deal report as (verdict, rules that do not pass, error codes, warning codes).
type Seen = (String, Vec<(String, String)>, Vec<String>, Vec<String>);

/// What a deal report says, in the shape of [`Expect`].
fn seen(report: &Value) -> Seen {
    let short = |v: &Value| {
        v["code"]
            .as_str()
            .unwrap()
            .trim_start_matches("covenant::deal::")
            .to_string()
    };
    let list = |key: &str| -> Vec<String> {
        report[key]
            .as_array()
            .map(|a| a.iter().map(short).collect())
            .unwrap_or_default()
    };
    let rules = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] != "pass")
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["outcome"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (
        report["verdict"].as_str().unwrap().to_string(),
        rules,
        list("errors"),
        list("warnings"),
    )
}

fn matches(expect: &Expect, report: &Value) -> bool {
    let (verdict, rules, errors, warnings) = seen(report);
    match expect {
        Invalid(codes) => verdict == "invalid" && errors == *codes,
        Checked(v, nonpass, warns) => {
            let want: Vec<(String, String)> = nonpass
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect();
            // "Every rule incomplete" is written as an empty list with verdict incomplete.
            let all_incomplete = nonpass.is_empty() && *v == "incomplete";
            let rules_ok = if all_incomplete {
                rules.iter().all(|(id, o)| {
                    o == "incomplete" || (id == "connected-vehicle" && o == "not-applicable")
                }) && rules.len() == report["rules"].as_array().unwrap().len()
            } else {
                rules == want
            };
            verdict == *v && rules_ok && errors.is_empty() && warnings == *warns
        }
    }
}

#[test]
fn adversarial_deals_have_exact_outcomes() {
    let dir = Dir::new("adversarial");
    let cases = cases();
    let files: Vec<String> = cases
        .iter()
        .enumerate()
        .map(|(i, c)| dir.file(&format!("{i:02}.{}", c.ext), &c.text))
        .collect();
    let args: Vec<&str> = files.iter().map(String::as_str).collect();
    for (policy, pick, flags) in [
        ("tests/differential/jv-baseline.policy", 0, &[][..]),
        (
            "examples/policies/us-auto-jv.policy",
            1,
            &["--include-proposed"][..],
        ),
    ] {
        let (_, reports, err) = check_jsonl(&repo(policy), &args, flags);
        assert_eq!(reports.len(), cases.len(), "{err}");
        let mut wrong = Vec::new();
        for (case, report) in cases.iter().zip(&reports) {
            let mut expect = if pick == 0 {
                case.baseline.clone()
            } else {
                case.examples.clone()
            };
            if pick == 1 {
                expect = rename_for_examples(expect);
            }
            if !matches(&expect, report) {
                wrong.push(format!(
                    "{}: expected {expect:?}, got {:?}",
                    case.name,
                    seen(report)
                ));
            }
        }
        assert!(wrong.is_empty(), "{policy}:\n{}", wrong.join("\n"));
    }
}

/// The examples policy names two rules differently from the baseline.
fn rename_for_examples(e: Expect) -> Expect {
    let Checked(v, rules, w) = e else { return e };
    let renamed: Vec<(&'static str, &'static str)> = rules
        .iter()
        .map(|(id, o)| {
            let id = match *id {
                "data-onshore" => "data-must-stay-onshore",
                "board-control" => "board-majority",
                "sensitive-data-review" => "cfius-filing",
                other => other,
            };
            (id, *o)
        })
        .filter(|(id, _)| !["tech-escrow", "us-plant", "subsidy-cap", "local-content"].contains(id))
        .collect();
    Checked(v, Box::leak(renamed.into_boxed_slice()), w)
}

#[test]
fn a_warning_never_changes_the_verdict_and_is_reported_in_every_format() {
    let dir = Dir::new("adversarial-warning");
    let deal = dir.file("stakes.yaml", edit("stake: \"49%\"", "stake: \"39%\""));
    let policy = repo("examples/policies/us-auto-jv.policy");
    for format in ["human", "json", "jsonl", "sarif", "junit", "markdown"] {
        let (code, out, _) = support::covenant(&[
            "check",
            "-p",
            &policy,
            "--include-proposed",
            "--color",
            "never",
            "--format",
            format,
            &deal,
        ]);
        assert_eq!(code, 0, "{format}: a warning must not change the exit code");
        assert!(out.contains("stakes-not-100"), "{format}:\n{out}");
    }
    let (code, _, _) = support::covenant(&[
        "check",
        "-p",
        &policy,
        "--include-proposed",
        "--deny-warnings",
        &deal,
    ]);
    assert_eq!(
        code, 0,
        "--deny-warnings is about warning rules, not deal warnings"
    );
}
