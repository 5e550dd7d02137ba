//! Syntax errors for spellings from other languages and conventions, with the text to write
//! instead: `==`, `&&`, `is in`, `be below`, `$1B`, `09/01/2026`, a keyword at the start of a
//! field's name.

use crate::source::{SourceFile, Span};
use crate::spelling;

use super::error::ParseError;

/// A literal written in another convention at `pos`: money with a currency symbol
/// (`C$1.386B`) or a date with `/` or `.` (`09/01/2026`), as a `bad-literal` error whose help
/// gives the literal to write.
pub(super) fn foreign_literal(file: &SourceFile, pos: usize) -> Option<ParseError> {
    let text: &str = &file.text;
    let rest = text.get(pos..)?;
    let c = rest.chars().next()?;
    if spelling::SYMBOLS.contains(&c) {
        return money(file, pos, c);
    }
    if !c.is_ascii_digit() {
        return None;
    }
    let len = rest
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '/' | '.' | '-')))
        .unwrap_or(rest.len());
    let run = rest.get(..len)?.trim_end_matches(['.', '/', '-']);
    if !run.contains(['/', '.']) && run.matches('-').count() != 2 {
        return None;
    }
    let help = spelling::date_help(run)?;
    Some(ParseError::bad_literal(
        file,
        Span::new(pos, pos + run.len()),
        format!("`{run}` is not a date"),
        "not a date",
        Some(help),
    ))
}

/// `C$1.386B`, `$1B`, `€120M`: the letters just before the symbol, the symbol, the amount.
fn money(file: &SourceFile, pos: usize, symbol: char) -> Option<ParseError> {
    let text: &str = &file.text;
    let before = text.get(..pos)?;
    let letters = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len();
    let start = if letters <= 3 { pos - letters } else { pos };
    let after = text.get(pos + symbol.len_utf8()..)?;
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let amount = after.get(spaces..)?;
    let number = amount
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_')))
        .unwrap_or(amount.len());
    let suffix = amount
        .get(number..)?
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(amount.len() - number);
    let end = if number == 0 {
        pos + symbol.len_utf8()
    } else {
        pos + symbol.len_utf8() + spaces + number + suffix
    };
    let span = Span::new(start, end);
    let written = file.slice(span);
    Some(ParseError::bad_literal(
        file,
        span,
        format!("`{written}` is not an amount of money"),
        "not an amount of money",
        spelling::money_help(written),
    ))
}

/// An operator or a comparison from another language at the error's position `pos` (the token
/// `token` at `at`): `==`, `&&`, `||`, `<>`, `=>`, `is in`, `is not in`, `be below`,
/// `is greater than`.
pub(super) fn foreign_operator(file: &SourceFile, pos: usize) -> Option<ParseError> {
    let text: &str = &file.text;
    let before = text.get(..pos)?;
    let rest = text.get(pos..)?;
    for (op, write) in [
        ("==", "="),
        ("&&", "and"),
        ("||", "or"),
        ("<>", "!="),
        ("=>", ">="),
        ("=<", "<="),
    ] {
        // The parser stops after the first character of `==`, `=>` and `=<`, or before `&&`.
        let (a, b) = op.split_at(1);
        let start = if rest.starts_with(op) {
            pos
        } else if before.ends_with(a) && rest.starts_with(b) {
            pos - 1
        } else {
            continue;
        };
        let span = Span::new(start, start + 2);
        return Some(ParseError::syntax(
            file,
            span,
            format!("`{op}` is not an operator"),
            "not an operator".into(),
            Some(format!("write `{write}`")),
        ));
    }
    words_before(file, pos)
}

/// `is in`, `be below 7`, `is greater than 3`: the words before `pos` on its line.
fn words_before(file: &SourceFile, pos: usize) -> Option<ParseError> {
    let text: &str = &file.text;
    let line_start = text.get(..pos)?.rfind('\n').map_or(0, |i| i + 1);
    let words = words_of(text, line_start, pos);
    let next = word_at(text, pos);
    let n = words.len();
    let get = |i: usize| words.get(i).map(|w| w.1);
    // `is in`, `is not in`: the error is at `in`.
    if next.map(|w| w.1) == Some("in") {
        let (prefix, write) = match (
            n.checked_sub(2).and_then(get),
            n.checked_sub(1).and_then(get),
        ) {
            (Some("is"), Some("not")) => (2, "not in"),
            (_, Some("is")) => (1, "in"),
            _ => return None,
        };
        let start = words.get(n - prefix)?.0.start;
        let span = Span::new(start, next?.0.end);
        let written = file.slice(span);
        return Some(ParseError::syntax(
            file,
            span,
            format!("`{written}` is not an operator"),
            "not an operator".into(),
            Some(format!("write `{write}` (or `is one of`)")),
        ));
    }
    // `be below`, `is greater than`: one or two words after `be` or `is`.
    for len in [1, 2] {
        let Some(first) = n.checked_sub(len) else {
            continue;
        };
        let verb_at = first.checked_sub(1)?;
        let verb = get(verb_at)?;
        if !matches!(verb, "be" | "is") {
            continue;
        }
        let said: Vec<&str> = words.get(first..)?.iter().map(|w| w.1).collect();
        let Some(write) = comparison_word(&said) else {
            continue;
        };
        // `must not be`, `must be`, `is not`, `is`: the words that stay.
        let mut keep = verb_at;
        while keep > 0 && matches!(get(keep - 1), Some("must" | "not")) && verb == "be" {
            keep -= 1;
        }
        let kept: Vec<&str> = words.get(keep..=verb_at)?.iter().map(|w| w.1).collect();
        let span = Span::new(words.get(first)?.0.start, words.get(n - 1)?.0.end);
        let written = file.slice(span);
        return Some(ParseError::syntax(
            file,
            span,
            format!("`{written}` is not a comparison"),
            "not a comparison".into(),
            Some(format!(
                "write `{} {write}`: the comparisons in words are `at least`, `at most`, `more than` and `less than`",
                kept.join(" ")
            )),
        ));
    }
    None
}

/// The comparison to write for words such as `below` or `greater than`.
fn comparison_word(words: &[&str]) -> Option<&'static str> {
    Some(match words {
        ["below" | "under" | "lower" | "smaller" | "beneath"] => "less than",
        ["above" | "over" | "higher" | "greater" | "larger" | "bigger"] => "more than",
        ["lower" | "smaller" | "fewer" | "lesser", "than"] => "less than",
        ["higher" | "greater" | "larger" | "bigger", "than"] => "more than",
        _ => return None,
    })
}

/// The words (runs of `[A-Za-z0-9_]`) of `text[start..end]`, with their spans.
fn words_of(text: &str, start: usize, end: usize) -> Vec<(Span, &str)> {
    let Some(slice) = text.get(start..end) else {
        return Vec::new();
    };
    let slice = slice.split('#').next().unwrap_or("");
    let mut out = Vec::new();
    let mut at = 0;
    for part in slice.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        if !part.is_empty() {
            out.push((Span::new(start + at, start + at + part.len()), part));
        }
        at += part.len() + 1;
    }
    out
}

/// The word starting at `pos`, if one does.
fn word_at(text: &str, pos: usize) -> Option<(Span, &str)> {
    let rest = text.get(pos..)?;
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    (len > 0).then(|| (Span::new(pos, pos + len), rest.get(..len).unwrap_or("")))
}

/// The help for a keyword where a phrase or an expression was expected: a field whose name
/// has the keyword as a word is written with that word back-quoted (`` `in` force ``, or
/// `` `at` `least` ``: the keywords after it, up to the first plain word, with it).
pub(super) fn keyword_help(file: &SourceFile, at: Span, keyword: &str) -> String {
    let text: &str = &file.text;
    let mut spelled = vec![format!("`{keyword}`")];
    let mut pos = at.end;
    while spelled.len() < 4 {
        let after = text.get(pos..).unwrap_or("");
        let trimmed = after.trim_start_matches([' ', '\t']);
        let Some((span, word)) = word_at(trimmed, 0).filter(|_| trimmed.len() < after.len()) else {
            break;
        };
        pos += after.len() - trimmed.len() + span.end;
        if super::keywords::is_keyword(word) {
            spelled.push(format!("`{word}`"));
        } else {
            spelled.push(word.to_string());
            break;
        }
    }
    if spelled.len() == 1 {
        return format!("`{keyword}` is a keyword; write `` `{keyword}` `` to use it as a word");
    }
    format!(
        "`{keyword}` is a keyword; to use it as a word of a field's name, write `` {} ``",
        spelled.join(" ")
    )
}

/// The help for an invisible character where a token was expected.
pub(super) fn invisible_help(c: char) -> &'static str {
    if c.is_whitespace() {
        "replace it with a plain space"
    } else {
        "remove it: it cannot be seen, but the parser reads it"
    }
}
