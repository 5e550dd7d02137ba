//! Approvals and waivers (SPEC §10): the `approvals` list, `waivable by`, the exemption
//! condition (authority, validity dates, party-scoped covering), the deal warnings of the
//! approvals that do not exempt, every report of an exempt result, and `lint --expiring`.
//! Fixtures: `tests/fixtures/approvals/`.

use covenant::deal::DealError;
use covenant::eval::{self, outcome::RuleResult};
use covenant::resolve::Policy;

use crate::common::*;

const FIXTURES: &str = "tests/fixtures/approvals";
const POLICY: &str = "tests/fixtures/approvals/approvals.policy";

/// The outcomes (`id=outcome`, `exempt` for an exempt pass), the deal warnings (`code`, with
/// the text they point at) and the results of `policy` on `yaml`.
fn run(
    policy_text: &str,
    yaml: &str,
    as_of: Option<&str>,
) -> (Vec<String>, Vec<(String, String)>, Vec<RuleResult>, Policy) {
    let p = policy(policy_text);
    let d = load_yaml(&p, yaml);
    let as_of = as_of.map(|s| s.parse().unwrap());
    let (results, warnings) = eval::evaluate_with_warnings(&p, &d, as_of);
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
    let w = r.waiver.as_deref().unwrap();
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
    assert_eq!(r[0].waiver.as_deref().unwrap().id.as_deref(), Some("NEW"));
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
    assert!(r[0].waiver.is_none());
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

/// Three parties, Dragon (CN) with a state-owned owner; rules over each party and over all.
const SCOPED: &str = "tests/fixtures/approvals/party-scoped.yaml";

#[test]
fn a_party_scoped_approval_exempts_a_failure_only_of_its_party() {
    let (o, w, r, _) = run(
        &std::fs::read_to_string(POLICY).unwrap(),
        &std::fs::read_to_string(SCOPED).unwrap(),
        None,
    );
    assert_eq!(
        o,
        [
            "american-control=fail",
            // `foreign partner stake < 50%`: only Dragon's 55% fails; Dragon is covered.
            "foreign-minority=exempt",
            // A total over the foreign partners is never covered.
            "foreign-total=fail",
            // `no foreign partner where some owner …`: only Dragon has a covered-nation owner.
            "no-covered-owners=exempt",
            "board-size=pass",
        ]
    );
    assert_eq!(
        r[1].waiver.as_deref().unwrap().parties,
        ["Dragon Motors".to_string()]
    );
    assert_eq!(
        w,
        [(
            "covenant::waiver::not-covered".into(),
            "[\"Dragon Motors\"]".into()
        )]
    );
    // The failing total says why the approval did not exempt it.
    let notes: Vec<String> = r[2]
        .evidence
        .iter()
        .map(covenant::report::prose::note)
        .collect();
    assert!(
        notes.iter().any(|n| n.starts_with(
            "approval `CFIUS-2025-17` is limited to Dragon Motors and does not exempt"
        )),
        "{notes:?}"
    );
}

/// A party-scoped approval for `parties` on the rules of `policy_text`, on a deal of three
/// parties: Acme (US, 40%), Dragon (CN, 55%, owned by FAW Group, CN) and Lotus (SG, 5%,
/// owned by a CN individual).
fn scoped(policy_text: &str, parties: &str) -> (Vec<String>, Vec<String>) {
    let yaml = format!(
        r#"proposal: "JV"
date: 2026-03-01
parties:
  - {{ name: "Acme Motors", country: US, stake: "40%", owners: [] }}
  - {{ name: "Dragon Motors", country: CN, stake: "55%", owners: [{{ name: "FAW Group", stake: "100%" }}] }}
  - {{ name: "Lotus Trading", country: SG, stake: "5%", owners: [{{ name: "Mr Li", stake: "100%" }}] }}
entities:
  - {{ name: "FAW Group", kind: state-owned, country: CN }}
  - {{ name: "Mr Li", kind: individual, country: CN }}
approvals:
  - {{ id: "P", authority: "CFIUS", rules: [r], parties: [{parties}], granted: 2025-01-01, expires: never }}
"#
    );
    let (o, w, _, _) = run(policy_text, &yaml, None);
    (o, w.into_iter().map(|(c, _)| c).collect())
}

fn waivable(require: &str) -> String {
    format!(
        "let foreign partner = parties where country != \"US\"\nlet covered nation = [\"CN\"]\nrule r {{\n  waivable by [\"CFIUS\"]\n  require {require}\n}}\n"
    )
}

#[test]
fn covering_counts_the_parties_in_every_universal_test() {
    for (require, parties, want) in [
        // Implicit each: only Dragon fails.
        ("foreign partner stake < 50%", "Dragon Motors", "exempt"),
        ("foreign partner stake < 50%", "Lotus Trading", "fail"),
        // `every` and `no`.
        ("every party: stake < 50%", "Dragon Motors", "exempt"),
        ("no party where stake >= 50%", "Dragon Motors", "exempt"),
        // A must-form over a mapped phrase read through the party's owners (`party owner
        // country`): Dragon's and Lotus's owners are both Chinese.
        (
            "foreign partner owner country must not be in covered nation",
            "Dragon Motors",
            "fail",
        ),
        (
            "foreign partner owner country must not be in covered nation",
            "Dragon Motors, Lotus Trading",
            "exempt",
        ),
        // Nested: the body of `every` covers too.
        (
            "every party: no owner where country in covered nation",
            "Dragon Motors, Lotus Trading",
            "exempt",
        ),
        // `and` and `or` pass covering on.
        (
            "foreign partner stake < 50% and board seats is missing",
            "Dragon Motors",
            "exempt",
        ),
    ] {
        let (o, _) = scoped(&waivable(require), parties);
        assert_eq!(o, [format!("r={want}")], "`{require}` for {parties}");
    }
}

#[test]
fn an_aggregate_or_an_existential_test_is_never_covered() {
    for require in [
        // A total, a count, a `per` value, a maximum over several parties.
        "total foreign partner stake < 50%",
        "count of (parties where stake >= 50%) = 0",
        "(total party stake per country) < 50%",
        "max party stake < 50%",
        // Existential and counting tests: covering would make a party appear.
        "some party where country = \"CN\": stake < 50%",
        "at most 0 parties where stake >= 50%",
        // Under `not`, covering would only make the requirement falser: not covered.
        "not (some party where stake >= 50%)",
    ] {
        let (o, w) = scoped(&waivable(require), "Dragon Motors");
        assert_eq!(o, ["r=fail"], "`{require}`");
        assert_eq!(w, ["covenant::waiver::not-covered"], "`{require}`");
    }
}

#[test]
fn a_party_scoped_approval_never_makes_a_rule_fail() {
    // A rule that passes stays a pass; one that holds only because a test is false under a
    // `not` is not turned into a failure (the approval is tried only to exempt).
    for require in [
        "every party: stake <= 55%",
        "not (every party: stake < 50%)",
        "some party where stake >= 50%",
    ] {
        let (o, w) = scoped(&waivable(require), "Dragon Motors");
        assert!(o == ["r=pass"] || o == ["r=exempt"], "`{require}`: {o:?}");
        assert!(w.is_empty(), "`{require}`: {w:?}");
    }
}

#[test]
fn a_party_scoped_approval_covers_a_missing_value_of_its_party() {
    let policy = waivable("foreign partner government stake < 25%");
    // No party has a `government_stake`: incomplete; covering Dragon leaves Lotus unknown.
    let (o, w) = scoped(&policy, "Dragon Motors");
    assert_eq!(o, ["r=incomplete"]);
    assert_eq!(w, ["covenant::waiver::not-covered"]);
    let (o, _) = scoped(&policy, "Dragon Motors, Lotus Trading");
    assert_eq!(o, ["r=exempt"]);
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

// ----- reports -----

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
            insta::assert_snapshot!(name, format!("exit {code}\n{out}"));
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

// ----- lint --expiring -----

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
