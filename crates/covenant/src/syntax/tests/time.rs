//! The forms of SPEC §9: durations, `year of`, `effective … on D`, the header `calendar`, and
//! the words that are words only in their place (SPEC §15).

use super::{errors, ex, file, messages, rules};
use crate::source::SourceFile;
use crate::syntax::ast::{Clause, ExprKind};
use crate::syntax::format_policy;

#[test]
fn a_duration_is_a_number_and_its_unit() {
    assert_eq!(
        ex("closing date <= signing date + 30 days"),
        "(<= closing_date (+ signing_date (days 30)))"
    );
    assert_eq!(ex("d - 1 day"), "(- d (days 1))");
    assert_eq!(
        ex("d + 1 month + 2 years"),
        "(+ (+ d (months 1)) (years 2))"
    );
    assert_eq!(ex("d + 1_000 months"), "(+ d (months 1000))");
    assert_eq!(ex("d - 5 working days"), "(- d (working days 5))");
    assert_eq!(ex("d + 1 working day"), "(+ d (working days 1))");
    // `( … ) days` reads as a projection; the resolver decides (SPEC §8, §9).
    assert_eq!(
        ex("d + (n * 2) days"),
        "(+ d (project (paren (* n 2)) days))"
    );
}

#[test]
fn a_fractional_duration_literal_is_a_bad_literal() {
    let e = errors("rule r: d + 2.5 days > x");
    assert!(
        messages(&e).contains("`2.5` is not a whole number"),
        "{}",
        messages(&e)
    );
}

#[test]
fn unit_words_are_words_after_anything_but_a_number() {
    assert_eq!(ex("days > 3"), "(> days 3)");
    assert_eq!(ex("working days left > 3"), "(> working_days_left 3)");
    assert_eq!(ex("month = year"), "(= month year)");
    assert_eq!(ex("total party days"), "(total party_days)");
}

#[test]
fn year_of_is_a_prefix_like_total() {
    assert_eq!(
        ex("year of closing date = 2024"),
        "(= (year-of closing_date) 2024)"
    );
    assert_eq!(ex("year of d + 1"), "(+ (year-of d) 1)");
    assert_eq!(
        ex("year of evaluation date - year of date"),
        "(- (year-of evaluation_date) (year-of date))"
    );
    // Elsewhere `year` is a word: a field named so is still a phrase.
    assert_eq!(ex("year > 2000"), "(> year 2000)");
    assert_eq!(ex("fiscal year = 2024"), "(= fiscal_year 2024)");
    assert_eq!(ex("`year` of x"), "(of `year` x)");
}

#[test]
fn a_window_may_test_a_named_date() {
    let text = "policy \"p\"\n  effective 2024-01-01 on closing date\n\n\
                rule r {\n  effective 2024-01-01 until 2025-01-01 on closing date - 30 days\n  require true\n}\n";
    let f = file(text);
    let header = f.header.effective.as_ref().unwrap();
    assert_eq!(super::sx(header.on.as_ref().unwrap()), "closing_date");
    let Clause::Effective(w) = &rules(&f)[0].clauses[0] else {
        panic!()
    };
    assert_eq!(w.until.as_ref().unwrap().node.to_string(), "2025-01-01");
    assert_eq!(
        super::sx(w.on.as_ref().unwrap()),
        "(- closing_date (days 30))"
    );
    assert_eq!(
        &text[w.span.start..w.span.end],
        "effective 2024-01-01 until 2025-01-01 on closing date - 30 days"
    );
    // Elsewhere `on` is a word.
    assert_eq!(ex("on time = true"), "(= on_time true)");
}

#[test]
fn the_header_names_a_calendar() {
    let f = file("policy \"p\"\n  calendar \"UK bank holidays\" from \"uk.csv\"\nrule r: true\n");
    let c = f.header.calendar.as_ref().unwrap();
    assert_eq!(
        (c.name.node.as_str(), c.file.node.as_str()),
        ("UK bank holidays", "uk.csv")
    );
    // A second one is a duplicate clause.
    let e = errors("policy \"p\"\n  calendar \"a\" from \"a.csv\"\n  calendar \"b\" from \"b.csv\"\nrule r: true\n");
    assert!(messages(&e).contains("calendar"), "{}", messages(&e));
    // `calendar` is a clause word: a bare rule that starts with such a field back-quotes it;
    // `from` is a word elsewhere.
    assert!(!messages(&errors("calendar = \"x\"\n")).is_empty());
    assert_eq!(ex("`calendar` = from"), "(= `calendar` from)");
}

#[test]
fn fmt_keeps_the_time_forms() {
    let text = "policy   \"p\"\n    calendar  \"UK\"   from \"uk.csv\"\n  effective 2024-01-01   on  closing   date\n\n\
                rule r {\n   effective 2024-01-01 until 2025-01-01 on closing date -  30 days\n  require year  of   d + 1 <= (n) working   days\n}\n\
                rule s: d +\n  5 working   days > d\n";
    let out = format_policy(&SourceFile::new("t.policy", text)).unwrap();
    assert_eq!(
        out,
        "policy \"p\"\n  calendar \"UK\" from \"uk.csv\"\n  effective 2024-01-01 on closing date\n\n\
         rule r {\n  effective 2024-01-01 until 2025-01-01 on closing date - 30 days\n  require year of d + 1 <= (n) working days\n}\n\
         rule s: d + 5 working days > d\n"
    );
    let again = format_policy(&SourceFile::new("t.policy", out.as_str())).unwrap();
    assert_eq!(again, out);
    assert_eq!(file(&out).items.len(), 2);
    // Inside brackets a unit may go on the next line, as any word.
    let e = "rule s: (d + 5 working\n  days) > d\n";
    let out = format_policy(&SourceFile::new("t.policy", e)).unwrap();
    assert_eq!(out, "rule s: (d + 5 working days) > d\n");
    let f = file(&out);
    let ExprKind::Compare { lhs, .. } = &rules(&f)[0]
        .clauses
        .iter()
        .find_map(|c| match c {
            Clause::Require(e) => Some(e),
            _ => None,
        })
        .unwrap()
        .kind
    else {
        panic!()
    };
    assert_eq!(super::sx(lhs), "(paren (+ d (working days 5)))");
}
