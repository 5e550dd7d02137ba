//! Money across currencies (SPEC §11): the header's `fx "TEXT" from "FILE" [url "U"]`,
//! `E converted to CUR [on D]` (postfix on a primary), the words `fx`, `from`, `url`,
//! `converted to` and `on` only in their places (SPEC §15), and the canonical form.

use super::{errors, ex, file, messages};
use crate::source::SourceFile;
use crate::syntax::format_policy;

#[test]
fn converted_to_is_postfix_on_a_primary() {
    assert_eq!(
        ex("deal value converted to CAD > CAD 5B"),
        "(> (convert $deal_value CAD) CAD:5000000000)"
    );
    // In `total X converted to USD` each element converts, then the total is taken.
    assert_eq!(
        ex("total party investment converted to USD"),
        "(total (convert party_investment USD))"
    );
    // A primary: it binds tighter than arithmetic and `of`.
    assert_eq!(
        ex("a converted to EUR + b * 2"),
        "(+ (convert a EUR) (* b 2))"
    );
    assert_eq!(
        ex("(a + b) converted to EUR"),
        "(convert (paren (+ a b)) EUR)"
    );
    assert_eq!(
        ex("USD 9B converted to CAD"),
        "(convert USD:9000000000 CAD)"
    );
}

#[test]
fn on_takes_a_primary() {
    assert_eq!(
        ex("value converted to CAD on (closing date - 2) < CAD 1B"),
        "(< (convert value CAD (paren (- closing_date 2))) CAD:1000000000)"
    );
    assert_eq!(
        ex("value converted to CAD on 2024-07-11"),
        "(convert value CAD #2024-07-11)"
    );
    // A phrase after `on` runs to the next operator.
    assert_eq!(
        ex("value converted to CAD on signing date >= CAD 1B"),
        "(>= (convert value CAD signing_date) CAD:1000000000)"
    );
}

#[test]
fn converted_and_on_are_plain_words_elsewhere() {
    // A v1 field named `converted` stays reachable; `converted to` ends a phrase.
    assert_eq!(ex("converted = 1"), "(= converted 1)");
    assert_eq!(ex("shares converted > 1"), "(> shares_converted 1)");
    assert_eq!(ex("on time = true"), "(= on_time true)");
    assert_eq!(ex("to = 1"), "(= to 1)");
    assert_eq!(ex("fx rate > 1"), "(> fx_rate 1)");
    // Back-quoted, a field spelled `converted to` reads on.
    assert_eq!(
        ex("shares `converted` to equity > 1"),
        "(> shares_`converted`_to_equity 1)"
    );
}

#[test]
fn a_conversion_needs_a_currency_code() {
    let e = errors("rule r: value converted to usd > 1\n");
    let m = messages(&e);
    assert!(m.contains("a currency code such as `USD`"), "{m}");
    let e = errors("rule r: value converted to CAD on > 1\n");
    assert!(
        messages(&e).contains("expected an expression"),
        "{}",
        messages(&e)
    );
}

#[test]
fn the_header_names_the_rate_file() {
    let p = file("policy \"P\"\n  fx \"ECB rates\" from \"fx/ecb.csv\" url \"https://example.org\"\nrule r: x > 1\n");
    let fx = p.header.fx.expect("an fx clause");
    assert_eq!(fx.text.node, "ECB rates");
    assert_eq!(fx.file.node, "fx/ecb.csv");
    assert_eq!(
        fx.url.map(|u| u.node).as_deref(),
        Some("https://example.org")
    );
    let p = file("policy \"P\"\n  fx \"r\" from \"r.csv\"\nrule r: x > 1\n");
    assert!(p.header.fx.is_some_and(|f| f.url.is_none()));
}

#[test]
fn fx_is_a_clause_word() {
    // Twice in one header: a duplicate clause.
    let e = errors(
        "policy \"P\"\n  fx \"a\" from \"a.csv\"\n  fx \"b\" from \"b.csv\"\nrule r: x > 1\n",
    );
    assert!(messages(&e).contains("fx"), "{}", messages(&e));
    // `from` is required.
    let e = errors("policy \"P\"\n  fx \"a\" \"a.csv\"\nrule r: x > 1\n");
    assert!(messages(&e).contains("`from`"), "{}", messages(&e));
    // A bare rule cannot start with it (back-quote the field).
    let e = errors("fx rate > 1\n");
    assert!(!messages(&e).is_empty());
    assert_eq!(ex("`fx` rate > 1"), "(> `fx`_rate 1)");
}

/// `fmt` prints the canonical form, and printing it again changes nothing.
fn canonical(text: &str) -> String {
    let once = format_policy(&SourceFile::new("t.policy", text)).expect("formats");
    let twice = format_policy(&SourceFile::new("t.policy", once.as_str())).expect("formats again");
    assert_eq!(once, twice, "not idempotent");
    once
}

#[test]
fn fmt_prints_conversions_and_the_fx_clause_canonically() {
    assert_eq!(
        canonical(
            "rule r:   total  party investment   converted   to   USD  on  ( date )  >  USD 1B\n"
        ),
        "rule r: total party investment converted to USD on (date) > USD 1B\n"
    );
    assert_eq!(
        canonical("policy \"P\"\n  fx   \"ECB\"   from   \"e.csv\"   url  \"u\"\nrule r: x > 1\n"),
        "policy \"P\"\n  fx \"ECB\" from \"e.csv\" url \"u\"\nrule r: x > 1\n"
    );
}
