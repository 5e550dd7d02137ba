//! Parse errors: codes, messages, spans, and recovery across items.

use miette::Diagnostic;

use super::{errors, under};
use crate::source::SourceFile;
use crate::syntax::{parse, parse_expr, ParseError, MAX_DEPTH, MAX_TREE_DEPTH};

fn code(e: &ParseError) -> String {
    e.code().map(|c| c.to_string()).unwrap_or_default()
}

/// (code, message, underlined text) of each error.
fn summary(text: &str) -> Vec<(String, String, String)> {
    errors(text)
        .iter()
        .map(|e| (code(e), e.to_string(), under(text, e.span()).to_string()))
        .collect()
}

fn one(text: &str) -> (String, String, String) {
    let mut all = summary(text);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn expected_words_not_rule_names() {
    let (c, m, u) = one("rule Foo: x\n");
    assert_eq!(c, "covenant::parse::syntax");
    assert_eq!(m, "unexpected `Foo`, expected a rule id");
    assert_eq!(u, "Foo");
    let (_, m, u) = one("rule x foo\n");
    assert_eq!(m, "unexpected `foo`, expected a string, `{` or `:`");
    assert_eq!(u, "foo");
    let (_, m, u) = one("rule x: a <\n");
    assert_eq!(m, "expected an expression after `<`");
    assert_eq!(u, "<");
    let (_, m, u) = one("rule x: a >= # why\nrule y: b\n");
    assert_eq!(m, "expected an expression after `>=`");
    assert_eq!(u, ">=");
    let (_, m, u) = one("rule x: a > 5 6\n");
    assert_eq!(
        m,
        "unexpected `6`, expected an operator or the end of the line"
    );
    assert_eq!(u, "6");
    let (_, m, _) = one("rule x {\n  a > 5\n}\n");
    assert_eq!(
        m,
        "unexpected `a`, expected a clause such as `require`, `}` or the end of the line"
    );
    let (_, m, _) = one("rule x: every party\n");
    assert_eq!(
        m,
        "unexpected end of line, expected a word, `:`, `.` or `where`"
    );
    let (_, m, _) = one("rule x { severity fatal }\n");
    assert_eq!(
        m,
        "unexpected `fatal`, expected `error`, `warning` or `info`"
    );
    let (_, m, _) = one("rule x: a must go home\n");
    assert_eq!(m, "unexpected `go`, expected `be`, `have`, `stay` or `not`");
}

#[test]
fn keyword_used_as_a_word_gets_a_hint() {
    let errs = errors("let total = 5\n");
    let e = errs.iter().next().unwrap();
    assert_eq!(e.to_string(), "unexpected `total`, expected a word");
    let help = e.help().unwrap().to_string();
    assert!(help.contains("`` `total` ``"), "{help}");
}

#[test]
fn operator_at_the_start_of_a_line() {
    let (c, m, u) = one("rule a: x\nand y\n");
    assert_eq!(c, "covenant::parse::syntax");
    assert_eq!(m, "a line cannot start with `and`");
    assert_eq!(u, "and");
}

#[test]
fn lexical_errors() {
    let (c, _, u) = one("rule a: x = \"abc\n");
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::unterminated-string", "\"abc")
    );
    let (c, _, u) = one("rule a: x = \"a\\\" \n");
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::unterminated-string", "\"a\\\" ")
    );
    let (c, m, u) = one("rule a: (x and y\n");
    assert_eq!(
        (c.as_str(), m.as_str(), u.as_str()),
        ("covenant::parse::unclosed-delimiter", "unclosed `(`", "(")
    );
    let (c, m, u) = one("rule a: [x)\n");
    assert_eq!(
        (c.as_str(), m.as_str(), u.as_str()),
        (
            "covenant::parse::mismatched-delimiter",
            "mismatched `)`",
            ")"
        )
    );
}

#[test]
fn bad_literals() {
    let (c, m, u) = one("rule a: d = 2026-02-30\n");
    assert_eq!(c, "covenant::parse::bad-literal");
    assert_eq!(m, "`2026-02-30` is not a valid calendar date");
    assert_eq!(u, "2026-02-30");
    let (c, _, u) = one("rule a: m = USD 3.5X\n");
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::bad-literal", "USD 3.5X")
    );
    let (c, m, _) = one("rule a: n = 1e3\n");
    assert_eq!(
        (c.as_str(), m.as_str()),
        ("covenant::parse::bad-literal", "`1e3` is not a number")
    );
    let (c, m, u) = one("rule a: s = \"a\\qb\"\n");
    assert_eq!(
        (c.as_str(), m.as_str(), u.as_str()),
        (
            "covenant::parse::bad-literal",
            "unknown escape `\\q` in a string",
            "\\q"
        )
    );
    let (c, m, _) = one("rule a: at least 1.5 plants\n");
    assert_eq!(
        (c.as_str(), m.as_str()),
        (
            "covenant::parse::bad-literal",
            "`1.5` is not a whole number"
        )
    );
    let (c, _, u) = one("rule a { effective 2026-13-01 }\n");
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::bad-literal", "2026-13-01")
    );
}

#[test]
fn duplicate_clauses() {
    let all = summary("rule a {\n  effective 2026-01-01\n  effective 2027-01-01\n  severity info\n  severity error\n  help \"x\"\n  help \"y\"\n}\n");
    let got: Vec<(&str, &str)> = all
        .iter()
        .map(|(c, m, _)| (c.as_str(), m.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "covenant::parse::duplicate-clause",
                "`effective` appears twice in rule `a`"
            ),
            (
                "covenant::parse::duplicate-clause",
                "`severity` appears twice in rule `a`"
            ),
            (
                "covenant::parse::duplicate-clause",
                "`help` appears twice in rule `a`"
            ),
        ]
    );
    assert_eq!(all[0].2, "effective 2027-01-01");
    let (c, m, _) = one("policy \"t\"\n  jurisdiction \"US\"\n  jurisdiction \"MX\"\n");
    assert_eq!(
        (c.as_str(), m.as_str()),
        (
            "covenant::parse::duplicate-clause",
            "`jurisdiction` appears twice in the header"
        )
    );
}

#[test]
fn misplaced_header() {
    let (c, _, u) = one("rule a: x\npolicy \"t\"\n");
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::misplaced-header", "policy \"t\"")
    );
    let (c, _, _) = one("policy \"t\"\npolicy \"u\"\n");
    assert_eq!(c, "covenant::parse::misplaced-header");
    // After an item that fails, a header is still misplaced.
    let all = summary("rule A: x\npolicy \"t\"\n");
    let codes: Vec<&str> = all.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        codes,
        [
            "covenant::parse::syntax",
            "covenant::parse::misplaced-header"
        ]
    );
}

#[test]
fn every_failing_item_is_reported() {
    let text = "rule a: x <\nrule b: ok\nrule C: y\nlet = 1\nrule d { require }\nrule e: (\n";
    let all = summary(text);
    let lines: Vec<usize> = errors(text)
        .iter()
        .map(|e| SourceFile::new("t", text).line_col(e.span().start).0)
        .collect();
    assert_eq!(lines, [1, 3, 4, 5, 6], "{all:?}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let text = format!("rule a: {}x{}\n", "(".repeat(100_000), ")".repeat(100_000));
    let (c, _, u) = one(&text);
    assert_eq!((c.as_str(), u.as_str()), ("covenant::parse::too-deep", "("));
    let text = format!("rule a: {}x\n", "not ".repeat(10_000));
    let (c, _, u) = one(&text);
    assert_eq!(
        (c.as_str(), u.as_str()),
        ("covenant::parse::too-deep", "not")
    );
    let text = format!("rule a: {}\n", "[".repeat(300));
    assert_eq!(one(&text).0, "covenant::parse::too-deep");
}

/// The deepest nesting the scanner lets through parses. No build has a stack guard in pest
/// (Cargo.toml: pest without `std`; test builds as the shipped one, `build.rs`), so an
/// overflow of the parser's stack here would abort the test run, not pass: the stack holds
/// these in a debug build, and a release build's frames are smaller.
#[test]
fn nesting_up_to_the_limit_parses() {
    let d = MAX_DEPTH;
    let text = format!("rule a: {}x{}\n", "(".repeat(d), ")".repeat(d));
    assert!(parse(&SourceFile::new("t", text)).is_ok());
    let text = format!("rule a: {}x\n", "not ".repeat(d));
    assert!(parse(&SourceFile::new("t", text)).is_ok());
    let text = format!("rule a: x in {}1{}\n", "[".repeat(d), "]".repeat(d));
    assert!(parse(&SourceFile::new("t", text)).is_ok());
    let text = format!("{}x{}", "(not ".repeat(d / 2), ")".repeat(d / 2));
    assert!(parse_expr(&SourceFile::new("t", text)).is_ok());
    let text = format!(
        "rule a: x > {}1{}\n",
        "(50% of ".repeat(d / 2),
        ")".repeat(d / 2)
    );
    assert!(parse(&SourceFile::new("t", text)).is_ok());
    let text = format!("rule a: x > {}1\n", "50% of ".repeat(MAX_TREE_DEPTH - 1));
    assert!(parse(&SourceFile::new("t", text)).is_ok());
}

#[test]
fn every_error_has_its_source_and_a_label_in_range() {
    let text = "rule a: x <\nrule C: y\nrule b: \"z\n";
    for e in errors(text).iter() {
        assert!(e.source_code().is_some());
        let labels: Vec<_> = e.labels().unwrap().collect();
        assert!(!labels.is_empty());
        for l in labels {
            assert!(l.offset() + l.len() <= text.len());
        }
    }
}

/// Past 38 significant digits (or 38 fraction digits), the limit deals have too.
#[test]
fn a_number_too_long_to_read_exactly_says_so() {
    for (text, lit) in [
        (
            "rule a: n = 9999999999999999999999999999999999999999\n",
            "9999999999999999999999999999999999999999",
        ),
        (
            "rule a: p = 0.000000000000000000000000000000000000001%\n",
            "0.000000000000000000000000000000000000001%",
        ),
        (
            "rule a: m = USD 999999999999999999999999999999B\n",
            "USD 999999999999999999999999999999B",
        ),
    ] {
        let (c, m, u) = one(text);
        assert_eq!(c, "covenant::parse::bad-literal");
        assert_eq!(m, format!("`{lit}` has too many digits to be read exactly"));
        assert_eq!(u, lit);
    }
}
