//! Naming items (SPEC §8): `as` on quantifiers and filters, the items that need a name
//! (`covenant::resolve::unnamed-item`), names that read like fields, and the
//! `covenant::lint::shadowed-item` warning on every command.

use crate::common::*;

const FIXTURES: &str = "tests/fixtures/names";

fn deal(parties: &str) -> String {
    format!("proposal: \"t\"\nparties:\n{parties}")
}

/// Two parties: Liberty (US, 60%) and Pearl River (CN, 40%), with prior and current voting.
fn two_parties() -> String {
    deal(
        "  - { name: \"Liberty\", country: \"US\", stake: \"60%\", voting: \"60%\", prior_voting: \"60%\" }\n  \
         - { name: \"Pearl River\", country: \"CN\", stake: \"40%\", voting: \"40%\", prior_voting: \"10%\", vetoes: [\"annual budget\"] }\n",
    )
}

/// The codes of the warnings of a policy that compiles.
fn warnings(text: &str) -> Vec<String> {
    use miette::Diagnostic;
    match covenant::resolve::compile_str("test.policy", text) {
        Ok(c) => c
            .warnings
            .iter()
            .map(|d| d.code().map(|c| c.to_string()).unwrap_or_default())
            .collect(),
        Err(e) => panic!("does not compile: {e:?}"),
    }
}

#[test]
fn as_names_the_values_of_a_list_literal() {
    // SPEC §8's example: Pearl River crosses the 20% and 25% tiers (10% → 40%).
    let crossing =
        "rule r: every party: no [20%, 25%, 40%] as tier: prior voting < tier and voting >= tier";
    assert_eq!(one(crossing, &two_parties()), "fail");
    let unchanged = two_parties().replace("prior_voting: \"10%\"", "prior_voting: \"40%\"");
    assert_eq!(one(crossing, &unchanged), "pass");
}

#[test]
fn counting_quantifiers_and_filters_take_as() {
    let d = two_parties();
    assert_eq!(
        one("rule r: at least 2 [10%, 20%, 30%] as t: t > 15%", &d),
        "pass"
    );
    assert_eq!(
        one("rule r: exactly 1 [10%, 20%, 30%] as t where t > 15%", &d),
        "fail"
    );
    assert_eq!(
        one(
            "rule r: count of ([10%, 20%, 30%] as t where t > 15%) = 2",
            &d
        ),
        "pass"
    );
}

#[test]
fn fields_stay_bare_and_the_singular_keeps_its_outer_meaning() {
    let d = two_parties();
    // `stake` is the inner item's field; `party` is the party `every` looks at.
    let bigger =
        "rule r: every party: count of (parties as other where other stake > party stake) <= 0";
    assert_eq!(one(bigger, &d), "fail");
    let others = "rule r: every party: some parties as other where other name != party name";
    assert_eq!(one(others, &d), "pass");
    let alone = deal("  - { name: \"Liberty\", country: \"US\", stake: \"100%\" }\n");
    assert_eq!(one(others, &alone), "fail");
    let own_field = "rule r: some parties as p where stake > 50%: p name = \"Liberty\"";
    assert_eq!(one(own_field, &d), "pass");
}

#[test]
fn values_without_a_singular_need_as() {
    let unnamed = "covenant::resolve::unnamed-item";
    assert!(
        compile_errors("rule r: every party: some [20%, 25%]: voting >= 20%")
            .contains(&unnamed.to_string())
    );
    assert!(compile_errors(
        "let tiers = [20%, 25%]\nrule r: every party: some tiers where voting >= 20%"
    )
    .contains(&unnamed.to_string()));
    // A mapped phrase of single values: `country` no longer names each value (SPEC §8).
    assert!(
        compile_errors("rule r: some party country where country = \"CN\"")
            .contains(&unnamed.to_string())
    );
    assert_eq!(
        one(
            "rule r: some party country as c where c = \"CN\"",
            &two_parties()
        ),
        "pass"
    );
    // Without `where` or `:` nothing reads the item.
    assert_eq!(one("rule r: some [true, false]", &two_parties()), "pass");
}

#[test]
fn a_list_field_names_its_values_by_its_singular() {
    let d = format!("waivers: [\"US-CONTROL\"]\n{}", two_parties());
    assert_eq!(
        one("rule r: some waiver where waiver = \"US-CONTROL\"", &d),
        "pass"
    );
    assert_eq!(
        one("rule r: no waiver where waiver = \"US-CONTROL\"", &d),
        "fail"
    );
    let vetoes = "let minority protection = [\"CFO\"]\n\
                  rule r: some party where some veto where veto not in minority protection";
    assert_eq!(one(vetoes, &two_parties()), "pass");
}

#[test]
fn a_name_that_reads_like_a_field_or_definition_is_an_error() {
    let ambiguous = "covenant::resolve::ambiguous-definition".to_string();
    // The party's field `stake`, reachable inside `every party:`.
    assert!(
        compile_errors("rule r: every party: some [1%] as stake: stake > 0%").contains(&ambiguous)
    );
    // The first words of the root field `board`… no: `board` equals it.
    assert!(compile_errors("rule r: some [1] as board: board > 0").contains(&ambiguous));
    // A definition.
    assert!(
        compile_errors("let cap = 10%\nrule r: some [1%] as cap: cap > 0%").contains(&ambiguous)
    );
    // An enclosing item's name.
    assert!(
        compile_errors("rule r: every party as p: some parties as p: p stake > 0%")
            .contains(&ambiguous)
    );
    // The first words of a field: `prior` of `prior voting`.
    assert!(
        compile_errors("rule r: every party: some [1%] as prior: prior > 0%").contains(&ambiguous)
    );
}

#[test]
fn a_shadowed_singular_keeps_the_inner_meaning_and_warns() {
    let text = "rule r: every party: count of (parties where party stake > 50%) >= 1";
    assert_eq!(warnings(text), ["covenant::lint::shadowed-item"]);
    // The inner party: one party holds more than 50%, so every party sees a count of 1.
    assert_eq!(one(text, &two_parties()), "pass");
    // Quantifiers too.
    let quant = "rule r: every party: some parties where party stake > 50%";
    assert_eq!(warnings(quant), ["covenant::lint::shadowed-item"]);
}

#[test]
fn no_warning_without_a_second_reading() {
    let none: &[&str] = &[
        // Named with `as`.
        "rule r: every party: count of (parties as other where other stake > 50%) >= 1",
        "rule r: every party as p: count of (parties where party stake > p stake) <= 1",
        // Only the item's fields are named.
        "rule r: every party: count of (parties where stake > 50%) >= 1",
        // No enclosing party.
        "rule r: count of (parties where party stake > 50%) >= 1",
        // An enclosing item of another list.
        "rule r: every technology: some party where party name = technology owner",
    ];
    for text in none {
        assert_eq!(warnings(text), Vec::<String>::new(), "{text}");
    }
}

#[test]
fn the_shadowed_item_warning_is_given_on_every_command_and_changes_no_exit_code() {
    let policy = format!("{FIXTURES}/shadowed.policy");
    let deal = format!("{FIXTURES}/deal.yaml");
    let code = "covenant::lint::shadowed-item";
    let runs: Vec<(&str, Vec<&str>, u8)> = vec![
        ("check", vec!["check", "-p", &policy, &deal], 0),
        ("explain", vec!["explain", "-p", &policy, &deal], 0),
        ("diff", vec!["diff", &policy, &policy, &deal], 0),
        ("lint", vec!["lint", "-p", &policy], 0),
        (
            "test",
            vec!["test", "tests/fixtures/names/shadowed.test.yaml"],
            0,
        ),
    ];
    for (name, args, exit) in runs {
        let (got, out, err) = covenant(&args);
        assert!(
            out.contains(code) || err.contains(code),
            "{name}: no {code}\n{out}\n{err}"
        );
        assert_eq!(got, exit, "{name}: exit code\n{out}\n{err}");
    }
}
