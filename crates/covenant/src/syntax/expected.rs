//! Turning a pest error into a syntax diagnostic in words users understand.
//!
//! pest reports the rules it tried at the furthest position it reached ("positives"). Each
//! rule is mapped to a description ("an expression", "`{`", "a rule id"); grammar rule names
//! never reach the user.

use super::keywords::is_keyword;
use pest::error::{Error as PestError, ErrorVariant, InputLocation};

use crate::source::{SourceFile, Span};

use super::chars::invisible;
use super::error::ParseError;
use super::grammar::Rule;
use super::hints;

/// What kind of thing a rule stands for, in the order descriptions are listed.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Class {
    Expression,
    Thing,
    Token,
    Operator,
    End,
}

/// The description of a rule the parser expected, or `None` for rules never shown.
fn describe(rule: Rule) -> Option<(Class, &'static str)> {
    use Class::*;
    Some(match rule {
        Rule::expr
        | Rule::clause_expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::quant
        | Rule::cmp_expr
        | Rule::mem_expr
        | Rule::add_expr
        | Rule::mul_expr
        | Rule::agg_expr
        | Rule::where_expr
        | Rule::primary
        | Rule::look_through
        | Rule::lt_target
        | Rule::paren
        | Rule::projection
        | Rule::target_projection
        | Rule::list
        | Rule::literal
        | Rule::must_form
        | Rule::bare_rule
        | Rule::date
        | Rule::money
        | Rule::percent
        | Rule::boolean
        | Rule::duration
        | Rule::year_of => (Expression, "an expression"),
        Rule::phrase
        | Rule::target_phrase
        | Rule::word
        | Rule::quoted_word
        | Rule::kw_deal
        | Rule::let_name
        | Rule::item_words => (Thing, "a word"),
        Rule::quant_subject => (Thing, "a phrase, `(` or `[`"),
        Rule::count | Rule::number => (Thing, "a whole number"),
        Rule::table_key | Rule::key_and | Rule::key_not => (Thing, "a table key"),
        Rule::table_row => (Thing, "a table row"),
        Rule::table_cell | Rule::any_cell | Rule::from_cell => (Thing, "a cell"),
        Rule::cell_bound | Rule::bound_phrase => (Thing, "a value"),
        Rule::row_break => (End, "the end of the line"),
        Rule::string | Rule::string_text => (Thing, "a string"),
        Rule::currency => (Thing, "a currency code such as `USD`"),
        Rule::rule_id => (Thing, "a rule id"),
        Rule::item => (
            Thing,
            "an item (`rule`, `let`, `define`, `use` or a bare rule)",
        ),
        Rule::header => (Thing, "`policy`"),
        Rule::clause => (Thing, "a clause such as `require`"),
        Rule::severity_level => (Thing, "`error`|`warning`|`info`"),
        Rule::must_pred => (Thing, "`be`|`have`|`stay`"),
        Rule::word_cmp => (Thing, "`at least`|`at most`|`more than`|`less than`"),
        Rule::control_cmp => (Thing, "`more than`|`at least`"),
        Rule::header_version => (Token, "`version`"),
        Rule::header_jurisdiction => (Token, "`jurisdiction`"),
        Rule::header_schema => (Token, "`schema`"),
        Rule::header_calendar => (Token, "`calendar`"),
        Rule::window_on => (Token, "`on`"),
        Rule::window => (Token, "`effective`"),
        Rule::braced_body | Rule::lbrace => (Token, "`{`"),
        Rule::rbrace => (Token, "`}`"),
        Rule::one_line_body | Rule::colon | Rule::quant_body => (Token, "`:`"),
        Rule::comma => (Token, "`,`"),
        Rule::dot => (Token, "`.`"),
        Rule::lparen => (Token, "`(`"),
        Rule::rparen => (Token, "`)`"),
        Rule::lbracket => (Token, "`[`"),
        Rule::rbracket => (Token, "`]`"),
        Rule::quant_filter => (Token, "`where`"),
        Rule::presence_word => (Thing, "`missing`|`present`"),
        Rule::op_le => (Operator, "`<=`"),
        Rule::op_ge => (Operator, "`>=`"),
        Rule::op_ne => (Operator, "`!=`"),
        Rule::op_lt => (Operator, "`<`"),
        Rule::op_gt => (Operator, "`>`"),
        Rule::op_eq => (Operator, "`=`"),
        Rule::op_add => (Operator, "`+`"),
        Rule::op_sub => (Operator, "`-`"),
        Rule::op_mul => (Operator, "`*`"),
        Rule::op_div => (Operator, "`/`"),
        Rule::cmp_op | Rule::is_word_cmp | Rule::is_not => (Operator, "a comparison"),
        Rule::mem_op | Rule::not_in | Rule::is_one_of | Rule::within_op => (Operator, "`in`"),
        Rule::EOI | Rule::eol => (End, "the end of the line"),
        other => (keyword_class(other)?, keyword_text(other)?),
    })
}

fn keyword_class(rule: Rule) -> Option<Class> {
    match rule {
        Rule::kw_and
        | Rule::kw_or
        | Rule::kw_of
        | Rule::kw_where
        | Rule::kw_is
        | Rule::kw_in
        | Rule::kw_contains
        | Rule::kw_must => Some(Class::Operator),
        _ => keyword_text(rule).map(|_| Class::Token),
    }
}

/// The back-quoted spelling of a keyword rule.
fn keyword_text(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::kw_and => "`and`",
        Rule::kw_or => "`or`",
        Rule::kw_not => "`not`",
        Rule::kw_every => "`every`",
        Rule::kw_some => "`some`",
        Rule::kw_no => "`no`",
        Rule::kw_at => "`at`",
        Rule::kw_least => "`least`",
        Rule::kw_most => "`most`",
        Rule::kw_exactly => "`exactly`",
        Rule::kw_of => "`of`",
        Rule::kw_where => "`where`",
        Rule::kw_in => "`in`",
        Rule::kw_is => "`is`",
        Rule::kw_contains => "`contains`",
        Rule::kw_one => "`one`",
        Rule::kw_within => "`within`",
        Rule::kw_must => "`must`",
        Rule::kw_be => "`be`",
        Rule::kw_stay => "`stay`",
        Rule::kw_have => "`have`",
        Rule::w_than => "`than`",
        Rule::kw_policy => "`policy`",
        Rule::kw_version => "`version`",
        Rule::kw_until => "`until`",
        Rule::kw_use => "`use`",
        Rule::kw_let => "`let`",
        Rule::kw_define => "`define`",
        Rule::w_extends => "`extends`",
        Rule::w_by => "`by`",
        Rule::w_otherwise => "`otherwise`",
        Rule::w_standard => "`standard`",
        Rule::w_from => "`from`",
        Rule::w_url => "`url`",
        Rule::w_section => "`section`",
        Rule::w_on => "`on`",
        Rule::kw_rule => "`rule`",
        Rule::kw_calendar => "`calendar`",
        _ => return None,
    })
}

/// The diagnostic for a pest failure in the text of `item`.
///
/// At the end of the item's text, the label goes on the item's last token:
/// "expected an expression after `<`".
pub(crate) fn syntax_error(file: &SourceFile, item: Span, err: &PestError<Rule>) -> ParseError {
    let pos = item.start
        + match err.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        };
    let positives: &[Rule] = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let positives_list = expected_list(positives);
    if positives.contains(&Rule::row_break) {
        if let Some(e) = super::table_hints::row_expected(file, item, pos) {
            return e;
        }
    }
    if pos >= item.end {
        let at = last_token(file, Span::new(item.start, pos));
        let last = file.slice(at);
        let list = positives_list.unwrap_or_else(|| "more".to_string());
        return ParseError::syntax(
            file,
            at,
            format!("expected {list} after `{last}`"),
            format!("expected {list} after this"),
            None,
        );
    }
    if let Some(e) = hints::foreign_literal(file, pos) {
        return e;
    }
    let (found, at) = if positives.contains(&Rule::rule_id) {
        found_id_at(&file.text, pos)
    } else {
        found_at(&file.text, pos)
    };
    let token = file.slice(at);
    let line_start = file
        .text
        .get(..pos)
        .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
    let first_on_line = file
        .text
        .get(line_start..pos)
        .is_some_and(|t| t.trim().is_empty());
    if let Some(e) = super::table_hints::comparison_cell(file, at, token, positives) {
        return e;
    }
    if first_on_line && CONTINUES.contains(&token) {
        return ParseError::syntax(
            file,
            at,
            format!("a line cannot start with {found}"),
            "this line is read as a new clause".to_string(),
            Some(format!(
                "a clause goes on to the next line only after a trailing `and`, `or`, `where`, `,`, `:` or operator; move `{token}` to the end of the previous line"
            )),
        );
    }
    let top_level = positives
        .iter()
        .any(|r| matches!(r, Rule::item | Rule::EOI | Rule::file))
        && !positives.contains(&Rule::clause);
    if first_on_line && top_level && super::keywords::CLAUSE_WORDS.contains(&token) {
        return ParseError::syntax(
            file,
            at,
            format!("{found} starts a clause, which cannot stand here"),
            "a clause outside a braced rule or header".to_string(),
            Some(format!(
                "rule clauses go inside `rule ID {{ … }}`; header clauses (`version`, `jurisdiction`, `schema`, `effective`, `calendar`) go right after the `policy` line{}",
                // A field may share a header word (the deal's `jurisdiction`).
                if matches!(token, "jurisdiction" | "version" | "schema" | "effective" | "until" | "calendar") {
                    format!("; a bare rule that starts with the field `{token}` writes it back-quoted: `` `{token}` ``")
                } else {
                    String::new()
                }
            )),
        );
    }
    let expected = positives_list;
    let message = match &expected {
        Some(list) => format!("unexpected {found}, expected {list}"),
        None => format!("unexpected {found}"),
    };
    let label = match &expected {
        Some(list) if at.is_empty() => format!("expected {list} here"),
        Some(list) => format!("expected {list}"),
        None => "unexpected here".to_string(),
    };
    if let Some(e) = hints::foreign_operator(file, pos) {
        return e;
    }
    let help = help_for(file, at, token, positives)
        .or_else(|| super::table_hints::unindented_row_help(file, item));
    ParseError::syntax(file, at, message, label, help)
}

/// The list of what was expected, joined with commas and `or`.
fn expected_list(positives: &[Rule]) -> Option<String> {
    let mut described: Vec<(Class, &'static str)> =
        positives.iter().filter_map(|r| describe(*r)).collect();
    let has = |c: Class, d: &[(Class, &str)]| d.iter().any(|(k, _)| *k == c);
    if has(Class::Expression, &described) {
        // A word is a kind of expression; a line end there is a continuation.
        described.retain(|(k, d)| *k != Class::End && *d != "a word");
    }
    let operators = described
        .iter()
        .filter(|(k, _)| *k == Class::Operator)
        .count();
    if operators >= 3 {
        described.retain(|(k, _)| *k != Class::Operator);
        described.push((Class::Operator, "an operator"));
    }
    if described.iter().any(|(_, d)| d.starts_with("an item")) {
        described.retain(|(_, d)| *d != "`policy`");
    }
    described.sort_by_key(|(k, _)| *k);
    let mut words: Vec<&str> = Vec::new();
    // A description may name several alternatives, separated by `|`.
    for d in described.iter().flat_map(|(_, d)| d.split('|')) {
        if !words.contains(&d) {
            words.push(d);
        }
    }
    match words.as_slice() {
        [] => None,
        [one] => Some((*one).to_string()),
        [init @ .., last] => Some(format!("{} or {last}", init.join(", "))),
    }
}

/// Tokens after which a clause goes on to the next line.
const CONTINUES: &[&str] = &[
    "and", "or", "where", ",", ":", "+", "-", "*", "/", "<", "<=", ">", ">=", "=", "!=",
];

/// A description of the text at `pos` and the span to underline.
fn found_at(text: &str, pos: usize) -> (String, Span) {
    let rest = text.get(pos..).unwrap_or("");
    let Some(c) = rest.chars().next() else {
        // Nothing to underline at the very end: point at the end of the last token.
        let end = text.get(..pos).map_or(0, |t| t.trim_end().len());
        let last = text
            .get(..end)
            .and_then(|t| t.chars().next_back())
            .map_or(0, char::len_utf8);
        return ("end of file".to_string(), Span::new(end - last, end));
    };
    if c == '\n' || rest.starts_with("\r\n") {
        return ("end of line".to_string(), Span::new(pos, pos));
    }
    if let Some(name) = invisible(c) {
        return (name, Span::new(pos, pos + c.len_utf8()));
    }
    let len = if c.is_ascii_alphanumeric() || c == '_' {
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '%')))
            .unwrap_or(rest.len())
    } else if c == '"' {
        rest.get(1..)
            .and_then(|r| r.find(['"', '\n']))
            .map_or(rest.len(), |i| i + 2)
            .min(rest.find('\n').unwrap_or(rest.len()))
    } else if ["<=", ">=", "!=", "=="]
        .iter()
        .any(|op| rest.starts_with(op))
    {
        2
    } else {
        c.len_utf8()
    };
    let token = rest.get(..len).unwrap_or("").trim_end_matches('.');
    (format!("`{token}`"), Span::new(pos, pos + token.len()))
}

/// Like [`found_at`], reading a would-be rule id with its `-`s (`Foreign-Minority`).
fn found_id_at(text: &str, pos: usize) -> (String, Span) {
    let rest = text.get(pos..).unwrap_or("");
    let len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-')))
        .unwrap_or(rest.len());
    if len == 0 {
        return found_at(text, pos);
    }
    let token = rest.get(..len).unwrap_or("");
    (format!("`{token}`"), Span::new(pos, pos + len))
}

/// The last token of `span` (comments and white space skipped).
fn last_token(file: &SourceFile, span: Span) -> Span {
    let text = super::lower::trim_trailing_trivia(file.slice(span));
    let end = span.start + text.len();
    let Some(c) = text.chars().next_back() else {
        return Span::new(span.start, span.start);
    };
    let len = if c.is_ascii_alphanumeric() || c == '_' || c == '%' {
        text.len()
            - text
                .trim_end_matches(|c: char| {
                    c.is_ascii_alphanumeric() || matches!(c, '_' | '%' | '.')
                })
                .len()
    } else if ["<=", ">=", "!="].iter().any(|op| text.ends_with(op)) {
        2
    } else {
        c.len_utf8()
    };
    Span::new(end - len, end)
}

/// A hint for common mistakes: a keyword where a word or an expression was expected (the
/// first word of a field's name, such as `in` of `in_force`, or one in the middle), an
/// invisible character.
fn help_for(file: &SourceFile, at: Span, found: &str, positives: &[Rule]) -> Option<String> {
    let wants_word = positives.iter().any(|r| {
        matches!(
            describe(*r),
            Some((Class::Expression, _) | (Class::Thing, "a word" | "a phrase or `(`"))
        )
    });
    if wants_word && is_keyword(found) {
        return Some(hints::keyword_help(file, at, found));
    }
    let mut chars = found.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if invisible(c).is_some() {
            return Some(hints::invisible_help(c).to_string());
        }
    }
    if positives.contains(&Rule::rule_id) {
        return Some("a rule id is lower-case letters, digits and `-`, starting with a letter, such as `foreign-minority`".to_string());
    }
    None
}
