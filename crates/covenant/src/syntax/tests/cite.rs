//! Sources (SPEC §12): `cite "TEXT" [section "S"] [url "U"] [version "V"]` in a rule and in
//! the header, the words `section`, `url` and `version` in their place, and the canonical form.

use super::{errors, ex, file, messages, rules, under};
use crate::source::SourceFile;
use crate::syntax::ast::{Cite, Clause};
use crate::syntax::format_policy;

fn parts(c: &Cite) -> [Option<&str>; 4] {
    [
        Some(c.text.node.as_str()),
        c.section.as_ref().map(|s| s.node.as_str()),
        c.url.as_ref().map(|s| s.node.as_str()),
        c.version.as_ref().map(|s| s.node.as_str()),
    ]
}

fn rule_cites(text: &str) -> Vec<[Option<String>; 4]> {
    let p = file(text);
    let r = rules(&p)[0];
    r.clauses
        .iter()
        .filter_map(|c| match c {
            Clause::Cite(c) => Some(parts(c).map(|p| p.map(str::to_string))),
            _ => None,
        })
        .collect()
}

#[test]
fn a_rule_cite_takes_section_url_and_version() {
    let text = "rule r {\n  cite \"31 CFR 800.401\" section \"(b)\" url \"https://e.gov/x\" version \"2024\"\n  cite \"memo\" version \"2\"\n  cite \"plain\"\n  require x > 1\n}\n";
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        rule_cites(text),
        [
            [
                s("31 CFR 800.401"),
                s("(b)"),
                s("https://e.gov/x"),
                s("2024")
            ],
            [s("memo"), None, None, s("2")],
            [s("plain"), None, None, None],
        ]
    );
    let p = file(text);
    let Some(Clause::Cite(c)) = rules(&p)[0].clauses.first() else {
        panic!("a cite")
    };
    assert_eq!(
        under(text, c.span),
        "\"31 CFR 800.401\" section \"(b)\" url \"https://e.gov/x\" version \"2024\""
    );
}

#[test]
fn header_cites_repeat_and_leave_the_header_version_alone() {
    let p = file(
        "policy \"P\" version \"1\"\n  cite \"Act\" url \"https://a.example\"\n  cite \"Reg\" version \"2\"\nrule r: x > 1\n",
    );
    assert_eq!(
        p.header.version.as_ref().map(|v| v.node.as_str()),
        Some("1")
    );
    let cites: Vec<[Option<&str>; 4]> = p.header.cites.iter().map(parts).collect();
    assert_eq!(
        cites,
        [
            [Some("Act"), None, Some("https://a.example"), None],
            [Some("Reg"), None, None, Some("2")],
        ]
    );
    // A `version` line after a cite is the header's.
    let p = file("policy \"P\"\n  cite \"Act\"\n  version \"3\"\nrule r: x > 1\n");
    assert_eq!(
        p.header.version.as_ref().map(|v| v.node.as_str()),
        Some("3")
    );
    assert!(p.header.cites.iter().all(|c| c.version.is_none()));
}

#[test]
fn the_parts_come_in_order_and_each_needs_a_string() {
    let e = errors("rule r {\n  cite \"a\" url \"u\" section \"s\"\n  require x > 1\n}\n");
    assert!(!messages(&e).is_empty());
    let e = errors("rule r {\n  cite \"a\" section\n  require x > 1\n}\n");
    assert!(!messages(&e).is_empty());
}

#[test]
fn section_and_url_are_words_only_in_cite() {
    assert_eq!(ex("section size > 1"), "(> section_size 1)");
    assert_eq!(ex("url size > 1"), "(> url_size 1)");
}

fn canonical(text: &str) -> String {
    let once = format_policy(&SourceFile::new("t.policy", text)).expect("formats");
    let twice = format_policy(&SourceFile::new("t.policy", once.as_str())).expect("formats again");
    assert_eq!(once, twice, "not idempotent");
    once
}

#[test]
fn fmt_prints_cites_canonically() {
    assert_eq!(
        canonical("policy \"P\"\n  cite   \"Act\"   section  \"1\"\n  version \"2\"\nrule r {\n  cite  \"a\"  url   \"u\"  version \"v\"\n  require x > 1\n}\n"),
        "policy \"P\"\n  cite \"Act\" section \"1\"\n  version \"2\"\nrule r {\n  cite \"a\" url \"u\" version \"v\"\n  require x > 1\n}\n"
    );
}
