//! The evaluator of a deal is made only when a rule needs it (`eval::Lazy`): on deals where
//! the compiled quick pass decides every condition, nothing else may be lost. Each test is a
//! deal on which the quick pass alone would say less than the evaluator: the evidence pass of
//! a failing rule, a near miss, an approval that exempts or is refused, an approval naming no
//! rule, a computed window date, an overriding rule. Each also checks the whole evaluation
//! equals the evaluator's alone (`eval::evaluate_uncompiled`).

use covenant::eval::{self, outcome::Outcome};

use crate::approvals::{run, Ran};
use crate::common::*;

/// Every rule's conditions have a compiled form that decides them on the deals below.
const POLICY: &str = r#"
let foreign partner = parties where country != "US"
rule foreign-minority {
  waivable by ["CFIUS"]
  require foreign partner stake < 50%
}
rule two-parties {
  require count of parties >= 2
}
"#;

fn deal(dragon_stake: &str, dragon_country: &str, approvals: &str) -> String {
    format!(
        "proposal: \"JV\"\ndate: 2026-03-01\nparties:\n  - {{ name: \"Acme Motors\", country: US, stake: \"49%\" }}\n  - {{ name: \"Dragon Motors\", country: {dragon_country}, stake: \"{dragon_stake}\" }}\n{approvals}"
    )
}

/// [`run`], checked against the evaluator alone.
fn checked(policy_text: &str, yaml: &str) -> Ran {
    let ran = run(policy_text, yaml, None);
    let p = policy(policy_text);
    let d = load_yaml(&p, yaml);
    for proposed in [false, true] {
        let with = eval::evaluate_with_warnings(&p, &d, None, proposed);
        let without = eval::evaluate_uncompiled(&p, &d, None, proposed);
        assert_eq!(format!("{with:?}"), format!("{without:?}"), "{yaml}");
    }
    ran
}

#[test]
fn a_deal_where_every_rule_passes_quickly_has_no_evidence_and_no_warning() {
    let (outcomes, warnings, results, _) = checked(POLICY, &deal("40%", "CN", ""));
    assert_eq!(outcomes, ["foreign-minority=pass", "two-parties=pass"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(results.iter().all(|r| r.evidence.is_empty()));
}

#[test]
fn the_evidence_pass_of_a_failing_rule_makes_the_evaluator() {
    let (outcomes, warnings, results, _) = checked(POLICY, &deal("51%", "CN", ""));
    assert_eq!(outcomes, ["foreign-minority=fail", "two-parties=pass"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let r = &results[0];
    assert_eq!(r.outcome, Outcome::Fail);
    // The failing stake is shown, with how to fix it.
    assert!(
        r.evidence
            .iter()
            .any(|e| e.element.is_some() && e.value.is_some()),
        "{:?}",
        r.evidence
    );
    assert!(r.help.is_some());
}

#[test]
fn a_near_miss_is_warned_on_a_deal_that_otherwise_passes() {
    // `shady corp` nearly spells the policy's "Shady Corp": the compiled form leaves it to
    // the evaluator, which records the near miss (and cannot decide, SPEC §2.6).
    let policy = format!(
        "{POLICY}\nrule not-listed {{\n  require every party: name != \"Shady Corp\"\n}}\n"
    );
    let d = deal("40%", "CN", "").replace("Dragon Motors", "shady corp");
    let (outcomes, warnings, _, _) = checked(&policy, &d);
    assert_eq!(
        outcomes,
        [
            "foreign-minority=pass",
            "two-parties=pass",
            "not-listed=incomplete"
        ]
    );
    assert_eq!(
        warnings,
        [(
            "covenant::deal::near-miss".to_string(),
            "\"shady corp\"".to_string()
        )]
    );
}

#[test]
fn an_approval_exempts_a_failing_rule() {
    let approvals = "approvals:\n  - { id: \"W-1\", authority: \"CFIUS\", rules: [foreign-minority], granted: 2025-01-01, expires: 2030-01-01 }\n";
    let (outcomes, warnings, results, _) = checked(POLICY, &deal("51%", "CN", approvals));
    assert_eq!(outcomes, ["foreign-minority=exempt", "two-parties=pass"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert!(results[0].waiver().is_some());
}

#[test]
fn a_refused_approval_of_a_passing_rule_is_warned() {
    let approvals = "approvals:\n  - { id: \"W-1\", authority: \"CFIUS\", rules: [foreign-minority], granted: 2024-01-01, expires: 2026-01-01 }\n";
    let (outcomes, warnings, _, _) = checked(POLICY, &deal("40%", "CN", approvals));
    assert_eq!(outcomes, ["foreign-minority=pass", "two-parties=pass"]);
    assert_eq!(
        warnings,
        [(
            "covenant::waiver::expired".to_string(),
            "2026-01-01".to_string()
        )]
    );
}

#[test]
fn an_approval_of_a_rule_that_is_not_waivable_is_warned() {
    let approvals = "approvals:\n  - { id: \"W-1\", authority: \"CFIUS\", rules: [two-parties], granted: 2025-01-01, expires: 2030-01-01 }\n";
    let (outcomes, warnings, _, _) = checked(POLICY, &deal("40%", "CN", approvals));
    assert_eq!(outcomes, ["foreign-minority=pass", "two-parties=pass"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].0, "covenant::waiver::not-waivable");
}

#[test]
fn an_approval_naming_no_rule_of_the_policy_is_warned() {
    let approvals = "approvals:\n  - { id: \"W-1\", authority: \"CFIUS\", rules: [no-such-rule], granted: 2025-01-01, expires: 2030-01-01 }\n";
    let (outcomes, warnings, _, _) = checked(POLICY, &deal("40%", "CN", approvals));
    assert_eq!(outcomes, ["foreign-minority=pass", "two-parties=pass"]);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert_eq!(warnings[0].1, "no-such-rule");
}

#[test]
fn a_computed_window_date_outside_the_window_shows_how_it_was_computed() {
    let policy = format!(
        "{POLICY}\nrule later {{\n  effective 2027-01-01 on date + 30 days\n  require count of parties >= 2\n}}\n"
    );
    let (outcomes, _, results, _) = checked(&policy, &deal("40%", "CN", ""));
    assert_eq!(outcomes[2], "later=not-applicable");
    assert!(!results[2].evidence.is_empty(), "{:?}", results[2]);
}

#[test]
fn an_overriding_rule_is_judged_on_a_deal_the_quick_pass_decides() {
    let policy = format!(
        "{POLICY}\nrule small-partner {{\n  overrides foreign-minority\n  when count of parties >= 2\n  require count of parties >= 1\n}}\n"
    );
    let (outcomes, _, results, _) = checked(&policy, &deal("51%", "CN", ""));
    assert_eq!(
        outcomes,
        [
            "foreign-minority=not-applicable",
            "two-parties=pass",
            "small-partner=pass"
        ]
    );
    assert!(!results[0].counted);
}
