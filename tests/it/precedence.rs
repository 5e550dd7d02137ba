//! Precedence (SPEC §14): a rule that applies overrides the rules its `overrides` names; an
//! override whose applicability is unknown turns an overridden failure into `incomplete`;
//! ids are checked, cycles refused; every command and report sees the result.

use crate::common::{self, compile_errors, covenant};
use crate::support::Dir;
use covenant::eval;
use serde_json::Value;

const POLICY: &str = "tests/fixtures/precedence/precedence.policy";

fn deal(name: &str) -> String {
    format!("tests/fixtures/precedence/{name}")
}

/// `covenant check -p POLICY DEAL --format json EXTRA…`: the exit code and the deal's report.
fn check(name: &str, extra: &[&str]) -> (u8, Value) {
    let d = deal(name);
    let mut args = vec!["check", "-p", POLICY, &d, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = covenant(&args);
    assert!(code < 2, "exit {code}: {err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    (code, v["deals"][0].clone())
}

/// `id=outcome/counted` for every rule, in policy order, counting proposed rules or not.
fn outcomes(policy: &str, yaml: &str, include_proposed: bool) -> Vec<String> {
    let p = common::policy(policy);
    let d = common::load_yaml(&p, yaml);
    let (results, _) = eval::evaluate_with_warnings(&p, &d, None, include_proposed);
    results
        .iter()
        .map(|r| {
            let counted = if r.counted { "" } else { " (not counted)" };
            format!("{}={}{counted}", p.rules[r.rule].id, r.outcome.as_str())
        })
        .collect()
}

#[test]
fn an_override_that_applies_makes_the_rule_not_applicable() {
    let (code, report) = check("treaty-applies.yaml", &[]);
    assert_eq!((code, report["verdict"].as_str()), (0, Some("compliant")));
    let statute = &report["rules"][0];
    assert_eq!(statute["outcome"], "not-applicable");
    assert_eq!(statute["counted"], false);
    assert_eq!(statute["status"], "in-force");
    assert_eq!(statute["message"], "overridden by `treaty-cap`");
    assert_eq!(statute["evidence"][0]["note"], "overridden by `treaty-cap`");
    let treaty = &report["rules"][1];
    assert_eq!(
        (&treaty["outcome"], &treaty["counted"]),
        (&"pass".into(), &true.into())
    );
}

#[test]
fn an_override_that_does_not_apply_leaves_the_rule_standing() {
    let (code, report) = check("treaty-does-not-apply.yaml", &[]);
    assert_eq!(
        (code, report["verdict"].as_str()),
        (1, Some("non-compliant"))
    );
    let statute = &report["rules"][0];
    assert_eq!(
        (&statute["outcome"], &statute["counted"]),
        (&"fail".into(), &true.into())
    );
    assert_eq!(report["rules"][1]["outcome"], "not-applicable");
}

#[test]
fn an_unknown_override_makes_a_failure_incomplete() {
    let (code, report) = check("treaty-unknown.yaml", &[]);
    assert_eq!((code, report["verdict"].as_str()), (1, Some("incomplete")));
    let statute = &report["rules"][0];
    assert_eq!(statute["outcome"], "incomplete");
    assert_eq!(statute["counted"], true);
    assert_eq!(
        statute["message"],
        "`every party where country != \"US\": stake < 50%` does not hold, but rule \
         `treaty-cap` may override this rule: whether it applies is unknown"
    );
    let first = &statute["evidence"][0];
    assert_eq!(first["reason"], "may-be-overridden");
    assert_eq!(
        first["note"],
        "rule `treaty-cap` may override this rule: whether it applies is unknown"
    );
    // The failure's own evidence follows, and its fix.
    assert!(statute["evidence"][1]["note"]
        .as_str()
        .unwrap()
        .contains("not < 50%"));
    assert!(statute["help"].as_str().unwrap().contains("below 50%"));
    assert_eq!(report["rules"][1]["outcome"], "incomplete");
}

#[test]
fn an_unknown_override_leaves_a_pass_alone() {
    let (code, report) = check("treaty-unknown-minority.yaml", &[]);
    assert_eq!(report["rules"][0]["outcome"], "pass");
    assert_eq!(report["rules"][0]["counted"], true);
    // The overriding rule is itself incomplete: the deal is never compliant by mistake.
    assert_eq!(report["rules"][1]["outcome"], "incomplete");
    assert_eq!((code, report["verdict"].as_str()), (1, Some("incomplete")));
}

const CHAIN: &str = "\
rule a {\n  overrides b\n  when sector = \"a\"\n  require board seats <= 11\n}\n\
rule b {\n  overrides c\n  when sector in [\"a\", \"b\"]\n  require board seats <= 5\n}\n\
rule c: board seats <= 3\n";

fn chain_deal(sector: &str) -> String {
    let sector = if sector.is_empty() {
        String::new()
    } else {
        format!("sector: \"{sector}\"\n")
    };
    format!("proposal: \"p\"\n{sector}board: {{ seats: 7 }}\n")
}

#[test]
fn a_chain_of_overrides() {
    // `a` applies: `b` is overridden, so it overrides nothing, and `c` stands.
    assert_eq!(
        outcomes(CHAIN, &chain_deal("a"), false),
        ["a=pass", "b=not-applicable (not counted)", "c=fail"]
    );
    // `a` does not apply: `b` applies and overrides `c`.
    assert_eq!(
        outcomes(CHAIN, &chain_deal("b"), false),
        [
            "a=not-applicable",
            "b=fail",
            "c=not-applicable (not counted)"
        ]
    );
    // Neither applies.
    assert_eq!(
        outcomes(CHAIN, &chain_deal("z"), false),
        ["a=not-applicable", "b=not-applicable", "c=fail"]
    );
    // Whether `a` applies is unknown: `b` may be overridden, so whether it overrides `c` is
    // unknown too, and the failures of both are incomplete.
    assert_eq!(
        outcomes(CHAIN, &chain_deal(""), false),
        ["a=incomplete", "b=incomplete", "c=incomplete"]
    );
    let p = common::policy(CHAIN);
    let d = common::load_yaml(&p, &chain_deal(""));
    let results = eval::evaluate(&p, &d, None);
    let c = covenant::report::prose::result_message(&results[2]);
    assert!(c.contains("rule `b` may override this rule"), "{c}");
}

#[test]
fn a_proposed_rule_overrides_only_when_proposed_rules_count() {
    let policy = "rule cap: every party where country != \"US\": stake < 50%\n\
        rule bill {\n  status proposed\n  overrides cap\n  require every party where country != \"US\": stake <= 50%\n}\n";
    let yaml = "proposal: \"p\"\nparties:\n  - { name: \"A\", country: \"US\", stake: \"50%\" }\n  - { name: \"B\", country: \"CN\", stake: \"50%\" }\n";
    assert_eq!(
        outcomes(policy, yaml, false),
        ["cap=fail", "bill=pass (not counted)"]
    );
    assert_eq!(
        outcomes(policy, yaml, true),
        ["cap=not-applicable (not counted)", "bill=pass"]
    );
}

#[test]
fn an_overriding_rule_overrides_while_it_applies_whatever_its_outcome() {
    // Failing, exempt or passing: it applies, so the rule it names does not.
    for (require, unless, expected) in [
        ("board seats <= 5", "", "strict=fail"),
        ("board seats <= 5", "\n  unless cfius filed", "strict=pass"),
        ("board seats <= 11", "", "strict=pass"),
    ] {
        let policy = format!(
            "rule lenient: board seats <= 9\nrule strict {{\n  overrides lenient\n  require {require}{unless}\n}}\n"
        );
        let yaml = "proposal: \"p\"\ncfius_filed: true\nboard: { seats: 7 }\n";
        assert_eq!(
            outcomes(&policy, yaml, false),
            ["lenient=not-applicable (not counted)", expected]
        );
    }
}

#[test]
fn the_window_of_an_overriding_rule() {
    let policy = "rule cap: board seats <= 5\n\
        rule waiver {\n  overrides cap\n  effective 2026-01-01 until 2027-01-01\n  require board seats <= 11\n}\n";
    let dated = |d: &str| format!("proposal: \"p\"\ndate: {d}\nboard: {{ seats: 7 }}\n");
    assert_eq!(
        outcomes(policy, &dated("2026-06-01"), false),
        ["cap=not-applicable (not counted)", "waiver=pass"]
    );
    assert_eq!(
        outcomes(policy, &dated("2027-01-01"), false),
        ["cap=fail", "waiver=not-applicable"]
    );
    // No date: whether the window holds is unknown.
    assert_eq!(
        outcomes(policy, "proposal: \"p\"\nboard: { seats: 7 }\n", false),
        ["cap=incomplete", "waiver=incomplete"]
    );
    // --as-of decides the window, as for every rule.
    let p = common::policy(policy);
    let d = common::load_yaml(&p, &dated("2027-01-01"));
    let results = eval::evaluate(&p, &d, Some(jiff::civil::date(2026, 6, 1)));
    assert_eq!(results[0].overridden_by(), Some("waiver"));
}

#[test]
fn several_rules_may_override_one() {
    let policy = "rule cap: board seats <= 5\n\
        rule first {\n  overrides cap\n  when cfius filed\n  require board seats <= 11\n}\n\
        rule second {\n  overrides cap\n  when sector = \"y\"\n  require board seats <= 11\n}\n";
    let p = common::policy(policy);
    let cap = |yaml: &str| {
        let results = eval::evaluate(&p, &common::load_yaml(&p, yaml), None);
        results.into_iter().next().unwrap()
    };
    // Both apply: the first in policy order is named.
    let both = cap("proposal: \"p\"\ncfius_filed: true\nsector: \"y\"\nboard: { seats: 7 }\n");
    assert_eq!(both.overridden_by(), Some("first"));
    // One overrides: the other's unknown applicability does not matter.
    let second = cap("proposal: \"p\"\nsector: \"y\"\nboard: { seats: 7 }\n");
    assert_eq!(second.overridden_by(), Some("second"));
    // Neither applies for sure, both may: both are named.
    let neither = cap("proposal: \"p\"\nboard: { seats: 7 }\n");
    let message = covenant::report::prose::result_message(&neither);
    assert!(
        message.contains("rules `first` and `second` may override this rule"),
        "{message}"
    );
    // Neither applies: the rule stands.
    let none = cap("proposal: \"p\"\ncfius_filed: false\nsector: \"z\"\nboard: { seats: 7 }\n");
    assert_eq!(none.outcome.as_str(), "fail");
}

#[test]
fn reports_keep_policy_order_when_a_later_rule_overrides_an_earlier_one() {
    let policy = "rule z-first: board seats <= 5\nrule a-second {\n  overrides z-first\n  require board seats <= 11\n}\nrule m-third: board seats >= 1\n";
    let p = common::policy(policy);
    assert_eq!(p.order, [1, 0, 2]);
    assert_eq!(
        outcomes(policy, "proposal: \"p\"\nboard: { seats: 7 }\n", false),
        [
            "z-first=not-applicable (not counted)",
            "a-second=pass",
            "m-third=pass"
        ]
    );
}

#[test]
fn unknown_ids_and_cycles_do_not_compile() {
    assert_eq!(
        compile_errors("rule a {\n  overrides b\n  require board seats <= 5\n}\n"),
        ["covenant::resolve::unknown-rule"]
    );
    assert_eq!(
        compile_errors("rule a {\n  overrides a\n  require board seats <= 5\n}\n"),
        ["covenant::resolve::override-cycle"]
    );
    let three = "rule a {\n  overrides b\n  require board seats <= 5\n}\n\
        rule b {\n  overrides c\n  require board seats <= 5\n}\n\
        rule c {\n  overrides a\n  require board seats <= 5\n}\n";
    let errors = match covenant::resolve::compile_str("p.policy", three) {
        Ok(_) => panic!("a cycle compiled"),
        Err(d) => d,
    };
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        text,
        ["rules override each other in a cycle: `a` → `b` → `c` → `a`"]
    );
    // An id named twice is one override; a rule overriding a rule of another file works.
    let twice = "rule a {\n  overrides b, b\n  overrides b\n  require board seats <= 11\n}\nrule b: board seats <= 5\n";
    assert_eq!(common::policy(twice).rules[0].overrides, [1]);
}

#[test]
fn long_chains_and_long_cycles() {
    // 3,000 rules, each overriding the next: the first applies, so every other one is
    // overridden or stands by turns.
    let n = 3_000;
    let mut text = String::new();
    for i in 0..n {
        if i + 1 < n {
            text.push_str(&format!(
                "rule r{i} {{\n  overrides r{}\n  require board seats <= 11\n}}\n",
                i + 1
            ));
        } else {
            text.push_str(&format!("rule r{i}: board seats <= 11\n"));
        }
    }
    let p = common::policy(&text);
    assert_eq!(p.order, (0..n).collect::<Vec<_>>());
    let d = common::load_yaml(&p, "proposal: \"p\"\nboard: { seats: 7 }\n");
    let results = eval::evaluate(&p, &d, None);
    let overridden = results
        .iter()
        .filter(|r| r.overridden_by().is_some())
        .count();
    assert_eq!(overridden, n / 2);
    assert_eq!(results[1].overridden_by(), Some("r0"));
    assert_eq!(results[2].overridden_by(), None);
    // Closed into a ring, it is one cycle, its chain shortened in the message.
    let ring = text.replace(
        &format!("rule r{}: board seats <= 11\n", n - 1),
        &format!(
            "rule r{} {{\n  overrides r0\n  require board seats <= 11\n}}\n",
            n - 1
        ),
    );
    let errors = match covenant::resolve::compile_str("ring.policy", &ring) {
        Ok(_) => panic!("a ring compiled"),
        Err(d) => d,
    };
    let text: Vec<String> = errors.iter().map(|d| d.to_string()).collect();
    assert_eq!(text.len(), 1, "{text:?}");
    assert!(
        text[0].starts_with("rules override each other in a cycle: `r0` → `r1` → "),
        "{}",
        text[0]
    );
    assert!(
        text[0].ends_with("`r19` → … 2979 more → `r2999` → `r0`"),
        "{}",
        text[0]
    );
}

#[test]
fn overrides_reach_rules_of_other_files() {
    let dir = Dir::new("precedence-files");
    dir.file("statute.policy", "rule statute-cap: board seats <= 5\n");
    let treaty = dir.file(
        "treaty.policy",
        "rule treaty-cap {\n  overrides statute-cap\n  require board seats <= 11\n}\n",
    );
    let d = dir.file("d.yaml", "proposal: \"p\"\nboard: { seats: 7 }\n");
    let folder = dir.path("");
    let (code, out, err) = covenant(&["check", "-p", &folder, &d, "--verbose", "--color", "never"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.contains("not-applicable  statute-cap: overridden by `treaty-cap`"),
        "{out}"
    );
    // Alone, the overriding file names a rule that is not loaded.
    let (code, _, err) = covenant(&["check", "-p", &treaty, &d, "--color", "never"]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::resolve::unknown-rule"), "{err}");
}

#[test]
fn lint_fmt_explain_diff_and_suites_see_precedence() {
    // lint: a policy with overrides is clean; a cycle is its compile error.
    let report = covenant::lint::lint(&[POLICY.into()], jiff::civil::date(2026, 6, 1));
    let codes: Vec<&str> = report.findings.iter().map(|f| f.code.as_str()).collect();
    assert!(codes.is_empty(), "{codes:?}");
    let cyclic = covenant::lint::lint_str(
        "c.policy",
        "rule a {\n  cite \"x\"\n  overrides a\n  require board seats <= 5\n}\n",
        jiff::civil::date(2026, 6, 1),
    );
    let codes: Vec<&str> = cyclic.findings.iter().map(|f| f.code.as_str()).collect();
    assert_eq!(codes, ["covenant::resolve::override-cycle"]);
    assert_eq!(cyclic.exit_code(), 2);
    // fmt: one space after each comma, a line end after a comma kept out.
    let source = covenant::source::SourceFile::policy(
        "f.policy",
        "rule a {\n  overrides   b ,c,\n      d\n  require x\n}\n",
    );
    let formatted = covenant::syntax::format::format_policy(&source).unwrap();
    assert_eq!(formatted, "rule a {\n  overrides b, c, d\n  require x\n}\n");
    // explain: the overridden rule says so, its clauses still traced.
    let d = deal("treaty-applies.yaml");
    let (code, out, _) = covenant(&["explain", "-p", POLICY, &d]);
    assert_eq!(code, 0);
    assert!(
        out.contains(
            "rule statute-cap [error]: not-applicable\n  overridden by `treaty-cap`\n  require"
        ),
        "{out}"
    );
    let (_, out, _) = covenant(&["explain", "-p", POLICY, &d, "--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["rules"][0]["overridden_by"], "treaty-cap");
    assert_eq!(v["rules"][0]["counted"], false);
    // diff: adding the override moves the statute's failure to not-applicable.
    let dir = Dir::new("precedence-diff");
    let old = dir.file("old.policy", "rule cap: board seats <= 5\n");
    let new = dir.file(
        "new.policy",
        "rule cap: board seats <= 5\nrule waiver {\n  overrides cap\n  require board seats <= 11\n}\n",
    );
    let seven = dir.file("d.yaml", "proposal: \"p\"\nboard: { seats: 7 }\n");
    let (code, out, _) = covenant(&["diff", &old, &new, &seven, "--format", "json"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap();
    let changes: Vec<(String, String)> = v["deals"][0]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["rule"].to_string(),
                format!("{} → {}", c["old"], c["new"]),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("\"cap\"".into(), "\"fail\" → \"not-applicable\"".into()),
            ("\"waiver\"".into(), "null → \"pass\"".into()),
        ]
    );
    // suites: a case expects the overridden rule not applicable.
    let root = std::env::current_dir().unwrap();
    let suite = format!(
        "policy: {}\ncases:\n  - name: the treaty overrides the statute\n    deal: {}\n    expect:\n      verdict: compliant\n      rules: {{ statute-cap: not-applicable, treaty-cap: pass }}\n",
        root.join(POLICY).display(),
        root.join(deal("treaty-applies.yaml")).display()
    );
    let path = dir.file("p.test.yaml", suite);
    let (code, out, err) = covenant(&["test", &path, "--color", "never"]);
    assert_eq!(code, 0, "{out}{err}");
}

#[test]
fn every_report_format_shows_precedence() {
    for format in ["human", "json", "jsonl", "sarif", "junit", "markdown"] {
        for name in ["treaty-applies.yaml", "treaty-unknown.yaml"] {
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
fn explain_of_an_unknown_override() {
    let d = deal("treaty-unknown.yaml");
    let (code, out, _) = covenant(&["explain", "-p", POLICY, &d]);
    assert_eq!(code, 1, "an unknown override is incomplete, as for check");
    insta::assert_snapshot!(out);
}
