use super::*;
use crate::deal::json;

fn parse(text: &str) -> Result<(Doc, Vec<DealError>), DealError> {
    parse_doc(text, json::parse)
}

fn err(text: &str) -> (&'static str, String, String) {
    let Err(e) = parse(text) else {
        panic!("expected a syntax error")
    };
    let c = codes(std::slice::from_ref(&e), text).remove(0);
    (c.0, c.1, e.message().to_string())
}

#[test]
fn spans_and_positions() {
    let text = "{\n  \"a\": [1, \"x\"],\n  \"bé\": {\"c\": true}\n}";
    let (doc, _) = parse(text).unwrap();
    assert_eq!(doc.span, Span::new(0, text.len()));
    let DocKind::Map(entries) = &doc.kind else {
        panic!()
    };
    assert_eq!(
        &text[entries[0].key_span.start..entries[0].key_span.end],
        "\"a\""
    );
    assert_eq!(
        &text[entries[0].value.span.start..entries[0].value.span.end],
        "[1, \"x\"]"
    );
    let v = &entries[1].value;
    assert_eq!(&text[v.span.start..v.span.end], "{\"c\": true}");
    assert_eq!(entries[1].key, "bé");
    assert_eq!(crate::source::line_col(text, v.span.start), (3, 9));
}

#[test]
fn numbers_are_kept_as_text() {
    for n in [
        "0.1",
        "-0",
        "1e3",
        "1.5E-2",
        "123456789012345678901234567890",
    ] {
        let (doc, _) = parse(&format!("{{\"n\": {n}}}")).unwrap();
        assert_eq!(lit(first_value(&doc)), &Lit::Number(n.to_string()));
    }
    let loaded = ok(
        "{\"proposal\": \"x\", \"board\": {\"seats\": 123456789012345678901234567890}}",
        Format::Json,
    );
    let n = scalar(&loaded.deal, "board.seats");
    assert_eq!(
        n,
        &Scalar::Number(Exact::from_int(123_456_789_012_345_678_901_234_567_890))
    );
    // Beyond rust_decimal's 96 bits: displayed, never a panic.
    assert_eq!(n.to_string(), "123456789012345678901234567890");
    let big = "0.123456789012345678901234567890";
    // (A plant's capacity may be a fraction; board seats are whole numbers.)
    let loaded = ok(
        &format!("{{\"proposal\": \"x\", \"plants\": [{{\"capacity\": {big}}}]}}"),
        Format::Json,
    );
    assert!(!scalar(&loaded.deal, "plants.0.capacity")
        .to_string()
        .is_empty());
    let loaded = ok(
        "{\"proposal\": \"x\", \"plants\": [{\"capacity\": 0.1}]}",
        Format::Json,
    );
    assert_eq!(
        scalar(&loaded.deal, "plants.0.capacity"),
        &Scalar::Number(num("0.1"))
    );
}

#[test]
fn too_many_digits_is_too_large() {
    let text = format!(
        "{{\"proposal\": \"x\", \"board\": {{\"seats\": {}}}}}",
        "9".repeat(45)
    );
    let errs = errors(&text, Format::Json);
    assert_eq!(errs, vec![("too-large", "9".repeat(45))]);
    let errs = errors(
        "{\"proposal\": \"x\", \"board\": {\"seats\": 1e-999}}",
        Format::Json,
    );
    assert_eq!(errs, vec![("too-large", "1e-999".into())]);
}

#[test]
fn string_escapes() {
    let (doc, _) = parse(r#"{"s": "a\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00z"}"#).unwrap();
    assert_eq!(
        lit(first_value(&doc)),
        &Lit::Str {
            value: "a\"\\/\u{8}\u{c}\n\r\té😀z".into(),
            plain: false
        }
    );
    assert_eq!(err(r#"{"s": "\ud83d"}"#).0, "syntax");
    assert_eq!(err(r#"{"s": "\ude00"}"#).1, "\\ude00");
    assert_eq!(err(r#"{"s": "\x"}"#).1, "\\x");
    assert_eq!(err(r#"{"s": "\u12"}"#).0, "syntax");
    assert_eq!(err("{\"s\": \"a\nb\"}").1, "\n");
}

#[test]
fn syntax_errors_have_positions() {
    assert_eq!(err("{\"a\": 1,}").1, "}");
    assert_eq!(err("{\"a\" 1}").1, "1");
    assert_eq!(err("[1 2]").1, "2");
    assert_eq!(err("{'a': 1}").1, "'");
    assert_eq!(err("{\"a\": True}").1, "True");
    assert_eq!(err("{\"a\": 01}").1, "01");
    assert_eq!(err("{\"a\": 1.}").1, "}");
    assert_eq!(err("{\"a\": \"x").1, "\"");
    assert_eq!(
        err("").2,
        "invalid json: expected a value, found the end of the input"
    );
    assert_eq!(err("{} {}").1, "{");
    assert_eq!(err("{\"a\": é}").1, "é");
}

#[test]
fn duplicate_keys_are_reported_with_both_spans() {
    let text = "{\"a\": 1, \"b\": 2, \"a\": 3}";
    let (doc, errs) = parse(text).unwrap();
    assert_eq!(codes(&errs, text), vec![("duplicate-key", "\"a\"".into())]);
    let (second, _) = errs[0].secondary().unwrap();
    assert_eq!(&text[second.start..second.end], "\"a\"");
    assert_eq!(second.start, 1);
    let DocKind::Map(entries) = &doc.kind else {
        panic!()
    };
    assert_eq!(entries.len(), 2);
}

#[test]
fn duplicate_keys_in_large_mappings() {
    // Past 16 entries the duplicate check switches from a scan to an index: same reports.
    let keys: Vec<String> = (0..40).map(|i| format!("\"k{i}\": {i}")).collect();
    let text = format!(
        "{{{}, \"k3\": 0, \"k20\": 0, \"k39\": 0, \"k40\": 0}}",
        keys.join(", ")
    );
    let (doc, errs) = parse(&text).unwrap();
    let firsts: Vec<&str> = errs
        .iter()
        .map(|e| {
            let (first, _) = e.secondary().unwrap();
            &text[first.start..first.end + 4]
        })
        .collect();
    assert_eq!(firsts, ["\"k3\": 3,", "\"k20\": 20", "\"k39\": 39"]);
    let DocKind::Map(entries) = &doc.kind else {
        panic!()
    };
    assert_eq!(entries.len(), 41);
    assert_eq!(lit(&entries[3].value), &Lit::Number("3".into()));
}

#[test]
fn bom_and_crlf() {
    let text = "\u{feff}{\r\n\"proposal\": \"x\",\r\n\"stak\": 1}\r\n";
    let loaded = ok(text, Format::Json);
    assert_eq!(
        loaded.deal.source.slice(loaded.warnings[0].span()),
        "\"stak\""
    );
    assert_eq!(loaded.deal.line_col(loaded.warnings[0].span()), (3, 1));
}

#[test]
fn depth_limit() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(err(&deep).0, "too-deep");
    let ok_depth = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(parse(&ok_depth).is_ok());
    let text = format!("{{\"a\":{}1{}}}", "[".repeat(128), "]".repeat(128));
    assert_eq!(err(&text).1, "[");
}

#[test]
fn limits_on_nodes_and_strings() {
    let opts = LoadOptions {
        strict: false,
        limits: Limits {
            max_nodes: 10,
            max_string_len: 8,
            ..Limits::default()
        },
    };
    let e = load_with(
        "{\"proposal\": \"x\", \"waivers\": [1,2,3,4,5,6,7,8,9]}",
        Format::Json,
        &opts,
    )
    .unwrap_err();
    assert_eq!(codes(&e.errors, "")[0].0, "too-large");
    let e = load_with("{\"proposal\": \"123456789\"}", Format::Json, &opts).unwrap_err();
    assert_eq!(e.errors[0].kind(), DealErrorKind::TooLarge);
}
