//! `covenant diff`: a policy change (a bound from 50% to 40%, a rule added, a rule removed)
//! over the example deals in every format, a policy diffed with itself, and invalid input.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use clap::Parser;
use common::covenant;
use covenant_cli::Cli;

const OLD: &str = "tests/fixtures/diff/old.policy";
const NEW: &str = "tests/fixtures/diff/new.policy";

fn diff(format: &str) -> (u8, String, String) {
    covenant(&[
        "diff",
        OLD,
        NEW,
        "examples/deals",
        "--format",
        format,
        "--color",
        "never",
    ])
}

#[test]
fn human() {
    let (code, out, err) = diff("human");
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("  foreign-minority: pass → fail ×"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn json() {
    let (code, out, err) = diff("json");
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rules"]["added"][0]["id"], "local-content");
    assert_eq!(v["rules"]["removed"][0]["id"], "equal-profit");
    assert_eq!(v["rules"]["changed"][0]["id"], "foreign-minority");
    // Only the text of foreign-minority changed: layout and comments do not count.
    assert_eq!(v["rules"]["changed"].as_array().unwrap().len(), 1);
    assert_eq!(v["summary"]["deals"], 16);
    insta::assert_snapshot!(out);
}

#[test]
fn markdown() {
    let (code, out, err) = diff("markdown");
    assert_eq!(code, 1, "{err}");
    assert!(out.starts_with("# Policy impact\n"), "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn output_is_deterministic() {
    assert_eq!(diff("human").1, diff("human").1);
    assert_eq!(diff("json").1, diff("json").1);
}

#[test]
fn a_policy_diffed_with_itself_exits_0() {
    for (old, new) in [
        ("examples/policies", "examples/policies"),
        (OLD, OLD),
        (
            "examples/policies/us-auto-jv.policy",
            "examples/policies/us-auto-jv.policy",
        ),
    ] {
        let (code, out, err) = covenant(&["diff", old, new, "examples/deals", "--color", "never"]);
        assert_eq!(code, 0, "{old} {new}\n{out}\n{err}");
        assert!(
            out.ends_with(
                "16 deals: 0 change verdict, 0 change rule outcomes, 16 unchanged, \
                 0 invalid under both; rules: 0 added, 0 removed, 0 changed\n"
            ),
            "{out}"
        );
        assert!(!out.contains("outcome changes"), "{out}");
    }
}

#[test]
fn invalid_deals_are_listed_and_do_not_count() {
    let (code, out, _) = covenant(&[
        "diff",
        OLD,
        OLD,
        "examples/invalid",
        "examples/deals/acme-dragon-51-49.yaml",
        "--color",
        "never",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("invalid under both policies (not compared)"),
        "{out}"
    );
    assert!(out.contains("  examples/invalid/malformed.json\n"), "{out}");
    assert!(out.contains("5 deals: 0 change verdict"), "{out}");
    assert!(out.contains("1 unchanged, 4 invalid under both"), "{out}");
}

#[test]
fn a_policy_that_does_not_compile_exits_2() {
    let (code, out, err) = covenant(&[
        "diff",
        OLD,
        "tests/fixtures/diagnostics/resolve/unknown-phrase.policy",
        "examples/deals",
        "--color",
        "never",
    ]);
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("unknown phrase `stak`"), "{err}");
    assert!(err.contains("error: the new policy"), "{err}");
}

#[test]
fn as_of_applies_to_both_versions() {
    // `--as-of` is validated and applies to both versions alike: no change on any date.
    let (code, _, _) = covenant(&[
        "diff",
        "examples/policies",
        "examples/policies",
        "examples/deals",
        "--as-of",
        "2026-10-01",
    ]);
    assert_eq!(code, 0);
    let (code, _, err) = covenant(&[
        "diff",
        "examples/policies",
        "examples/policies",
        "examples/deals",
        "--as-of",
        "2026-02-30",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--as-of"), "{err}");
}

#[test]
fn an_unknown_format_is_a_usage_error() {
    let r = Cli::try_parse_from(["covenant", "diff", OLD, NEW, "x.yaml", "--format", "sarif"]);
    assert!(r.is_err());
}
