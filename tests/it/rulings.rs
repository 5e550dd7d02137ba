//! The rulings of SPEC §2.6 and the yes/no lists of §8, each checked three ways: the truth-only
//! pass of `check`, the evidence pass (JSON evidence) and `explain`'s trace must agree.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use crate::support;

use common::{compile_errors, load_yaml, policy};
use covenant::eval::{
    self,
    expr::{Evaluator, Quick, Tracing, WithEvidence},
};
use covenant::report::explain::{self as words, RuleTrace, TraceNode};
use covenant::report::written::{written, WrittenEvidence};
use miette::Diagnostic;

/// The single rule of a policy on a deal, as every evaluator sees it.
struct Judged {
    outcome: String,
    message: String,
    evidence: Vec<WrittenEvidence>,
    trace: RuleTrace,
}

impl Judged {
    fn notes(&self) -> String {
        let notes: Vec<&str> = self.evidence.iter().map(|e| e.note.as_str()).collect();
        notes.join("\n")
    }

    /// Every note of the trace, depth first.
    fn trace_notes(&self) -> String {
        fn walk(n: &TraceNode, out: &mut Vec<String>) {
            out.extend(n.notes.iter().cloned());
            for c in &n.children {
                walk(c, out);
            }
        }
        let mut out = Vec::new();
        let t = &self.trace;
        for n in t.when.iter().chain(&t.unless).chain(&t.require) {
            walk(n, &mut out);
        }
        out.extend(t.evidence.iter().cloned());
        out.join("\n")
    }
}

/// Evaluate the single rule of `policy_text` on `yaml`, asserting that the truth-only pass,
/// the evidence pass and `explain` give one answer (clause by clause, and for the rule).
fn judge(policy_text: &str, yaml: &str) -> Judged {
    let p = policy(policy_text);
    let d = load_yaml(&p, yaml);
    let results = eval::evaluate(&p, &d, None);
    assert_eq!(results.len(), 1, "expected one rule");
    let r = &results[0];
    let outcome = match r.exempt {
        Some(_) => "exempt",
        None => r.outcome.as_str(),
    };
    let rule = &p.rules[0];
    for c in rule.when.iter().chain(&rule.unless).chain(&rule.require) {
        let quick = Evaluator::new(&p, &d).truth::<Quick>(c).tv;
        let full = Evaluator::new(&p, &d).truth::<WithEvidence>(c).tv;
        assert_eq!(quick, full, "the two passes disagree on `{}`", c.text);
        let traced = Evaluator::new(&p, &d).truth::<Tracing>(c).tv;
        assert_eq!(quick, traced, "the trace disagrees on `{}`", c.text);
    }
    let trace = words::written(d.file(), &eval::trace::explain(&p, &d, None, None)).remove(0);
    assert_eq!(trace.outcome, outcome, "explain disagrees: {trace:#?}");
    let r = written(r);
    Judged {
        outcome: outcome.into(),
        message: r.message,
        evidence: r.evidence,
        trace,
    }
}

fn outcome(policy_text: &str, yaml: &str) -> String {
    judge(policy_text, yaml).outcome
}

const NO_PARTIES: &str =
    "proposal: \"t\"\ninvestment: \"USD 1B\"\nparties: []\nplants: []\nboard: { seats: 7 }\n";

/// Two American parties: `foreign partner` (below) is empty, `parties` is not.
const ALL_AMERICAN: &str = "proposal: \"t\"\nparties:\n  - { name: A, country: US, stake: \"60%\", voting: \"60%\", subsidies: \"USD 0\" }\n  - { name: B, country: US, stake: \"40%\", voting: \"40%\", subsidies: \"USD 0\" }\n";

const FOREIGN: &str = "let foreign partner = parties where country != \"US\"\n";

// ---- §2.6 empty totals under arithmetic ----------------------------------------------------

#[test]
fn zero_over_zero_is_a_division_by_zero_not_a_pass() {
    let j = judge(
        &format!(
            "{FOREIGN}rule share: total foreign partner subsidies / total party subsidies < 0.5"
        ),
        NO_PARTIES,
    );
    assert_eq!(j.outcome, "incomplete");
    assert!(j.message.contains("division by zero"), "{}", j.message);
    assert!(
        j.notes()
            .contains("division by zero: `total party subsidies` is 0"),
        "{}",
        j.notes()
    );
    assert!(
        j.trace_notes().contains("division by zero"),
        "{}",
        j.trace_notes()
    );
    // Percent over percent, and through a `let` filter that is empty on a deal with parties.
    let ratio = "rule r: total party stake / total party voting < 1";
    assert_eq!(outcome(ratio, NO_PARTIES), "incomplete");
    let foreign =
        format!("{FOREIGN}rule r: total foreign partner stake / total foreign partner voting < 1");
    assert_eq!(outcome(&foreign, ALL_AMERICAN), "incomplete");
    // With parties the ratio is a number: 100% / 100% = 1, not < 1.
    assert_eq!(outcome(ratio, ALL_AMERICAN), "fail");
}

#[test]
fn an_exemption_of_zero_over_zero_does_not_exempt() {
    let j = judge(
        "rule ex {\n  require false\n  unless total party stake / total party voting < 1\n}",
        NO_PARTIES,
    );
    assert_eq!(j.outcome, "fail");
    assert!(
        j.notes()
            .contains("exemption `total party stake / total party voting < 1` is unknown"),
        "{}",
        j.notes()
    );
    assert!(j.notes().contains("division by zero"), "{}", j.notes());
}

#[test]
fn zero_over_zero_in_when_not_and_let() {
    let when = "rule w {\n  when total party stake / total party voting < 1\n  require true\n}";
    assert_eq!(outcome(when, NO_PARTIES), "incomplete");
    let not = "rule n: not (total party stake / total party voting >= 1)";
    assert_eq!(outcome(not, NO_PARTIES), "incomplete");
    let let_ = "let ratio = total party stake / total party voting\nrule l: ratio < 1";
    assert_eq!(outcome(let_, NO_PARTIES), "incomplete");
    // A filter whose condition is `0 / 0` keeps its elements as maybes: the count is unknown.
    let filter = format!("{FOREIGN}let heavy = parties where total foreign partner stake / total foreign partner voting < 1\nrule f: count of heavy = 2");
    assert_eq!(outcome(&filter, ALL_AMERICAN), "incomplete");
}

#[test]
fn zero_over_zero_in_a_product_chain() {
    let chain = "rule c: total party stake * investment / total party board seats < USD 1B";
    let j = judge(chain, NO_PARTIES);
    assert_eq!(j.outcome, "incomplete");
    assert!(
        j.notes()
            .contains("division by zero: `total party board seats` is 0"),
        "{}",
        j.notes()
    );
    let money = "rule c: total party subsidies * 2 / total party subsidies < 1";
    assert_eq!(outcome(money, NO_PARTIES), "incomplete");
}

#[test]
fn the_zero_of_an_empty_total_keeps_the_unit_of_the_aggregate() {
    assert_eq!(
        outcome("rule lc: total plant local content / 2 < 10%", NO_PARTIES),
        "pass"
    );
    let j = judge("rule lc: total plant local content / 2 >= 10%", NO_PARTIES);
    assert_eq!(j.outcome, "fail");
    assert!(
        j.evidence.iter().any(|e| e.value.as_deref() == Some("0%")),
        "{:?}",
        j.evidence
    );
    assert_eq!(
        outcome("rule r: total party stake / 2 < 10%", NO_PARTIES),
        "pass"
    );
    // Money has no currency until it meets one.
    assert_eq!(
        outcome("rule r: total party subsidies / 2 < USD 1", NO_PARTIES),
        "pass"
    );
    assert_eq!(
        outcome("rule r: total party subsidies / investment = 0", NO_PARTIES),
        "pass"
    );
    assert_eq!(
        outcome("rule r: investment / total party subsidies > 1", NO_PARTIES),
        "incomplete"
    );
    assert_eq!(
        outcome("rule r: total party subsidies / 0 = USD 0", NO_PARTIES),
        "incomplete"
    );
    assert_eq!(
        outcome("rule r: total party stake / 0% = 0", NO_PARTIES),
        "incomplete"
    );
}

#[test]
fn division_by_zero_names_the_divisor_and_its_place() {
    let j = judge(
        "rule r: 10 / board seats > 1",
        "proposal: t\nboard: { seats: 0 }\n",
    );
    assert_eq!(j.outcome, "incomplete");
    let e = j
        .evidence
        .iter()
        .find(|e| e.note.contains("division by zero"))
        .unwrap();
    assert_eq!(e.note, "division by zero: `board seats` is 0");
    assert_eq!(e.path.as_deref(), Some("board.seats"));
    assert!(e.location.is_some());
}

#[test]
fn json_evidence_and_explain_of_zero_over_zero() {
    let dir = support::Dir::new("rulings-json");
    let p = dir.file(
        "p.policy",
        format!(
            "{FOREIGN}rule share: total foreign partner subsidies / total party subsidies < 0.5\n"
        ),
    );
    let d = dir.file("d.yaml", NO_PARTIES);
    let (code, out, err) = support::covenant(&["check", "-p", &p, &d, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rule = &json["deals"][0]["rules"][0];
    assert_eq!(rule["outcome"], "incomplete");
    let notes: Vec<&str> = rule["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(
        notes.iter().any(|n| n.contains("division by zero")),
        "{notes:?}"
    );
    let (_, out, _) = support::covenant(&["explain", "-p", &p, &d, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["rules"][0]["outcome"], "incomplete", "{json}");
    assert!(out.contains("division by zero"), "{out}");
}

// ---- §8 yes/no lists -------------------------------------------------------------------------

const YES_NO: &str =
    "policy \"yes/no\"\n  schema \"tests/fixtures/custom-schema/yes-no.schema.json\"\n\n";

fn yes_no_deal(parties: &[(&str, &str)]) -> String {
    let mut d = String::from("name: t\nflags: [false, false]\nparties:\n");
    for (stake, flags) in parties {
        d.push_str(&format!("  - {{ stake: \"{stake}\"{flags} }}\n"));
    }
    d
}

#[test]
fn a_yes_no_element_matches_only_when_true() {
    let all_false = yes_no_deal(&[
        ("60%", ", investing: false, blocking_rights: false"),
        ("40%", ", investing: false, blocking_rights: false"),
    ]);
    let one_true = yes_no_deal(&[
        ("60%", ", investing: false, blocking_rights: false"),
        ("40%", ", investing: true, blocking_rights: true"),
    ]);
    let r = |q: &str| format!("{YES_NO}rule r: {q}");
    for (q, if_false, if_true) in [
        ("some party investing", "fail", "pass"),
        ("at least 1 party investing", "fail", "pass"),
        ("at least 2 party investing", "fail", "fail"),
        ("at most 0 party investing", "pass", "fail"),
        ("exactly 1 party investing", "fail", "pass"),
        ("no party blocking rights", "pass", "fail"),
    ] {
        assert_eq!(outcome(&r(q), &all_false), if_false, "{q} on all false");
        assert_eq!(outcome(&r(q), &one_true), if_true, "{q} on one true");
    }
    let j = judge(&r("no party blocking rights"), &one_true);
    assert!(j.notes().contains("party #2"), "{}", j.notes());
}

#[test]
fn the_items_of_a_yes_no_quantifier_stay_the_records() {
    let d = yes_no_deal(&[("60%", ", investing: false"), ("5%", ", investing: true")]);
    let r = |q: &str| format!("{YES_NO}rule r: {q}");
    assert_eq!(outcome(&r("some party investing: stake > 10%"), &d), "fail");
    assert_eq!(outcome(&r("some party investing: stake < 10%"), &d), "pass");
    assert_eq!(
        outcome(&r("every party investing: stake < 10%"), &d),
        "pass"
    );
    assert_eq!(
        outcome(&r("some party investing where stake > 10%"), &d),
        "fail"
    );
    assert_eq!(
        outcome(&r("at least 1 party investing: stake > 50%"), &d),
        "fail"
    );
}

#[test]
fn an_unknown_yes_no_element_is_a_maybe() {
    let d = yes_no_deal(&[("60%", ", investing: false"), ("40%", "")]);
    let r = |q: &str| format!("{YES_NO}rule r: {q}");
    assert_eq!(outcome(&r("some party investing"), &d), "incomplete");
    assert_eq!(outcome(&r("no party investing"), &d), "incomplete");
    assert_eq!(outcome(&r("at least 1 party investing"), &d), "incomplete");
    assert_eq!(outcome(&r("at most 1 party investing"), &d), "pass");
    let j = judge(&r("some party investing"), &d);
    assert!(
        j.notes().contains("`investing` is missing"),
        "{}",
        j.notes()
    );
}

#[test]
fn standard_yes_no_fields_and_lists_of_yes_no_values() {
    let tech = |escrow: &str| {
        format!("proposal: t\ntechnology:\n  - {{ name: A, source_code_escrow: {escrow} }}\n  - {{ name: B, source_code_escrow: false }}\n")
    };
    assert_eq!(
        outcome("rule r: some technology source code escrow", &tech("false")),
        "fail"
    );
    assert_eq!(
        outcome("rule r: some technology source code escrow", &tech("true")),
        "pass"
    );
    assert_eq!(
        outcome("rule r: no technology source code escrow", &tech("false")),
        "pass"
    );
    // A list field of yes/no values, and a list literal: the items are the values.
    let d = yes_no_deal(&[]);
    assert_eq!(outcome(&format!("{YES_NO}rule r: some flag"), &d), "fail");
    assert_eq!(outcome(&format!("{YES_NO}rule r: no flag"), &d), "pass");
    assert_eq!(
        outcome("rule r: some ([false, false])", "proposal: t\n"),
        "fail"
    );
    assert_eq!(
        outcome("rule r: exactly 1 ([false, true])", "proposal: t\n"),
        "pass"
    );
}

#[test]
fn an_aggregate_of_yes_no_values_is_a_compile_error() {
    for agg in [
        "total party investing > 0",
        "count of party investing > 0",
        "max party investing = true",
        "average party investing > 0",
    ] {
        let errs = compile_errors(&format!("{YES_NO}rule r: {agg}"));
        assert_eq!(errs, ["covenant::type::bool-aggregate"], "{agg}");
    }
    let errs = compile_errors("rule r: count of technology source code escrow > 0");
    assert_eq!(errs, ["covenant::type::bool-aggregate"]);
    let help = help_of(&format!("{YES_NO}rule r: count of party investing > 0"));
    assert!(
        help.contains("count of (parties where investing)"),
        "{help}"
    );
    // Values that are not fields of records: a counting quantifier counts the true ones.
    let help = help_of(&format!("{YES_NO}rule r: count of flags > 0"));
    assert!(help.contains("`at least 1 flag`"), "{help}");
    let errs = compile_errors(&format!("{YES_NO}rule r: count of (flags where flag) > 0"));
    assert_eq!(errs, ["covenant::type::bool-aggregate"]);
    // Counting records stays allowed.
    policy(&format!(
        "{YES_NO}rule r: count of (parties where investing) > 0"
    ));
}

/// The help line of the first compile error of a policy.
fn help_of(text: &str) -> String {
    match covenant::resolve::compile_str("test.policy", text) {
        Ok(_) => panic!("compiled: {text}"),
        Err(d) => d[0].help().map(|h| h.to_string()).unwrap_or_default(),
    }
}

// ---- §2.6 a list field is not an element side ---------------------------------------------

#[test]
fn comparing_a_list_field_with_a_value_is_a_compile_error() {
    for rule in [
        "require waivers = \"X\"",
        "require waivers != \"X\"",
        "require \"X\" = waivers",
        "require parties = \"X\"",
        "require every data: transfers = \"CN\"",
        "require every data: transfers < \"CN\"",
        "require waivers in [\"X\"]",
        "when waivers = \"X\"\n  require true",
        "require waivers must be \"X\"",
    ] {
        let errs = compile_errors(&format!("rule r {{\n  {rule}\n}}"));
        assert_eq!(errs, ["covenant::type::list-comparison"], "{rule}");
    }
    let errs = compile_errors("let w = waivers\nrule r: w = \"X\"");
    assert_eq!(errs, ["covenant::type::list-comparison"]);
    let errs = compile_errors(&format!("{YES_NO}rule r: flags"));
    assert_eq!(errs, ["covenant::type::list-comparison"]);
    let help = help_of("rule r: waivers = \"X\"");
    assert!(help.contains("waivers contains \"X\""), "{help}");
}

#[test]
fn a_mapped_phrase_still_distributes() {
    let j = judge("rule r: party country = \"US\"", common::JV);
    assert_eq!(j.outcome, "fail");
    assert_eq!(
        outcome("rule r: data transfers = \"CN\"", common::JV),
        "pass"
    );
    assert_eq!(
        outcome("rule r: waivers contains \"X\"", "proposal: t\n"),
        "fail"
    );
}

#[test]
fn be_a_list_valued_phrase_is_membership() {
    let d = |chair: &str| {
        format!("proposal: t\nboard: {{ seats: 7{chair} }}\nparties:\n  - {{ name: A }}\n  - {{ name: B }}\n")
    };
    let r = "rule r: board chair must be party name";
    assert_eq!(outcome(r, &d(", chair: A")), "pass");
    assert_eq!(outcome(r, &d(", chair: C")), "fail");
    assert_eq!(outcome(r, &d("")), "incomplete");
    let not = "rule r: board chair must not be party name";
    assert_eq!(outcome(not, &d(", chair: A")), "fail");
    assert_eq!(outcome(not, &d(", chair: C")), "pass");
    let none = "proposal: t\nboard: { seats: 7, chair: A }\nparties: []\n";
    assert_eq!(outcome(r, none), "fail");
    let j = judge(r, &d(", chair: C"));
    assert!(j.notes().contains("not in"), "{}", j.notes());
}
