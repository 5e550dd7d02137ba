use super::*;
use crate::deal::toml;

fn parse(text: &str) -> Result<(Doc, Vec<DealError>), DealError> {
    parse_doc(text, toml::parse)
}

#[test]
fn dates_and_datetimes() {
    let loaded = ok("proposal = \"x\"\ndate = 2026-03-01\n", Format::Toml);
    assert_eq!(
        scalar(&loaded.deal, "date"),
        &Scalar::Date(jiff::civil::date(2026, 3, 1))
    );
    let loaded = ok("proposal = \"x\"\ndate = \"2026-03-01\"\n", Format::Toml);
    assert_eq!(
        scalar(&loaded.deal, "date"),
        &Scalar::Date(jiff::civil::date(2026, 3, 1))
    );
    for dt in [
        "2026-03-01T10:00:00Z",
        "2026-03-01T10:00:00",
        "10:00:00",
        "2026-03-01 10:00:00+01:00",
    ] {
        let text = format!("proposal = \"x\"\ndate = {dt}\n");
        assert_eq!(
            errors(&text, Format::Toml),
            vec![("bad-date", dt.into())],
            "{dt}"
        );
    }
    assert_eq!(
        errors("proposal = \"x\"\ndate = 2026-02-30\n", Format::Toml),
        vec![("bad-date", "2026-02-30".into())]
    );
}

#[test]
fn numbers_are_exact_from_their_text() {
    let text = "proposal = \"x\"\n[[plants]]\ncapacity = 0.1\n";
    let loaded = ok(text, Format::Toml);
    assert_eq!(
        scalar(&loaded.deal, "plants.0.capacity"),
        &Scalar::Number(num("0.1"))
    );
    let text = "proposal = \"x\"\nboard.seats = 123456789012345678901234567890.0\n";
    let loaded = ok(text, Format::Toml);
    assert_eq!(
        scalar(&loaded.deal, "board.seats"),
        &Scalar::Number(Exact::from_int(123_456_789_012_345_678_901_234_567_890))
    );
    let text = "proposal = \"x\"\nboard.seats = 123456789012345678901234567890\n";
    assert_eq!(
        errors(text, Format::Toml),
        vec![("too-large", "123456789012345678901234567890".into())]
    );
    let text = "proposal = \"x\"\nboard.seats = 1_000\n";
    let loaded = ok(text, Format::Toml);
    assert_eq!(
        scalar(&loaded.deal, "board.seats"),
        &Scalar::Number(num("1000"))
    );
    let text = "proposal = \"x\"\nboard.seats = inf\n";
    assert_eq!(
        errors(text, Format::Toml),
        vec![("type-mismatch", "inf".into())]
    );
}

#[test]
fn spans_of_tables_and_values() {
    let text =
        "proposal = \"x\"\n\n[board]\nseats = 7\nchair = \"A\"\n\n[[parties]]\nname = \"P\"\n";
    let loaded = ok(text, Format::Toml);
    let deal = &loaded.deal;
    let slice = |p: &str| deal.source.slice(at(deal, p).unwrap().span).to_string();
    assert_eq!(slice("board"), "[board]\nseats = 7\nchair = \"A\"");
    assert_eq!(slice("board.chair"), "\"A\"");
    assert_eq!(slice("parties.0"), "[[parties]]\nname = \"P\"");
    assert_eq!(
        deal.line_col(at(deal, "parties.0.name").unwrap().span),
        (8, 8)
    );
}

#[test]
fn duplicate_keys_name_both_definitions() {
    let text = "proposal = \"x\"\nsector = \"a\"\nsector = \"b\"\n";
    let e = load_str(text, Format::Toml).unwrap_err();
    assert_eq!(
        codes(&e.errors, text),
        vec![("duplicate-key", "sector".into())]
    );
    let (first, _) = e.errors[0].secondary().unwrap();
    assert_eq!(first, Span::new(15, 21));

    let text = "proposal = \"x\"\n[board]\nseats = 1\nchair = \"a\"\nseats = 2\n";
    let e = load_str(text, Format::Toml).unwrap_err();
    let (first, _) = e.errors[0].secondary().unwrap();
    assert_eq!(&text[first.start..first.end], "seats");
    assert_eq!(first.start, 23);

    let text = "proposal = \"x\"\n[board]\nseats = 1\n[board]\nchair = \"a\"\n";
    let e = load_str(text, Format::Toml).unwrap_err();
    assert_eq!(e.errors[0].kind(), DealErrorKind::DuplicateKey);
    let (first, _) = e.errors[0].secondary().unwrap();
    assert_eq!(first.start, 16);
}

#[test]
fn missing_and_empty_lists() {
    let loaded = ok("proposal = \"x\"\n", Format::Toml);
    let waivers = at(&loaded.deal, "waivers").unwrap();
    assert_eq!(waivers.value, NodeValue::List(Vec::new()));
    assert!(at(&loaded.deal, "parties").is_none());
    let loaded = ok("proposal = \"x\"\nparties = []\n", Format::Toml);
    assert_eq!(
        at(&loaded.deal, "parties").unwrap().value,
        NodeValue::List(Vec::new())
    );
}

#[test]
fn syntax_errors_and_bom() {
    let e = parse("a = \n").unwrap_err();
    assert_eq!(e.kind(), DealErrorKind::Syntax);
    assert!(e.message().starts_with("invalid toml: "));
    let text = "\u{feff}proposal = \"x\"\r\nstak = 1\r\n";
    let loaded = ok(text, Format::Toml);
    assert_eq!(loaded.deal.source.slice(loaded.warnings[0].span()), "stak");
    let deep = format!("a = {}1{}", "[".repeat(200), "]".repeat(200));
    assert_eq!(parse(&deep).unwrap_err().kind(), DealErrorKind::TooDeep);
}
