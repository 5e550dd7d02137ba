use super::*;
use crate::deal::yaml;

fn parse(text: &str) -> Result<(Doc, Vec<DealError>), DealError> {
    parse_doc(text, yaml::parse)
}

fn value_of(text: &str) -> Lit {
    let (doc, _) = parse(text).unwrap();
    lit(first_value(&doc)).clone()
}

fn s(v: &str, plain: bool) -> Lit {
    Lit::Str {
        value: v.into(),
        plain,
    }
}

#[test]
fn core_schema() {
    for t in ["true", "True", "TRUE"] {
        assert_eq!(value_of(&format!("a: {t}")), Lit::Bool(true));
    }
    assert_eq!(value_of("a: FALSE"), Lit::Bool(false));
    for t in ["null", "Null", "NULL", "~", ""] {
        assert_eq!(value_of(&format!("a: {t}")), Lit::Null, "{t}");
    }
    for t in [
        "12", "-3", "+4", "0o17", "0x1F", "1.5", ".5", "1e3", "-.inf", ".nan",
    ] {
        assert_eq!(value_of(&format!("a: {t}")), Lit::Number(t.into()), "{t}");
    }
    for t in [
        "NO", "yes", "on", "Off", "y", "0b101", "1_000", "12abc", "nULL", "tRUE",
    ] {
        assert_eq!(value_of(&format!("a: {t}")), s(t, true), "{t}");
    }
    assert_eq!(value_of("a: '12'"), s("12", false));
    assert_eq!(value_of("a: \"true\""), s("true", false));
    assert_eq!(value_of("a: |\n  x\n"), s("x\n", false));
    assert_eq!(value_of("a: 2026-03-01"), s("2026-03-01", true));
}

#[test]
fn country_no_is_a_string_and_country_12_is_rejected() {
    let loaded = ok("proposal: x\nparties:\n  - country: NO\n", Format::Yaml);
    assert_eq!(
        scalar(&loaded.deal, "parties.0.country"),
        &Scalar::Str("NO".into())
    );
    let text = "proposal: x\nparties:\n  - country: 12\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![("type-mismatch", "12".into())]
    );
    let e = load_str(text, Format::Yaml).unwrap_err();
    assert_eq!(e.errors[0].help_text().as_deref(), Some("quote it: \"12\""));
}

#[test]
fn tags() {
    assert_eq!(value_of("a: !!str 12"), s("12", false));
    assert_eq!(value_of("a: !!int \"12\""), Lit::Number("12".into()));
    assert_eq!(value_of("a: ! 12"), s("12", false));
    assert_eq!(
        parse("a: !custom x").unwrap_err().message(),
        "unsupported yaml tag `!custom`"
    );
    assert_eq!(
        parse("a: !!binary eA==").unwrap_err().kind(),
        DealErrorKind::Syntax
    );
    assert_eq!(
        parse("a: !!int abc").unwrap_err().kind(),
        DealErrorKind::TypeMismatch
    );
}

#[test]
fn dates() {
    let loaded = ok("proposal: x\ndate: 2026-03-01\n", Format::Yaml);
    let date = jiff::civil::date(2026, 3, 1);
    assert_eq!(scalar(&loaded.deal, "date"), &Scalar::Date(date));
    let loaded = ok("proposal: x\ndate: '2026-03-01'\n", Format::Yaml);
    assert_eq!(scalar(&loaded.deal, "date"), &Scalar::Date(date));
    assert_eq!(
        errors("proposal: x\ndate: 2026-02-30\n", Format::Yaml),
        vec![("bad-date", "2026-02-30".into())]
    );
    assert_eq!(
        errors("proposal: x\ndate: 2026-03-01T10:00:00Z\n", Format::Yaml),
        vec![("bad-date", "2026-03-01T10:00:00Z".into())]
    );
    assert_eq!(
        errors("proposal: x\ndate: 2026-03-01 10:00\n", Format::Yaml),
        vec![("bad-date", "2026-03-01 10:00".into())]
    );
}

#[test]
fn spans_and_positions() {
    let text = "proposal: \"x\"\nboard:\n  seats: 7\n  chair: é\nwaivers: [a, 'b']\n";
    let loaded = ok(text, Format::Yaml);
    let deal = &loaded.deal;
    let slice = |p: &str| deal.source.slice(at(deal, p).unwrap().span).to_string();
    assert_eq!(slice("proposal"), "\"x\"");
    assert_eq!(slice("board.seats"), "7");
    assert_eq!(slice("board"), "seats: 7\n  chair: é");
    assert_eq!(slice("waivers"), "[a, 'b']");
    let chair = at(deal, "board.chair").unwrap();
    assert_eq!(deal.line_col(chair.span), (4, 10));
    assert_eq!(deal.source.slice(chair.span), "é");
    assert_eq!(deal.root_span.start, 0);
}

#[test]
fn quoted_spans_stop_at_the_closing_quote() {
    let text = "proposal: 'it''s'   # c\nsector: \"a\\\"b\"  # c\njurisdiction: |-\n  US\n\n";
    let loaded = ok(text, Format::Yaml);
    let deal = &loaded.deal;
    let slice = |p: &str| deal.source.slice(at(deal, p).unwrap().span).to_string();
    assert_eq!(slice("proposal"), "'it''s'");
    assert_eq!(slice("sector"), "\"a\\\"b\"");
    assert_eq!(slice("jurisdiction"), "US");
}

#[test]
fn non_ascii_offsets() {
    let text = "proposal: \"Acme–Dragon 🚗\"\nstak: 1\n";
    let loaded = ok(text, Format::Yaml);
    assert_eq!(loaded.deal.source.slice(loaded.warnings[0].span()), "stak");
}

#[test]
fn several_documents_are_rejected() {
    let text = "proposal: a\n---\nproposal: b\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![("multiple-documents", "---".into())]
    );
    let ok_text = "---\nproposal: a\n...\n";
    ok(ok_text, Format::Yaml);
}

#[test]
fn duplicate_keys() {
    let text = "proposal: a\nsector: x\nproposal: b\n";
    let e = load_str(text, Format::Yaml).unwrap_err();
    assert_eq!(
        codes(&e.errors, text),
        vec![("duplicate-key", "proposal".into())]
    );
    let (first, label) = e.errors[0].secondary().unwrap();
    assert_eq!((first.start, label.as_str()), (0, "first defined here"));
}

#[test]
fn tabs_and_bom_and_crlf() {
    let e = errors("proposal: x\nboard:\n\tseats: 7\n", Format::Yaml);
    assert_eq!(e[0].0, "syntax");
    let text = "\u{feff}proposal: x\r\nboard:\r\n  seats: 7\r\n";
    let loaded = ok(text, Format::Yaml);
    let seats = at(&loaded.deal, "board.seats").unwrap();
    assert_eq!(loaded.deal.source.slice(seats.span), "7");
    assert_eq!(loaded.deal.line_col(seats.span), (3, 10));
}

#[test]
fn aliases_are_expanded_within_the_budget() {
    let text =
        "proposal: &p x\nsector: *p\nwaivers: &w [US, CN]\nparties: []\ndata:\n  - transfers: *w\n";
    let loaded = ok(text, Format::Yaml);
    assert_eq!(scalar(&loaded.deal, "sector"), &Scalar::Str("x".into()));
    let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\n\
                  b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
                  c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n\
                  d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
                  e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n\
                  f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n\
                  g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    assert_eq!(errors(laughs, Format::Yaml)[0].0, "too-large");
}

#[test]
fn depth_is_limited_even_through_aliases() {
    let deep = format!("a: {}1{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(parse(&deep).unwrap_err().kind(), DealErrorKind::TooDeep);
    let mut text = String::from("a0: &a0 [1]\n");
    for i in 1..200 {
        text.push_str(&format!("a{i}: &a{i} [*a{}]\n", i - 1));
    }
    assert_eq!(parse(&text).unwrap_err().kind(), DealErrorKind::TooDeep);
}

#[test]
fn empty_and_non_mapping_documents() {
    assert_eq!(errors("", Format::Yaml), vec![("not-a-mapping", "".into())]);
    assert_eq!(errors("# nothing\n", Format::Yaml)[0].0, "not-a-mapping");
    assert_eq!(
        errors("- a\n- b\n", Format::Yaml),
        vec![("not-a-mapping", "- a\n- b".into())]
    );
    assert_eq!(errors("? [a]\n: 1\n", Format::Yaml)[0].0, "type-mismatch");
}
