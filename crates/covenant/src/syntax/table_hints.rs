//! Syntax errors about the rows of a table (SPEC §8): a table with no row, and a line that
//! looks like a row but is not indented under its definition.

use crate::source::{SourceFile, Span};

use super::error::ParseError;
use super::grammar::Rule;

/// A comparison where a table cell was expected (`< 5%: …`, as decision tables write it).
pub(super) fn comparison_cell(
    file: &SourceFile,
    at: Span,
    token: &str,
    positives: &[Rule],
) -> Option<ParseError> {
    let wants_cell = positives
        .iter()
        .any(|r| matches!(r, Rule::table_row | Rule::table_cell));
    let comparison = ["<", ">", "=", "!="].iter().any(|op| token.starts_with(op));
    (wants_cell && comparison).then(|| {
        ParseError::syntax(
            file,
            at,
            format!("a table cell cannot be a comparison (`{token}`)"),
            "not a cell".to_string(),
            Some("a cell is a value (`5%`), a list of values (`[\"CN\", \"RU\"]`), a range `from V [until W]` (V ≤ key < W: `< 5%` is `from 0% until 5%`) or `any`".to_string()),
        )
    })
}

/// A table whose keys end at `pos` with no indented row after them: "expected a table row",
/// labelled at the first line that should have been a row when it is not indented, else at
/// the `:` before `pos`. None when `pos` is not at the end of a line (the parser wanted the
/// line to end there; the usual message says so).
pub(super) fn row_expected(file: &SourceFile, item: Span, pos: usize) -> Option<ParseError> {
    let text: &str = &file.text;
    let rest = text.get(pos..).unwrap_or("");
    if !(pos >= item.end || rest.starts_with('\n') || rest.starts_with("\r\n")) {
        return None;
    }
    let help = Some(
        "write one row per line, indented under the definition: `  CELL[, CELL …]: VALUE` (or `  otherwise: VALUE`)"
            .to_string(),
    );
    if let Some(line) = next_code_line(text, pos).filter(|l| l.start < item.end) {
        if !text
            .get(line.start..)
            .is_some_and(|t| t.starts_with([' ', '\t']))
        {
            return Some(ParseError::syntax(
                file,
                line,
                "a table row must be indented under its definition".to_string(),
                "not indented, so not a row of the table above".to_string(),
                help,
            ));
        }
    }
    let colon = text
        .get(..pos)
        .map_or(pos, |t| t.trim_end().len())
        .saturating_sub(1);
    Some(ParseError::syntax(
        file,
        Span::new(colon, colon + 1),
        "expected a table row after `:`".to_string(),
        "the rows go on the following lines, indented".to_string(),
        help,
    ))
}

/// The first line after `pos`'s line that is neither blank nor a comment, without its line end.
fn next_code_line(text: &str, pos: usize) -> Option<Span> {
    let mut start = text.get(pos..)?.find('\n').map(|i| pos + i + 1)?;
    while start < text.len() {
        let end = text
            .get(start..)
            .and_then(|t| t.find('\n'))
            .map_or(text.len(), |i| start + i);
        let line = text.get(start..end).unwrap_or("");
        let code = line.trim();
        if !code.is_empty() && !code.starts_with('#') {
            return Some(Span::new(start, start + line.trim_end().len()));
        }
        start = end + 1;
    }
    None
}

/// A help for an item that starts, at the start of a line, like a table row (`otherwise:`,
/// `from …`, `any,`): it is read as a new item because it is not indented.
pub(super) fn unindented_row_help(file: &SourceFile, item: Span) -> Option<String> {
    let text = file.text.get(item.start..item.end)?;
    let first = text.trim_start_matches(['\u{FEFF}']);
    let word_len = first
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(first.len());
    let word = first.get(..word_len)?;
    let after = first.get(word_len..)?.trim_start();
    let row_like = match word {
        "otherwise" | "any" => after.starts_with([':', ',']),
        "from" => !after.is_empty(),
        _ => false,
    };
    row_like.then(|| {
        "if this is a row of the table above, indent it: a table's rows are the lines indented deeper than its definition".to_string()
    })
}
