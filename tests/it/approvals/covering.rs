//! Party-scoped approvals (SPEC §10): which tests count the named parties as meeting them,
//! and that such an approval only ever exempts.

use super::{run, POLICY};

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
        r[1].waiver().unwrap().parties,
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
        // `is present` over a mapped list tests each party: no party has a government stake.
        (
            "foreign partner government stake is present",
            "Dragon Motors",
            "fail",
        ),
        (
            "foreign partner government stake is present",
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
