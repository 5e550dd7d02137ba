//! Approvals and waivers (SPEC §10): the `approvals` list, `waivable by`, the exemption
//! condition (authority, validity dates, party-scoped covering), the deal warnings of the
//! approvals that do not exempt, every report of an exempt result, and `lint --expiring`.
//! Fixtures: `tests/fixtures/approvals/`.

use covenant::deal::DealError;
use covenant::eval::{self, outcome::RuleResult};
use covenant::resolve::Policy;

use crate::common::*;

mod covering;
mod reports;

pub(super) const FIXTURES: &str = "tests/fixtures/approvals";
pub(super) const POLICY: &str = "tests/fixtures/approvals/approvals.policy";

/// The outcomes (`id=outcome`, `exempt` for an exempt pass), the deal warnings (`code`, with
/// the text they point at), the results and the policy.
pub(super) type Ran = (Vec<String>, Vec<(String, String)>, Vec<RuleResult>, Policy);

/// [`Ran`] of `policy_text` on `yaml`.
pub(super) fn run(policy_text: &str, yaml: &str, as_of: Option<&str>) -> Ran {
    let p = policy(policy_text);
    let d = load_yaml(&p, yaml);
    let as_of = as_of.map(|s| s.parse().unwrap());
    let (results, warnings) = eval::evaluate_with_warnings(&p, &d, as_of, false);
    let outcomes = results
        .iter()
        .map(|r| {
            let o = if r.is_exempt() {
                "exempt"
            } else {
                r.outcome.as_str()
            };
            format!("{}={o}", p.rules[r.rule].id)
        })
        .collect();
    let warned = warnings.iter().map(|w| code_at(w, yaml)).collect();
    (outcomes, warned, results, p)
}

fn code_at(w: &DealError, text: &str) -> (String, String) {
    // The code a report shows is the code of the warning's kind, and it is a warning.
    let shown = miette::Diagnostic::code(w).map(|c| c.to_string());
    assert_eq!(shown.as_deref(), Some(w.code()));
    assert!(w.is_warning(), "{w:?}");
    let s = w.span();
    (w.code().to_string(), text[s.start..s.end].to_string())
}

/// A rule waivable by CFIUS that fails on a 51% foreign stake.
const MINORITY: &str = r#"
let foreign partner = parties where country != "US"
rule foreign-minority {
  waivable by ["CFIUS"]
  require foreign partner stake < 50%
}
"#;

/// A deal with Acme (US, 49%) and Dragon (CN, 51%), dated 2026-03-01, and `approvals`.
fn deal(approvals: &str) -> String {
    format!(
        "proposal: \"JV\"\ndate: 2026-03-01\nparties:\n  - {{ name: \"Acme Motors\", country: US, stake: \"49%\" }}\n  - {{ name: \"Dragon Motors\", country: CN, stake: \"51%\" }}\napprovals:\n{approvals}"
    )
}

/// One approval of `foreign-minority` by `authority`, valid [granted, expires).
fn approval(id: &str, authority: &str, granted: &str, expires: &str) -> String {
    format!(
        "  - {{ id: \"{id}\", authority: \"{authority}\", rules: [foreign-minority], granted: {granted}, expires: {expires}, reference: \"Case {id}\" }}\n"
    )
}

#[test]
fn a_valid_approval_exempts_and_reports_approver_reference_and_expiry() {
    let d = deal(&approval("W-1", "CFIUS", "2025-01-01", "2030-01-01"));
    let (outcomes, warnings, results, _) = run(MINORITY, &d, None);
    assert_eq!(outcomes, ["foreign-minority=exempt"]);
    assert!(warnings.is_empty(), "{warnings:?}");
    let r = &results[0];
    assert_eq!(r.outcome.as_str(), "pass");
    let w = r.waiver().unwrap();
    assert_eq!(w.id.as_deref(), Some("W-1"));
    assert_eq!(w.authority, "CFIUS");
    assert_eq!(w.granted.to_string(), "2025-01-01");
    assert_eq!(w.expires.to_string(), "2030-01-01");
    assert_eq!(w.reference.as_deref(), Some("Case W-1"));
    assert_eq!(w.on.to_string(), "2026-03-01");
    let message = covenant::report::prose::result_message(r);
    assert_eq!(
        message,
        "exempt: approval `W-1` by CFIUS (reference \"Case W-1\"), granted 2025-08-01, expires 2030-01-01"
            .replace("2025-08-01", "2025-01-01")
    );
}

#[test]
fn an_expired_approval_does_not_exempt_and_the_rule_fails() {
    let d = deal(&approval("W-1", "CFIUS", "2024-01-01", "2026-01-01"));
    let (outcomes, warnings, _, _) = run(MINORITY, &d, None);
    assert_eq!(outcomes, ["foreign-minority=fail"]);
    assert_eq!(
        warnings,
        [("covenant::waiver::expired".into(), "2026-01-01".into())]
    );
}

#[test]
fn an_approval_is_valid_from_granted_until_the_day_before_expires() {
    // E is the deal's date, 2026-03-01.
    let on_granted = deal(&approval("W-1", "CFIUS", "2026-03-01", "2027-01-01"));
    assert_eq!(
        run(MINORITY, &on_granted, None).0,
        ["foreign-minority=exempt"]
    );
    let day_before_granted = deal(&approval("W-1", "CFIUS", "2026-03-02", "2027-01-01"));
    let (o, w, _, _) = run(MINORITY, &day_before_granted, None);
    assert_eq!(o, ["foreign-minority=fail"]);
    assert_eq!(
        w,
        [(
            "covenant::waiver::not-yet-valid".into(),
            "2026-03-02".into()
        )]
    );
    let on_expires = deal(&approval("W-1", "CFIUS", "2025-01-01", "2026-03-01"));
    let (o, w, _, _) = run(MINORITY, &on_expires, None);
    assert_eq!(o, ["foreign-minority=fail"]);
    assert_eq!(w[0].0, "covenant::waiver::expired");
    let day_after = deal(&approval("W-1", "CFIUS", "2025-01-01", "2026-03-02"));
    assert_eq!(
        run(MINORITY, &day_after, None).0,
        ["foreign-minority=exempt"]
    );
}

#[test]
fn as_of_moves_the_evaluation_date_of_the_approval() {
    let d = deal(&approval("W-1", "CFIUS", "2025-01-01", "2027-01-01"));
    assert_eq!(
        run(MINORITY, &d, Some("2026-12-31")).0,
        ["foreign-minority=exempt"]
    );
    let (o, w, _, _) = run(MINORITY, &d, Some("2027-01-01"));
    assert_eq!(o, ["foreign-minority=fail"]);
    assert_eq!(w[0].0, "covenant::waiver::expired");
    let (o, w, _, _) = run(MINORITY, &d, Some("2024-12-31"));
    assert_eq!(o, ["foreign-minority=fail"]);
    assert_eq!(w[0].0, "covenant::waiver::not-yet-valid");
    // The deal's own date says nothing then: the approval is judged on the `--as-of` date.
    let undated = d.replace("date: 2026-03-01\n", "");
    assert_eq!(
        run(MINORITY, &undated, Some("2026-06-01")).0,
        ["foreign-minority=exempt"]
    );
}

#[test]
fn an_unknown_evaluation_date_exempts_nothing() {
    let undated =
        deal(&approval("W-1", "CFIUS", "2025-01-01", "never")).replace("date: 2026-03-01\n", "");
    let (o, w, _, _) = run(MINORITY, &undated, None);
    assert_eq!(o, ["foreign-minority=fail"]);
    assert_eq!(w[0].0, "covenant::waiver::incomplete");
}

#[test]
fn each_reason_gives_its_warning_at_the_approval() {
    let policy = format!("{MINORITY}\nrule board-size: board seats <= 11\n");
    let approvals = [
        approval("A", "CFIUS", "2024-01-01", "2025-01-01"),
        approval("B", "CFIUS", "2027-01-01", "2030-01-01"),
        approval("C", "Treasury", "2025-01-01", "2030-01-01"),
        "  - { id: \"D\", authority: \"CFIUS\", rules: [foreign-minority], granted: 2025-01-01 }\n"
            .to_string(),
        "  - { id: \"E\", authority: \"CFIUS\", rules: [board-size, foreign-minorty], granted: 2025-01-01, expires: never }\n"
            .to_string(),
    ]
    .concat();
    let d = deal(&approvals).replace("approvals:", "board: { seats: 7 }\napprovals:");
    let (o, w, _, _) = run(&policy, &d, None);
    assert_eq!(o, ["foreign-minority=fail", "board-size=pass"]);
    let codes: Vec<(&str, &str)> = w.iter().map(|(c, t)| (c.as_str(), t.as_str())).collect();
    assert_eq!(
        codes,
        [
            // Names of no loaded rule first, then per rule in policy order, approvals in deal
            // order.
            ("covenant::waiver::unknown-rule", "foreign-minorty"),
            ("covenant::waiver::expired", "2025-01-01"),
            ("covenant::waiver::not-yet-valid", "2027-01-01"),
            ("covenant::waiver::wrong-authority", "\"Treasury\""),
            ("covenant::waiver::incomplete", "{ id: \"D\", authority: \"CFIUS\", rules: [foreign-minority], granted: 2025-01-01 }"),
            ("covenant::waiver::not-waivable", "board-size"),
        ]
    );
}

#[test]
fn a_near_miss_of_the_authority_does_not_exempt() {
    let d = deal(&approval("W-1", "cfius ", "2025-01-01", "never"));
    let (o, w, _, _) = run(MINORITY, &d, None);
    assert_eq!(o, ["foreign-minority=fail"]);
    let codes: Vec<&str> = w.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "covenant::deal::near-miss",
            "covenant::waiver::wrong-authority"
        ]
    );
}

#[test]
fn the_first_exempting_approval_is_reported_and_the_others_still_warn() {
    let approvals = [
        approval("OLD", "CFIUS", "2020-01-01", "2021-01-01"),
        approval("NEW", "CFIUS", "2025-01-01", "2030-01-01"),
        approval("NEWER", "CFIUS", "2025-06-01", "never"),
    ]
    .concat();
    let (o, w, r, _) = run(MINORITY, &deal(&approvals), None);
    assert_eq!(o, ["foreign-minority=exempt"]);
    assert_eq!(r[0].waiver().unwrap().id.as_deref(), Some("NEW"));
    assert_eq!(
        w,
        [("covenant::waiver::expired".into(), "2021-01-01".into())]
    );
}

#[test]
fn an_unless_that_holds_exempts_before_any_approval() {
    let policy = MINORITY.replace(
        "  require foreign",
        "  unless waivers contains \"X\"\n  require foreign",
    );
    let d = deal(&approval("W-1", "CFIUS", "2025-01-01", "never"))
        .replace("approvals:", "waivers: [\"X\"]\napprovals:");
    let (o, w, r, _) = run(&policy, &d, None);
    assert_eq!(o, ["foreign-minority=exempt"]);
    assert_eq!(r[0].exempt.as_deref(), Some("waivers contains \"X\""));
    assert!(r[0].waiver().is_none());
    assert!(w.is_empty(), "a valid approval gives no warning: {w:?}");
}

#[test]
fn an_approval_exempts_a_rule_whose_when_is_unknown_but_not_one_that_does_not_apply() {
    let policy = MINORITY.replace("  require", "  when sector = \"automotive\"\n  require");
    let d = deal(&approval("W-1", "CFIUS", "2025-01-01", "never"));
    assert_eq!(run(&policy, &d, None).0, ["foreign-minority=exempt"]);
    let battery = d.replace("approvals:", "sector: battery\napprovals:");
    let (o, w, _, _) = run(&policy, &battery, None);
    assert_eq!(o, ["foreign-minority=not-applicable"]);
    assert!(w.is_empty(), "{w:?}");
    // A window that has closed: not applicable, and the approval is not judged against it.
    let windowed = MINORITY.replace(
        "  require",
        "  effective 2020-01-01 until 2021-01-01\n  require",
    );
    assert_eq!(
        run(&windowed, &d, None).0,
        ["foreign-minority=not-applicable"]
    );
}

#[test]
fn approvals_are_data_rules_can_read() {
    let policy = r#"
rule deemed: some approval where kind = "ICA-DEEMING" and expires > date
rule never-is-after-every-date: some approval where expires > 9999-12-31
rule never-equals-no-date: every approval where expires = 9999-12-31: id = "CFIUS-2025-17"
rule ids: approval id contains "ICA-2025-3"
rule dated-expiry: some approval where expires < 2021-01-01
"#;
    let yaml = std::fs::read_to_string(format!("{FIXTURES}/lint/expiring.yaml")).unwrap();
    let (o, w, _, _) = run(policy, &yaml, None);
    assert_eq!(
        o,
        [
            "deemed=pass",
            "never-is-after-every-date=pass",
            "never-equals-no-date=pass",
            "ids=pass",
            "dated-expiry=pass",
        ]
    );
    // The approvals naming rules this policy does not have say so.
    assert_eq!(
        w.iter().map(|(c, _)| c.as_str()).collect::<Vec<_>>(),
        [
            "covenant::waiver::unknown-rule",
            "covenant::waiver::unknown-rule"
        ]
    );
    // `never` differs from every date.
    assert_eq!(
        one("rule r: every approval: expires != granted", &yaml),
        "pass"
    );
}

#[test]
fn waivable_by_takes_a_list_of_strings_written_in_the_policy() {
    let rule = |by: &str| {
        format!("let regulators = [\"CFIUS\"]\nlet chair = board chair\nrule r {{\n  waivable by {by}\n  require board seats > 3\n}}\n")
    };
    for ok in ["[\"CFIUS\", \"Treasury\"]", "regulators", "[]"] {
        policy(&rule(ok));
    }
    for bad in [
        "\"CFIUS\"",
        "[1, 2]",
        "approval authority",
        "[chair]",
        "board chair",
    ] {
        assert_eq!(
            compile_errors(&rule(bad)),
            ["covenant::type::bad-authorities"],
            "{bad}"
        );
    }
    let twice =
        "rule r {\n  waivable by [\"A\"]\n  waivable by [\"B\"]\n  require board seats > 3\n}\n";
    let e = covenant::resolve::compile_str("t.policy", twice).unwrap_err();
    assert!(format!("{e:?}").contains("DuplicateClause"), "{e:?}");
}

#[test]
fn a_singular_of_the_enclosing_item_and_of_a_list_field_is_a_compile_error() {
    assert_eq!(
        compile_errors("rule r: every party: some approval where party contains name\n"),
        ["covenant::resolve::ambiguous-definition"]
    );
    // Named apart with `as`, each reads one way.
    policy("rule r: every party as p: some approval where party contains p name\n");
    // Without an enclosing `party`, the approval's list field is meant (SPEC §2.3 rule 1).
    policy("rule r: some approval where party contains \"Dragon Motors\"\n");
}

#[test]
fn an_unknown_approval_party_makes_the_deal_invalid() {
    let (code, out, _) = covenant(&[
        "check",
        "-p",
        POLICY,
        &format!("{FIXTURES}/unknown-party.yaml"),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let errors = &v["deals"][0]["errors"];
    assert_eq!(errors[0]["code"], "covenant::deal::unknown-entity");
    assert!(errors[0]["help"]
        .as_str()
        .unwrap()
        .starts_with("did you mean `Dragon Motors`?"));
}

#[test]
fn waivable_by_is_formatted_and_read_back() {
    let text =
        "rule r {\n  waivable   by  [\"CFIUS\" ,\"Treasury\"]\n  require board seats > 3\n}\n";
    let source = covenant::source::SourceFile::new("t.policy", text);
    let formatted = covenant::syntax::format::format_policy(&source).unwrap();
    assert_eq!(
        formatted,
        "rule r {\n  waivable by [\"CFIUS\", \"Treasury\"]\n  require board seats > 3\n}\n"
    );
    // A bare rule that starts with the clause word back-quotes it.
    assert!(covenant::resolve::compile_str("t.policy", "waivable by [\"A\"]\n").is_err());
}
