//! The ownership forms of SPEC §7.2 and §7.3: `look-through M of S in T [by control …]` and
//! `AGG X per K`, the keywords `look-through` and `per` (SPEC §15), and their canonical form.

use super::{errors, ex, file, messages, require_of, rules};
use crate::source::SourceFile;
use crate::syntax::format_policy;

#[test]
fn look_through_is_a_primary_of_measure_holders_and_target() {
    assert_eq!(
        ex("look-through voting of covered state in deal < 25%"),
        "(< (look-through voting covered_state $deal) 25%)"
    );
    assert_eq!(
        ex("look-through prior voting of (entities where kind = \"state\") in parties"),
        "(look-through prior_voting (paren (where entities (= kind \"state\"))) parties)"
    );
    // A primary: it binds tighter than arithmetic and `of`.
    assert_eq!(
        ex("look-through stake of s in party * 2 + 1%"),
        "(+ (* (look-through stake s party) 2) 1%)"
    );
}

#[test]
fn by_control_defaults_to_more_than_50_percent() {
    assert_eq!(
        ex("look-through voting of s in deal by control"),
        "(look-through voting s $deal (control > 50%))"
    );
    assert_eq!(
        ex("look-through voting of s in deal by control more than 40%"),
        "(look-through voting s $deal (control > 40%))"
    );
    assert_eq!(
        ex("look-through voting of s in party by control at least threshold < 25%"),
        "(< (look-through voting s party (control >= threshold)) 25%)"
    );
    // `by control` ends the target's phrase; a field spelled so is back-quoted there.
    assert_eq!(
        ex("look-through voting of s in owning party `by` control"),
        "(look-through voting s owning_party_`by`_control)"
    );
    // Elsewhere `by` and `control` are plain words.
    assert_eq!(ex("control by = 1"), "(= control_by 1)");
}

#[test]
fn look_through_is_one_keyword() {
    // `look-through` is no subtraction, and no phrase can hold it.
    assert_eq!(ex("look - through"), "(- look through)");
    let e = errors("rule r: look-through = 1");
    assert!(!messages(&e).is_empty());
    assert_eq!(ex("looking = 1"), "(= looking 1)");
}

#[test]
fn per_groups_an_aggregate_by_a_key() {
    assert_eq!(
        ex("total non eu party voting per bloc < 10%"),
        "(< (per (total non_eu_party_voting) bloc) 10%)"
    );
    assert_eq!(
        ex("count of parties per controller country"),
        "(per (count parties) controller_country)"
    );
    assert_eq!(
        ex("max total party voting per bloc"),
        "(max (per (total party_voting) bloc))"
    );
    assert_eq!(
        ex("average (parties where x = 1) per country"),
        "(per (average (paren (where parties (= x 1)))) country)"
    );
}

#[test]
fn per_is_a_keyword_so_a_v1_phrase_back_quotes_it() {
    let e = errors("rule r: revenue per share > 1");
    let m = messages(&e);
    assert!(m.contains("`per`"), "{m}");
    let help = e
        .iter()
        .find_map(|d| miette::Diagnostic::help(d).map(|h| h.to_string()));
    assert!(help.is_some_and(|h| h.contains("`per`")), "{m}");
    assert_eq!(ex("revenue `per` share > 1"), "(> revenue_`per`_share 1)");
}

#[test]
fn a_where_before_per_must_be_parenthesised() {
    let e = errors("rule r: total parties where country = \"US\" per bloc > 1");
    let m = messages(&e);
    assert!(
        m.contains("a `where` before `per` must be parenthesised"),
        "{m}"
    );
}

#[test]
fn rule_ids_read_look_through_whole() {
    let p = file("look-through voting of s in deal < 25%\n");
    assert_eq!(
        rules(&p)[0].id.node,
        "look-through-voting-of-s-in-deal-lt-25"
    );
    assert_eq!(
        require_of(rules(&p)[0]),
        "(< (look-through voting s $deal) 25%)"
    );
}

/// `fmt` prints the canonical form, and printing it again changes nothing.
fn canonical(text: &str) -> String {
    let once = format_policy(&SourceFile::new("t.policy", text)).expect("formats");
    let twice = format_policy(&SourceFile::new("t.policy", once.as_str())).expect("formats again");
    assert_eq!(once, twice, "not idempotent");
    once
}

#[test]
fn fmt_prints_both_forms_canonically() {
    assert_eq!(
        canonical(
            "rule r:   look-through   voting  of  covered state   in deal   by  control  <  25%\n"
        ),
        "rule r: look-through voting of covered state in deal by control < 25%\n"
    );
    assert_eq!(
        canonical("rule r: (look-through voting of (entities where kind = \"state\") in parties by control at least   50%) < 25%\n"),
        "rule r: (look-through voting of (entities where kind = \"state\") in parties by control at least 50%) < 25%\n"
    );
    assert_eq!(
        canonical("rule r: look-through stake of s in party by control more than 40% < 1%\n"),
        "rule r: look-through stake of s in party by control more than 40% < 1%\n"
    );
    assert_eq!(
        canonical("rule r: total   non eu party voting   per   bloc < 10%\n"),
        "rule r: total non eu party voting per bloc < 10%\n"
    );
    assert_eq!(
        canonical("rule r: number of parties per  `per` < 2\n"),
        "rule r: number of parties per `per` < 2\n"
    );
}
