use super::*;
use crate::deal::suggest::did_you_mean;
use crate::value::Currency;

fn help(text: &str, format: Format) -> Vec<Option<String>> {
    load_str(text, format)
        .unwrap_err()
        .errors
        .into_iter()
        .map(|e| e.help_text())
        .collect()
}

#[test]
fn missing_is_not_empty() {
    let loaded = ok("proposal: x\n", Format::Yaml);
    let deal = &loaded.deal;
    for list in ["waivers", "technology", "data", "plants"] {
        let node = at(deal, list).unwrap();
        assert_eq!(node.value, NodeValue::List(Vec::new()), "{list}");
        assert_eq!(node.span, deal.root_span);
    }
    assert!(at(deal, "parties").is_none());
    assert!(at(deal, "date").is_none());
    let loaded = ok("proposal: x\ndata:\n  - name: t\n", Format::Yaml);
    let transfers = at(&loaded.deal, "data.0.transfers").unwrap();
    assert_eq!(transfers.value, NodeValue::List(Vec::new()));
}

#[test]
fn null_is_kept_as_null() {
    let text = "proposal: x\nparties: ~\nboard:\n  seats: null\nwaivers:\n";
    let loaded = ok(text, Format::Yaml);
    let deal = &loaded.deal;
    assert_eq!(at(deal, "parties").unwrap().value, NodeValue::Null);
    assert_eq!(at(deal, "board.seats").unwrap().value, NodeValue::Null);
    assert_eq!(at(deal, "waivers").unwrap().value, NodeValue::Null);
    let loaded = ok("{\"proposal\": \"x\", \"sector\": null}", Format::Json);
    assert_eq!(at(&loaded.deal, "sector").unwrap().value, NodeValue::Null);
}

#[test]
fn required_fields() {
    let text = "sector: auto\nboard: {seats: 7}\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![("missing-required", "sector: auto".into())]
    );
    let text = "proposal: ~\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![("missing-required", "~".into())]
    );
    let text = "{\"sector\": \"a\"}";
    assert_eq!(
        errors(text, Format::Json),
        vec![("missing-required", text.into())]
    );
}

#[test]
fn bare_numbers_get_a_help_with_the_value() {
    let text = "proposal: x\ninvestment: 3500000000\nparties:\n  - stake: 51\n  - stake: 0.49\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![
            ("bare-number", "3500000000".into()),
            ("bare-number", "51".into()),
            ("bare-number", "0.49".into()),
        ]
    );
    assert_eq!(
        help(text, Format::Yaml),
        vec![
            Some("write \"USD 3500000000\", with the right currency code".into()),
            Some("write \"51%\"".into()),
            Some("write \"0.49%\", or \"49%\" if 0.49 is a fraction".into()),
        ]
    );
}

#[test]
fn typed_strings() {
    let text = "proposal: x\ninvestment: USD 3.5B\nparties:\n  - stake: 33.33%\n    subsidies: \"EUR 250_000\"\n";
    let loaded = ok(text, Format::Yaml);
    let deal = &loaded.deal;
    assert_eq!(
        scalar(deal, "investment"),
        &Scalar::Money(Currency(*b"USD"), Exact::from_int(3_500_000_000))
    );
    assert_eq!(
        scalar(deal, "parties.0.stake"),
        &Scalar::Percent(num("33.33"))
    );
    assert_eq!(
        scalar(deal, "parties.0.subsidies"),
        &Scalar::Money(Currency(*b"EUR"), Exact::from_int(250_000))
    );
    let text = "proposal: x\ninvestment: usd 3\nparties:\n  - stake: 51 percent\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![
            ("bad-money", "usd 3".into()),
            ("bad-percent", "51 percent".into())
        ]
    );
}

#[test]
fn thirty_digit_typed_strings() {
    let digits = "123456789012345678901234567890";
    // A percent is a share (0% to 100%): thirty digits, two before the point.
    let share = format!("{}.{}", &digits[..2], &digits[2..]);
    let text =
        format!("proposal: x\ninvestment: USD {digits}\nparties:\n  - stake: \"{share}%\"\n");
    let loaded = ok(&text, Format::Yaml);
    let n = Exact::from_int(123_456_789_012_345_678_901_234_567_890);
    assert_eq!(
        scalar(&loaded.deal, "investment"),
        &Scalar::Money(Currency(*b"USD"), n)
    );
    let scale = Exact::from_int(10_000_000_000_000_000_000_000_000_000);
    assert_eq!(
        scalar(&loaded.deal, "parties.0.stake"),
        &Scalar::Percent(n.checked_div(scale).unwrap())
    );
    let big = "9".repeat(40);
    let text = format!("proposal: x\ninvestment: USD {big}B\nparties:\n  - stake: \"{big}%\"\n");
    let errs = errors(&text, Format::Yaml);
    assert_eq!(
        errs.iter().map(|e| e.0).collect::<Vec<_>>(),
        vec!["too-large", "too-large"]
    );
}

#[test]
fn type_mismatches() {
    let text = "{\"proposal\": \"x\", \"cfius_filed\": \"yes\", \"board\": [1], \"parties\": {\"name\": \"a\"}, \
                \"waivers\": \"US-CONTROL\", \"sector\": 5, \"plants\": [{\"capacity\": \"5\"}]}";
    assert_eq!(
        errors(text, Format::Json),
        vec![
            ("type-mismatch", "\"yes\"".into()),
            ("type-mismatch", "[1]".into()),
            ("type-mismatch", "{\"name\": \"a\"}".into()),
            ("type-mismatch", "\"US-CONTROL\"".into()),
            ("type-mismatch", "5".into()),
            ("type-mismatch", "\"5\"".into()),
        ]
    );
    assert_eq!(
        help(text, Format::Json),
        vec![
            Some("write true or false, without quotes".into()),
            Some("write `board` as a mapping of its fields, such as `{ seats: … }`".into()),
            None,
            Some("write it as a list: [\"US-CONTROL\"]".into()),
            Some("quote it: \"5\"".into()),
            Some("write the number without quotes: 5".into()),
        ]
    );
    let text = "proposal: x\nboard: {seats: 1_000}\n";
    assert_eq!(
        help(text, Format::Yaml),
        vec![Some(
            "yaml 1.2 reads `1_000` as a string; write 1000".into()
        )]
    );
    let text = "proposal: x\nparties: [Acme, [1]]\ncfius_filed: no\n";
    assert_eq!(
        errors(text, Format::Yaml),
        vec![
            ("not-a-mapping", "Acme".into()),
            ("not-a-mapping", "[1]".into()),
            ("type-mismatch", "no".into()),
        ]
    );
}

#[test]
fn unknown_keys_suggest_the_closest_field() {
    let text = "proposal: x\nparties:\n  - stak: \"51%\"\n    zzz: 1\n";
    let loaded = ok(text, Format::Yaml);
    let helps: Vec<_> = loaded
        .warnings
        .iter()
        .map(|w| w.help_text().unwrap().to_string())
        .collect();
    assert_eq!(helps[0], "did you mean `stake`?");
    assert!(helps[1]
        .starts_with("the fields of a party are: name, kind, country, state, owners, stake"));
    assert!(loaded.warnings.iter().all(DealError::is_warning));
    assert_eq!(
        did_you_mean("boardseats", &["board_seats", "name"]),
        Some("board_seats")
    );
    assert_eq!(did_you_mean("Stake", &["stake"]), Some("stake"));
    assert_eq!(did_you_mean("x", &["stake"]), None);
}

#[test]
fn diagnostics_render_with_code_label_and_help() {
    let text = "proposal: x\nparties:\n  - stake: 51\n";
    let e = load_str(text, Format::Yaml).unwrap_err();
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &e.errors[0])
        .unwrap();
    assert!(out.contains("covenant::deal::bare-number"), "{out}");
    assert!(out.contains("a bare number"), "{out}");
    assert!(out.contains("help: write \"51%\""), "{out}");
    assert_eq!(
        e.errors[0].to_string(),
        "expected a percent for `stake`, found a bare number `51`"
    );
}

/// A key in a message keeps its first 40 characters, then `…`: the same whether it is counted
/// in characters or, at up to 40 bytes, taken whole.
#[test]
fn keys_are_shortened_to_40_characters() {
    let by_chars = |t: &str| {
        let head: String = t.chars().take(40).collect();
        if t.chars().count() > 40 {
            format!("{head}…")
        } else {
            head
        }
    };
    for n in 0..=44 {
        for unit in ["k", "é", "€", "🙂"] {
            let key = unit.repeat(n);
            assert_eq!(crate::deal::doc::shorten(&key), by_chars(&key), "{key}");
            let mixed = format!("{}{key}", "ab".repeat(n % 3));
            assert_eq!(
                crate::deal::doc::shorten(&mixed),
                by_chars(&mixed),
                "{mixed}"
            );
        }
    }
    assert_eq!(
        crate::deal::doc::shorten(&"k".repeat(41)),
        format!("{}…", "k".repeat(40))
    );
}
