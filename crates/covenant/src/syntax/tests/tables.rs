//! Lookup tables (SPEC §8): `table by K1, K2:` as a definition's value, one row per line
//! indented under the definition, cells `any`, `from V [until W]` and values, `otherwise`;
//! the words `table`, `by`, `from`, `any`, `otherwise` only in their place (SPEC §15); and
//! their canonical form.

use miette::Diagnostic;

use super::{errors, file, messages, sx};
use crate::source::SourceFile;
use crate::syntax::ast::{Item, PolicyFile};
use crate::syntax::format_policy;

/// The value of the first definition, as an S-expression.
fn value(p: &PolicyFile) -> String {
    match p.items.first() {
        Some(Item::Let(d)) => sx(&d.value),
        Some(Item::Define(d)) => sx(&d.value),
        other => panic!("expected a definition, got {other:?}"),
    }
}

fn table(text: &str) -> String {
    value(&file(text))
}

/// The message, and the help, of each error of a file that does not parse.
fn problems(text: &str) -> Vec<(String, String)> {
    errors(text)
        .iter()
        .map(|e| {
            let help = e.help().map(|h| h.to_string()).unwrap_or_default();
            (e.to_string(), help)
        })
        .collect()
}

#[test]
fn a_table_is_keys_then_one_row_per_indented_line() {
    assert_eq!(
        table(
            "let rvc floor = table by date:\n  from 2020-07-01: 66%\n  from 2021-07-01 until 2022-07-01: 70%\n"
        ),
        "(table (date) ((from #2020-07-01) => 66%) ((from #2021-07-01 until #2022-07-01) => 70%))"
    );
    assert_eq!(
        table("let fee = table by investor kind, sector:\n  \"state\", [\"auto\", \"chips\"]: 1%\n  any, any: 2%\n"),
        "(table (investor_kind sector) (\"state\" [\"auto\" \"chips\"] => 1%) (any any => 2%))"
    );
    assert_eq!(
        table("define party tier: table by stake > 50%:\n  true: \"major\"\n  false: \"minor\"\n"),
        "(table ((> stake 50%)) (true => \"major\") (false => \"minor\"))"
    );
}

#[test]
fn blank_and_comment_lines_between_rows_are_skipped_and_otherwise_comes_last() {
    let p = file(
        "let x = table by sector:  # by sector\n\n  # the automotive row\n  \"auto\": 1   # one\n\n\t\"chips\": 2\n  otherwise: 3\nrule r: x > 0\n",
    );
    assert_eq!(
        value(&p),
        "(table (sector) (\"auto\" => 1) (\"chips\" => 2) (otherwise 3))"
    );
    assert_eq!(p.items.len(), 2);
}

#[test]
fn rows_end_at_the_first_line_that_is_not_indented() {
    // The rule after the table is an item of its own, as is a definition.
    let p = file("let x = table by sector:\n  \"auto\": 1\nlet y = 2\nrule r: x > y\n");
    assert_eq!(p.items.len(), 3);
    // A row-looking line that is not indented is not a row: it is read as a new item.
    let e = problems("let x = table by sector:\n  \"auto\": 1\notherwise: 2\n");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].1.contains("indent it"), "{e:?}");
}

#[test]
fn a_table_without_an_indented_row_says_so() {
    let e = problems("let x = table by sector:\n\"auto\": 1\n");
    assert_eq!(e[0].0, "a table row must be indented under its definition");
    let e = problems("let x = table by sector:\n");
    assert_eq!(e[0].0, "expected a table row after `:`");
    let e = problems("let x = table by sector:\nrule r: sector = \"a\"\n");
    assert_eq!(e[0].0, "expected a table row after `:`", "{e:?}");
}

#[test]
fn an_indented_line_after_the_rows_must_be_a_row() {
    let e = errors("let x = table by sector:\n  \"auto\": 1\n  let y = 2\n");
    assert!(!messages(&e).is_empty());
}

#[test]
fn rows_of_an_indented_definition_are_indented_deeper() {
    let e = problems("rule r: x > 0\n  let x = table by sector:\n  \"auto\": 1\n");
    assert_eq!(
        e[0].0,
        "a table row must be indented deeper than its definition"
    );
    let p = file("rule r: x > 0\n  let x = table by sector:\n    \"auto\": 1\n");
    assert_eq!(p.items.len(), 2);
}

#[test]
fn otherwise_is_the_last_row_and_comes_once() {
    let e = problems("let x = table by sector:\n  otherwise: 1\n  \"auto\": 2\n");
    assert_eq!(e[0].0, "a row after `otherwise`");
    let e = problems("let x = table by sector:\n  otherwise: 1\n  otherwise: 2\n");
    assert_eq!(e[0].0, "a row after `otherwise`");
}

#[test]
fn a_key_holding_where_is_parenthesised() {
    let e = problems("let x = table by count of parties where stake > 10%:\n  0: 1\n");
    assert_eq!(
        e[0].0,
        "a table key that holds a `where` must be parenthesised"
    );
    assert_eq!(
        table("let x = table by count of (parties where stake > 10%):\n  0: 1\n"),
        "(table ((count (paren (where parties (> stake 10%))))) (0 => 1))"
    );
    // A quantifier outside brackets is no key: its `:` would take the rows.
    assert!(!problems("let x = table by some party where big:\n  true: 1\n").is_empty());
    assert_eq!(
        table("let x = table by (some party where big):\n  true: 1\n"),
        "(table ((paren (some party where big))) (true => 1))"
    );
}

#[test]
fn the_words_of_tables_are_words_elsewhere() {
    // `table`, `from`, `any`, `otherwise` are plain words outside their places.
    assert_eq!(
        value(&file("let x = table size + from date\n")),
        "(+ table_size from_date)"
    );
    assert_eq!(
        table("let x = table by any thing:\n  `any`: 1\n"),
        "(table (any_thing) (`any` => 1))"
    );
    // A bound phrase stops before `until`; a field spelled so is back-quoted there.
    assert_eq!(
        table("let x = table by date:\n  from phase start until phase end: 1\n"),
        "(table (date) ((from phase_start until phase_end) => 1))"
    );
}

#[test]
fn a_line_end_may_follow_a_comma_or_the_colon_of_a_row() {
    assert_eq!(
        table("let x = table by a,\n    b:\n  1,\n    2:\n      3\n"),
        "(table (a b) (1 2 => 3))"
    );
}

#[test]
fn crlf_and_trailing_blanks_end_rows_like_line_feeds() {
    assert_eq!(
        table("let x = table by sector:\r\n  \"auto\": 1\r\n   \r\n  \"chips\": 2\r\n  "),
        "(table (sector) (\"auto\" => 1) (\"chips\" => 2))"
    );
}

fn fmt(text: &str) -> String {
    format_policy(&SourceFile::new("t.policy", text)).unwrap()
}

#[test]
fn fmt_indents_rows_by_two_spaces_and_keeps_comments() {
    let src = "let   rvc floor=table by   date :   # USMCA\n      from 2020-07-01 :66%\n\n   # steps up each July\n\tfrom 2021-07-01:70%  # year two\n  otherwise :0%\nrule r: x >= rvc floor\n";
    let out = fmt(src);
    assert_eq!(
        out,
        "let rvc floor = table by date:  # USMCA\n  from 2020-07-01: 66%\n\n  # steps up each July\n  from 2021-07-01: 70%  # year two\n  otherwise: 0%\nrule r: x >= rvc floor\n"
    );
    assert_eq!(fmt(&out), out);
    let p1 = file(src);
    let p2 = file(&out);
    assert_eq!(value(&p1), value(&p2));
}

#[test]
fn fmt_keeps_a_row_that_a_comment_breaks() {
    let src = "let x = table by a, # first\n b:\n  1, # one\n 2: 3 + # base\n 4\n";
    let out = fmt(src);
    assert_eq!(fmt(&out), out, "{out}");
    assert_eq!(value(&file(src)), value(&file(&out)));
}

#[test]
fn a_comparison_is_no_cell_and_the_error_says_how_to_write_a_range() {
    let e = problems("let x = table by stake:\n  < 5%: 1\n  >= 5%: 2\n");
    assert_eq!(e[0].0, "a table cell cannot be a comparison (`<`)");
    assert!(e[0].1.contains("from 0% until 5%"), "{e:?}");
    let e = problems("let x = table by sector, stake:\n  \"a\", >= 5%: 2\n");
    assert_eq!(e[0].0, "a table cell cannot be a comparison (`>=`)");
}
