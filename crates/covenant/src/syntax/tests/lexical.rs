//! Literals, words, keywords, comments and line ends (SPEC §2.1).

use super::{errors, ex, file, require_of, rules, under};
use crate::number::Exact;
use crate::source::SourceFile;
use crate::syntax::ast::{ExprKind, Literal, PhrasePart};
use crate::syntax::parse_expr;

fn literal(text: &str) -> Literal {
    let f = SourceFile::new("t", text);
    match parse_expr(&f).unwrap().kind {
        ExprKind::Literal(l) => l,
        other => panic!("not a literal: {other:?}"),
    }
}

/// A policy literal keeps the digits a deal value keeps (38 significant, 38 fraction digits):
/// literals of 29 to 38 digits, an error before, are read exactly.
#[test]
fn literals_keep_as_many_digits_as_deal_values() {
    let n38 = "9".repeat(38);
    assert_eq!(
        literal(&n38),
        Literal::Number(Exact::from_int(n38.parse().unwrap()))
    );
    let tiny = crate::number::read::exact_from_text("1e-38").unwrap();
    assert_eq!(
        literal(&format!("0.{}1%", "0".repeat(37))),
        Literal::Percent(tiny)
    );
    let usd = crate::value::Currency(*b"USD");
    let nines29: i128 = "9".repeat(29).parse().unwrap();
    assert_eq!(
        literal(&format!("USD {}B", "9".repeat(29))),
        Literal::Money(usd, Exact::from_int(nines29 * 1_000_000_000))
    );
}

#[test]
fn every_literal() {
    assert_eq!(
        literal("1_000_000"),
        Literal::Number(Exact::from_int(1_000_000))
    );
    assert_eq!(
        literal("3.5"),
        Literal::Number(Exact::parse("3.5").unwrap())
    );
    assert_eq!(
        literal("49.5%"),
        Literal::Percent(Exact::parse("49.5").unwrap())
    );
    assert_eq!(literal("100%"), Literal::Percent(Exact::from_int(100)));
    let usd = crate::value::Currency(*b"USD");
    assert_eq!(
        literal("USD 3.5B"),
        Literal::Money(usd, Exact::from_int(3_500_000_000))
    );
    assert_eq!(
        literal("EUR 120M"),
        Literal::Money(
            crate::value::Currency(*b"EUR"),
            Exact::from_int(120_000_000)
        )
    );
    assert_eq!(
        literal("USD 250_000"),
        Literal::Money(usd, Exact::from_int(250_000))
    );
    assert_eq!(literal("USD 0"), Literal::Money(usd, Exact::ZERO));
    assert_eq!(
        literal("2026-09-01"),
        Literal::Date(jiff::civil::date(2026, 9, 1))
    );
    assert_eq!(literal("\"US\""), Literal::Str("US".into()));
    assert_eq!(
        literal(r#""say \"hi\" \\ ok""#),
        Literal::Str(r#"say "hi" \ ok"#.into())
    );
    assert_eq!(literal("\"US–China\""), Literal::Str("US–China".into()));
    assert_eq!(literal("\"\""), Literal::Str(String::new()));
    assert_eq!(literal("true"), Literal::Bool(true));
    assert_eq!(literal("false"), Literal::Bool(false));
}

#[test]
fn money_and_dates_are_one_token() {
    let f = SourceFile::new("t", "investment > USD 3.5B");
    let e = parse_expr(&f).unwrap();
    let ExprKind::Compare { rhs, .. } = e.kind else {
        panic!()
    };
    assert_eq!(under(&f.text, rhs.span), "USD 3.5B");
    assert_eq!(ex("date >= 2026-09-01"), "(>= date #2026-09-01)");
    assert_eq!(ex("2026-09-01 - 1"), "(- #2026-09-01 1)");
    assert_eq!(ex("a-b"), "(- a b)");
}

#[test]
fn phrases_with_dots_quotes_and_deal() {
    assert_eq!(ex("board.seats > 5"), "(> board.seats 5)");
    assert_eq!(ex("board . seats"), "board.seats");
    assert_eq!(ex("`count` > 1"), "(> `count` 1)");
    assert_eq!(ex("party `where` x"), "party_`where`_x");
    assert_eq!(ex("deal jurisdiction"), "$deal_jurisdiction");
    assert_eq!(ex("deal.date"), "$deal.date");
    let f = SourceFile::new("t", "deal.board `count`");
    let ExprKind::Phrase(p) = parse_expr(&f).unwrap().kind else {
        panic!()
    };
    let spans: Vec<&str> = p.parts.iter().map(|x| under(&f.text, x.span())).collect();
    assert_eq!(spans, ["deal", ".", "board", "`count`"]);
    assert!(matches!(&p.parts[3], PhrasePart::Word { text, quoted: true, .. } if text == "count"));
    assert_eq!(under(&f.text, p.span), "deal.board `count`");
}

#[test]
fn keywords_are_not_words() {
    // `total` and `count` are keywords: a phrase stops before them.
    errors("rule x: total = 5");
    errors("let count = 5");
    errors("rule x: party where > 1");
    // Words that merely start with a keyword are plain words.
    assert_eq!(ex("order = notes"), "(= order notes)");
    assert_eq!(ex("island in isles"), "(in island isles)");
    assert_eq!(ex("dealer = totals"), "(= dealer totals)");
}

#[test]
fn clause_words_are_words_inside_expressions() {
    assert_eq!(ex("jurisdiction = \"US\""), "(= jurisdiction \"US\")");
    assert_eq!(ex("x severity = help"), "(= x_severity help)");
    let p = file("rule r {\n  require severity error = rule\n  when jurisdiction = \"US\"\n}\n");
    assert_eq!(rules(&p).len(), 1);
    // At the start of a clause they are keywords: a bare rule cannot start with one.
    errors("severity = 1\n");
}

#[test]
fn more_less_than_are_plain_words_elsewhere() {
    assert_eq!(ex("more than = less"), "(= more_than less)");
}

#[test]
fn comments_are_skipped() {
    let p = file("# head\nrule a: x > 1 # trailing\n# between\n\nrule b { # open\n  require y # why\n} # end\n");
    let rs = rules(&p);
    assert_eq!(rs.len(), 2);
    assert_eq!(require_of(rs[0]), "(> x 1)");
    assert_eq!(rs[1].clauses.len(), 1);
}

#[test]
fn newline_ends_a_clause() {
    let p = file("rule a: x\ny > 1\n");
    let rs = rules(&p);
    assert_eq!(rs.len(), 2);
    assert_eq!(require_of(rs[0]), "x");
    assert_eq!(require_of(rs[1]), "(> y 1)");
    // An indented line is a new clause (here: a bare rule) too.
    let p = file("rule a: x\n  y > 1\n");
    assert_eq!(rules(&p).len(), 2);
}

#[test]
fn line_continues_after_trailing_operators() {
    for (text, want) in [
        ("rule a: x and\n  y\n", "(and x y)"),
        ("rule a: x or\ny\n", "(or x y)"),
        ("rule a: x and # why\n\n  # more\n  y\n", "(and x y)"),
        ("rule a: x <\n  y\n", "(< x y)"),
        ("rule a: x +\n  y * \n z\n", "(+ x (* y z))"),
        (
            "rule a: parties where\n  x = 1\n",
            "(where parties (= x 1))",
        ),
        ("rule a:\n  x\n", "x"),
        ("rule a: every p:\n  x\n", "(every p : x)"),
        ("rule a: every p where\n q: x\n", "(every p where q : x)"),
        ("rule a: x in\n  y\n", "(in x y)"),
        ("rule a: 10% of\n  y\n", "(of 10% y)"),
        ("rule a: x contains\ny\n", "(in/contains y x)"),
        ("rule a: x is at least\ny\n", "(>= x y)"),
        ("rule a: x is not\ny\n", "(!= x y)"),
        ("rule a: x is one of\n[1]\n", "(in/one-of x [1])"),
        ("rule a: x is within 1% of\ny\n", "(within x 1% y)"),
        ("rule a: x not in\ny\n", "(not-in x y)"),
        ("rule a: x =\ny\n", "(= x y)"),
    ] {
        let p = file(text);
        let rs = rules(&p);
        assert_eq!(rs.len(), 1, "{text}");
        assert_eq!(require_of(rs[0]), want, "{text}");
    }
}

#[test]
fn brackets_make_line_ends_white_space() {
    let p = file("rule a: x in [\n  \"CN\",\n  \"RU\" # note\n]\nrule b: (x\n and y)\n");
    let rs = rules(&p);
    assert_eq!(rs.len(), 2);
    assert_eq!(require_of(rs[0]), "(in x [\"CN\" \"RU\"])");
    assert_eq!(require_of(rs[1]), "(paren (and x y))");
    // After the bracket closes, a line end ends the clause again.
    let p = file("let l = [1,\n2]\nrule b: x\n");
    assert_eq!(p.items.len(), 2);
    // A comment inside brackets ends at its line end, whatever it holds; brackets and quotes
    // in it or in a string open nothing.
    let p = file("rule a: x in [ # (\"[\n  \"(\", # ]\n  \"[\"\n]\nrule b: x\n");
    let rs = rules(&p);
    assert_eq!(rs.len(), 2);
    assert_eq!(require_of(rs[0]), "(in x [\"(\" \"[\"])");
    let p = file("rule a {\n  require (x and # (\n  y)\n}\n");
    assert_eq!(require_of(rules(&p)[0]), "(paren (and x y))");
    assert_eq!(ex("[\r\n1,\r\n2\r\n]"), ex("[1, 2]"));
}

/// The grammar is given each line end inside brackets as a VT (`grammar_text`); the lowering
/// reads every text from the file, so nothing it keeps or reports holds the VT.
#[test]
fn texts_inside_brackets_are_read_from_the_file() {
    let e = errors("rule a: (count of parties where x = 1 is\n  at least 2)\n");
    let m = super::messages(&e);
    assert!(
        m.contains("a `where` before `is\n  at least` must be parenthesised"),
        "{m}"
    );
    assert!(!m.contains('\u{b}'), "{m}");
    // A back-quoted word does not run over a line end inside brackets either: it fails at its
    // back quote, as at the end of a line outside brackets.
    let e = errors("rule a: (`x\n y) + `z`\n");
    assert_eq!(
        super::messages(&e),
        "unexpected ```, expected an expression"
    );
    assert_eq!(e.errors[0].span().start, 9);
}

/// The line ends the lexical pass finds inside `( )` and `[ ]`: not those inside `{ }` alone,
/// in a comment's text or a string, nor the one that ends the file.
#[test]
fn the_line_ends_inside_brackets() {
    let text = "let a = [1,\n2] # [\nrule b {\n  require (x and\n    y)\n}\nlet c = \"(\"\nlet d = ((\n[\n{\n}]))\n";
    let f = SourceFile::new("t", text);
    let chunks = crate::syntax::scan::split(&f);
    let found: Vec<usize> = chunks
        .iter()
        .flat_map(|c| c.bracketed_line_ends.iter().copied())
        .collect();
    // After `[1,`, `(x and`, `((`, `[` and `{` (inside `((` and `[`).
    assert_eq!(found, [11, 44, 76, 78, 80]);
    assert!(found.iter().all(|&i| text.as_bytes()[i] == b'\n'));
    assert!(chunks.iter().all(|c| c.error.is_none()));
}

#[test]
fn crlf_line_ends() {
    let p = file("rule a: x and\r\n  y\r\nrule b {\r\n  require z\r\n}\r\n");
    assert_eq!(rules(&p).len(), 2);
}

#[test]
fn spans_are_byte_offsets_into_the_file() {
    let text = "# c\nrule a \"T\": foreign partner stake < 50%\n";
    let p = file(text);
    let r = rules(&p)[0];
    assert_eq!(under(text, r.id.span), "a");
    assert_eq!(under(text, r.title.as_ref().unwrap().span), "\"T\"");
    assert_eq!(
        under(text, r.span),
        "rule a \"T\": foreign partner stake < 50%"
    );
    let crate::syntax::ast::Clause::Require(e) = &r.clauses[0] else {
        panic!()
    };
    assert_eq!(under(text, e.span), "foreign partner stake < 50%");
    let ExprKind::Compare { lhs, rhs, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(under(text, lhs.span), "foreign partner stake");
    assert_eq!(under(text, rhs.span), "50%");
}

#[test]
fn every_keyword_and_clause_word_is_whole_word_only() {
    use crate::syntax::grammar::{CovenantParser, Rule};
    use crate::syntax::keywords::{CLAUSE_WORDS, ITEM_WORDS, KEYWORDS};
    use pest::Parser;
    let whole = |rule: Rule, text: &str| {
        CovenantParser::parse(rule, text)
            .is_ok_and(|mut p| p.next().is_some_and(|p| p.as_str() == text))
    };
    let clause_words: Vec<&str> = ITEM_WORDS.iter().chain(&CLAUSE_WORDS).copied().collect();
    for (rule, words) in [
        (Rule::keyword, &KEYWORDS[..]),
        (Rule::clause_word, &clause_words[..]),
    ] {
        for w in words {
            assert!(whole(rule, w), "{w}");
            assert!(!whole(Rule::word, w) || rule == Rule::clause_word, "{w}");
            // A longer word is not the keyword, whichever keyword it starts with.
            for suffix in ["x", "s", "_", "1"] {
                assert!(!whole(rule, &format!("{w}{suffix}")), "{w}{suffix}");
                // `look-through` is no word with or without a suffix: a word has no `-`.
                let word = !w.contains('-');
                assert_eq!(
                    whole(Rule::word, &format!("{w}{suffix}")),
                    word,
                    "{w}{suffix}"
                );
            }
        }
    }
    for w in ["a", "n", "nu", "i", "o", "on", "wh", "mi", "cont"] {
        assert!(!whole(Rule::keyword, w), "{w}");
    }
}

/// The text rules (`string_text`, `quoted_text`, `comment_text`) match the longest prefix of
/// characters that are not a stop character, `\` escaping any character but a line end: what
/// their first forms matched, whichever way pest reads them (character ranges once, a search
/// for the stop characters now). A VT stops `quoted_text` and `comment_text` as a line end
/// does: it is the line end inside brackets the grammar is given (`grammar_text`); a VT of
/// the policy itself is rejected before the grammar runs.
mod text_rules {
    use crate::syntax::grammar::{CovenantParser, Rule};
    use pest::Parser;
    use proptest::prelude::*;

    /// Characters that stop, escape or border the ranges, and others.
    fn text() -> impl Strategy<Value = String> {
        let chars = prop::sample::select(vec![
            'a',
            'Z',
            '0',
            ' ',
            '\t',
            '\r',
            '\n',
            '"',
            '\\',
            '`',
            '#',
            '[',
            ']',
            '!',
            '_',
            '^',
            '\u{0}',
            '\u{1}',
            '\u{9}',
            '\u{b}',
            '\u{1f}',
            '\u{7f}',
            'é',
            '–',
            '\u{feff}',
            '€',
            '\u{10ffff}',
        ]);
        prop::collection::vec(chars, 0..24).prop_map(|cs| cs.into_iter().collect())
    }

    /// Bytes matched by `(!("\"" | "\\" | "\n") ~ ANY | "\\" ~ (!"\n" ~ ANY))*`.
    fn string_text_len(text: &str) -> usize {
        let mut chars = text.char_indices().peekable();
        while let Some(&(i, c)) = chars.peek() {
            match c {
                '"' | '\n' => return i,
                '\\' => {
                    chars.next();
                    match chars.peek() {
                        Some(&(_, next)) if next != '\n' => {
                            chars.next();
                        }
                        _ => return i,
                    }
                }
                _ => {
                    chars.next();
                }
            }
        }
        text.len()
    }

    fn matched(rule: Rule, text: &str) -> Option<usize> {
        CovenantParser::parse(rule, text)
            .ok()
            .and_then(|mut pairs| pairs.next())
            .map(|pair| pair.as_span().end())
    }

    proptest! {
        #[test]
        fn string_text_stops_where_it_did(t in text()) {
            prop_assert_eq!(matched(Rule::string_text, &t), Some(string_text_len(&t)));
        }

        #[test]
        fn quoted_text_stops_where_it_did(t in text()) {
            let len = t.find(['`', '\n', '\u{b}']).unwrap_or(t.len());
            prop_assert_eq!(matched(Rule::quoted_text, &t), (len > 0).then_some(len));
        }

        #[test]
        fn comment_text_stops_at_the_line_end(t in text()) {
            let len = t.find(['\n', '\u{b}']).unwrap_or(t.len());
            prop_assert_eq!(matched(Rule::comment_text, &t), Some(len));
        }

        /// A comment runs to the line end, whatever it holds: the next line is the next item.
        /// Its text makes no pair (white space runs atomically), so lowering never sees it.
        #[test]
        fn a_comment_runs_to_the_line_end(t in text()) {
            let body: String = t.chars().filter(|&c| !matches!(c, '\n' | '\u{b}')).collect();
            let src = format!("let a = 1 #{body}\nlet b = 2\n");
            let rules = CovenantParser::parse(Rule::file, &src)
                .map(|pairs| pairs.flatten().map(|p| p.as_rule()).collect::<Vec<_>>());
            let rules = rules.unwrap_or_default();
            let items = rules.iter().filter(|&&r| r == Rule::let_item).count();
            prop_assert_eq!(items, 2, "{:?}", src);
            prop_assert!(!rules.contains(&Rule::comment_text), "{:?}", src);
        }
    }
}
